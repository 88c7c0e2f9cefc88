-- DCSA Port Call (JIT) 2.0 records (modules/dcsa-jit): PortCluster is the Service Provider, carriers'
-- agents the Service Consumers. Ids are the UUIDs the parties send (spec: "the caller must provide").
-- Who sees a record is decided by its port call's audience; children are reached through it.
create table dcsa_port_calls (
  id uuid primary key,
  -- the consumer's (agent's) organisation; links only to its own PortCluster calls
  owner_org_id text not null references organisations (id),
  -- terminals of the port, plus those of the linked call
  terminal_org_ids text[] not null default '{}',
  district_code char(4),
  -- the PortCluster call of the same vessel at the same port, once one is known
  port_call_id text references port_calls (id),
  un_location_code char(5) not null,
  port_visit_reference text,
  vessel_imo text,
  vessel_mmsi text,
  vessel jsonb not null,
  omitted boolean not null default false,
  omit_reason text,
  -- hash of the last accepted body: a resend of the same body changes nothing
  body_hash text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index dcsa_port_calls_link_idx on dcsa_port_calls (port_call_id);
create index dcsa_port_calls_vessel_idx on dcsa_port_calls (vessel_imo, un_location_code);
create index dcsa_port_calls_terminal_orgs_idx on dcsa_port_calls using gin (terminal_org_ids);

create table dcsa_terminal_calls (
  id uuid primary key,
  dcsa_port_call_id uuid not null references dcsa_port_calls (id),
  terminal_call_reference text,
  terminal_call_sequence_number integer,
  carrier_service_name text not null,
  carrier_service_code text not null,
  universal_service_reference text,
  carrier_import_voyage_number text,
  carrier_export_voyage_number text,
  universal_import_voyage_reference text,
  universal_export_voyage_reference text,
  omitted boolean not null default false,
  omit_reason text,
  body_hash text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index dcsa_terminal_calls_port_call_idx on dcsa_terminal_calls (dcsa_port_call_id);

create table dcsa_port_call_services (
  id uuid primary key,
  terminal_call_id uuid not null references dcsa_terminal_calls (id),
  type_code text not null,
  event_type_code text not null,
  phase_type_code text,
  facility_type_code text,
  location jsonb not null,
  moves jsonb,
  cancelled boolean not null default false,
  cancel_reason text,
  declined boolean not null default false,
  decline_reason text,
  body_hash text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint dcsa_services_event_check check (event_type_code in ('STRT', 'CMPL', 'ARRI', 'DEPA'))
);
create index dcsa_services_terminal_call_idx on dcsa_port_call_services (terminal_call_id);

-- Timestamps are immutable: written once, never updated.
create table dcsa_timestamps (
  id uuid primary key,
  port_call_service_id uuid not null references dcsa_port_call_services (id),
  reply_to_timestamp_id uuid,
  classifier_code char(3) not null,
  date_time timestamptz not null,
  -- as sent, with its offset: the spec's dateTime is local time
  date_time_text text not null,
  location jsonb,
  delay_reason_code text,
  remark text,
  is_fyi boolean not null default false,
  sender_org_id text not null,
  -- the port-call event a provider ACT stands for (the cargo interlock), so it is not derived twice
  source_event_id text,
  body_hash text not null,
  created_at timestamptz not null default now(),
  constraint dcsa_timestamps_classifier_check check (classifier_code in ('ACT', 'EST', 'PLN', 'REQ'))
);
create index dcsa_timestamps_service_idx on dcsa_timestamps (port_call_service_id, created_at);

-- Every vessel status received is kept (the spec leaves update-in-place or history to us).
create table dcsa_vessel_statuses (
  seq bigint generated always as identity primary key,
  port_call_service_id uuid not null references dcsa_port_call_services (id),
  status jsonb not null,
  sender_org_id text not null,
  created_at timestamptz not null default now()
);
create index dcsa_vessel_statuses_service_idx on dcsa_vessel_statuses (port_call_service_id, seq desc);
