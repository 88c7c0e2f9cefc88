-- Customs declarations, risk channels, instructions to terminals and alerts (domain.md §1.3, §2.2,
-- §2.3, §2.5, §16). Risk results live on the declaration but are only ever shown to customs.
create table declarations (
  id text primary key,
  -- 18 digits: customs code (4) + year (4) + import/export flag (1) + sequence (9) [R]; set on receipt
  entry_id char(18) unique,
  direction text not null,
  -- standard | advance (before arrival, released on arrival) | two-step (summary, then complete)
  procedure text not null,
  -- two-step only: summary until the complete declaration is filed
  stage text,
  -- receipt code (报关单回执): L J C T P R E Z D M H
  status char(1) not null,
  declarant_org_id text not null references organisations (id),
  enterprise_code text not null,
  -- credit class of the enterprise when declared (the risk facts use this snapshot)
  credit_class text not null,
  customs_code char(4) not null,
  district_code char(4) not null,
  port_call_id text references port_calls (id),
  bill_number text,
  manifest_id text references manifests (id),
  container_numbers text[] not null default '{}',
  packages integer not null,
  gross_kg double precision not null,
  net_kg double precision not null,
  total_value double precision not null,
  currency char(3) not null,
  -- release | document-review | machine-scan | manual-inspection | machine-then-manual
  channel text,
  -- customs only: rule-set version, fired rules with reasons, score, random draw
  risk jsonb,
  -- the facts the risk rules saw, kept so a draft rule set can be replayed (dry run)
  risk_facts jsonb,
  -- import: the vessel's arrival; export: the arrival report (MT3101). Clearance time starts here.
  goods_arrived_at timestamptz,
  complete_due_at timestamptz,
  guarantee jsonb,
  -- an officer's release of an advance declaration whose goods have not arrived: P follows on arrival
  release_authorised_at timestamptz,
  released_at timestamptz,
  closed_at timestamptz,
  -- header and items as declared (current version)
  document jsonb not null,
  version integer not null default 1,
  declared_at timestamptz not null,
  updated_at timestamptz not null,
  constraint declarations_direction_check check (direction in ('import', 'export')),
  constraint declarations_procedure_check check (procedure in ('standard', 'advance', 'two-step')),
  constraint declarations_stage_check check (stage is null or stage in ('summary', 'complete')),
  constraint declarations_status_check check (status in ('L', 'J', 'C', 'T', 'P', 'R', 'E', 'Z', 'D', 'M', 'H'))
);
create index declarations_declarant_idx on declarations (declarant_org_id, declared_at desc);
create index declarations_queue_idx on declarations (district_code, status, channel, declared_at);
create index declarations_bill_idx on declarations (bill_number);
create index declarations_call_idx on declarations (port_call_id);

create table declaration_versions (
  declaration_id text not null references declarations (id),
  version integer not null,
  recorded_at timestamptz not null,
  recorded_by text,
  document jsonb not null,
  primary key (declaration_id, version)
);

-- The 9-digit serial of entry numbers: one sequence, so receipts never queue on a counter row.
create sequence declaration_entry_seq;

-- Customs instructions to the terminal (the "MT0102" of a terminal integration): per container or
-- bill, codes 1 2 7 8 9 I A B. The one in force is the latest by customs send time; an older one
-- is refused, never stored over a newer one.
create table customs_instructions (
  id text primary key,
  scope text not null,
  -- a container number (scope container) or a bill number (scope bill)
  subject text not null,
  port_call_id text not null references port_calls (id),
  direction text not null,
  code char(1) not null,
  send_time timestamptz not null,
  declaration_id text references declarations (id),
  district_code char(4) not null,
  -- the terminals that act on it (those the call berths at)
  terminal_org_ids text[] not null,
  issued_by text,
  received_at timestamptz not null,
  acknowledged_at timestamptz,
  acknowledged_by text,
  ack_status text,
  ack_note text,
  constraint customs_instructions_scope_check check (scope in ('container', 'bill')),
  constraint customs_instructions_code_check check (code in ('1', '2', '7', '8', '9', 'I', 'A', 'B')),
  constraint customs_instructions_ack_check check (ack_status is null or ack_status in ('applied', 'rejected'))
);
create unique index customs_instructions_subject_idx on customs_instructions (port_call_id, scope, subject, send_time);
create index customs_instructions_district_idx on customs_instructions (district_code, received_at desc);
create index customs_instructions_declaration_idx on customs_instructions (declaration_id);

-- Alerts and alarms raised by alert rules (scheduled) or interlocks (at once). One open alert per
-- rule and subject; acknowledging or resolving is an event.
create table alerts (
  id text primary key,
  rule_id text not null,
  rule_version integer,
  severity text not null,
  subject_type text not null,
  subject_id text not null,
  subject_label text not null,
  district_code char(4) not null,
  -- organisations besides customs of the district that see it (e.g. the terminal, the declarant)
  org_ids text[] not null default '{}',
  opened_at timestamptz not null,
  detail jsonb not null,
  state text not null default 'open',
  acknowledged_at timestamptz,
  acknowledged_by text,
  resolved_at timestamptz,
  resolved_by text,
  resolution text,
  constraint alerts_severity_check check (severity in ('warning', 'alarm')),
  constraint alerts_state_check check (state in ('open', 'acknowledged', 'resolved'))
);
create unique index alerts_open_idx on alerts (rule_id, subject_type, subject_id) where state <> 'resolved';
create index alerts_district_idx on alerts (district_code, state, opened_at desc);
