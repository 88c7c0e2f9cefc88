-- Vessel port calls (modules/port-calls, domain.md §3): the agent reports once; every transition
-- is an event written in the same transaction (CSM002 pre-report … CSM007 departure).
create table port_calls (
  id text primary key,
  -- the filing agency; terminals see a call once one of their berths is planned or used
  agent_org_id text not null references organisations (id),
  terminal_org_ids text[] not null default '{}',
  district_code char(4) not null,
  port_id text not null,
  port_locode char(5) not null,
  -- the regulatory code pair the call was declared under (port code, customs code)
  declared_port_code text not null,
  declared_customs_code char(4) not null,
  vessel_imo char(7) not null,
  vessel_name text not null,
  vessel_flag char(2),
  loa_m double precision not null,
  draft_m double precision not null,
  voyage text not null,
  last_port char(5) not null,
  last_port_departure timestamptz not null,
  next_port char(5),
  -- [{locode, departedAt}] for the last 30 days, checked against the affected-area list
  ports_of_call jsonb not null default '[]',
  eta timestamptz not null,
  etd timestamptz not null,
  purpose text not null,
  cargo_type text not null,
  cargo_summary text not null default '',
  crew_count integer not null,
  passenger_count integer not null default 0,
  dangerous_goods boolean not null,
  state text not null,
  pre_reported_at timestamptz not null,
  late_report boolean not null,
  confirmed_at timestamptz,
  arrived_at timestamptz,
  arrival_place text,
  planned_berth_id text,
  planned_berth_start timestamptz,
  planned_berth_end timestamptz,
  berth_id text,
  berthed_at timestamptz,
  -- set by the quarantine module when it grants pratique: no cargo operation starts before it
  quarantine_mode text,
  pratique_granted_at timestamptz,
  cargo_ops_started_at timestamptz,
  cargo_ops_completed_at timestamptz,
  departure_reported_at timestamptz,
  departed_at timestamptz,
  cancelled_at timestamptz,
  cancel_reason text,
  -- berthings or shifts onto a berth under another canonical code (each a re-declaration) and
  -- those under an alias of the declared code that needed none (the Qianwan case)
  redeclarations integer not null default 0,
  redeclarations_avoided integer not null default 0,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint port_calls_state_check check (
    state in ('pre-reported', 'confirmed', 'arrived', 'berthed', 'departure-reported', 'departed', 'cancelled')
  ),
  constraint port_calls_arrival_place_check check (arrival_place is null or arrival_place in ('anchorage', 'berth')),
  constraint port_calls_counts_check check (crew_count >= 0 and passenger_count >= 0)
);
create index port_calls_eta_idx on port_calls (eta, id);
create index port_calls_agent_idx on port_calls (agent_org_id, eta);
create index port_calls_district_idx on port_calls (district_code, eta);
create index port_calls_terminal_orgs_idx on port_calls using gin (terminal_org_ids);
create index port_calls_imo_idx on port_calls (vessel_imo);
-- one open call per vessel and voyage
create unique index port_calls_voyage_idx on port_calls (vessel_imo, voyage) where state <> 'cancelled';
