-- Cargo in the port chain (modules/cargo, domain.md §2.1, §2.4, §15, §16.4). Tables are named
-- after WCO Data Model classes: a manifest carries transport contract documents (bills of lading),
-- their goods items and the transport equipment (containers) they are stuffed in.
create table manifests (
  id text primary key,
  -- import-original (MT1101), export-pre-stowage (MT2101), export-arrival-report (MT3101),
  -- export-loading (MT4101), import-tally (MT5101), export-tally (MT5102)
  kind text not null,
  port_call_id text not null references port_calls (id),
  filer_org_id text not null references organisations (id),
  district_code char(4) not null,
  -- the filer's own reference (CUSCAR BGM 1004 or the API caller's)
  document_number text not null,
  state text not null default 'filed',
  version integer not null default 1,
  filed_at timestamptz not null,
  amended_at timestamptz,
  deleted_at timestamptz,
  delete_reason text,
  -- filing deadline of the manifest-deadlines policy in force; null when the rule's reference time is unknown
  deadline_at timestamptz,
  late boolean not null default false,
  -- the whole document as filed or last amended (bills, goods, equipment), for history and detail
  document jsonb not null,
  constraint manifests_kind_check check (
    kind in ('import-original', 'export-pre-stowage', 'export-arrival-report', 'export-loading', 'import-tally', 'export-tally')
  ),
  constraint manifests_state_check check (state in ('filed', 'amended', 'deleted'))
);
create unique index manifests_document_idx on manifests (filer_org_id, kind, document_number) where state <> 'deleted';
create index manifests_call_idx on manifests (port_call_id, kind);
create index manifests_district_idx on manifests (district_code, filed_at desc);
create index manifests_late_idx on manifests (district_code, filed_at desc) where late;

-- Every version of a manifest as filed; the current one is also in manifests.document.
create table manifest_versions (
  manifest_id text not null references manifests (id),
  version integer not null,
  recorded_at timestamptz not null,
  recorded_by text,
  document jsonb not null,
  primary key (manifest_id, version)
);

-- Bills of lading of the current manifest versions (master and house), for search and matching.
create table bills (
  id text primary key,
  manifest_id text not null references manifests (id),
  port_call_id text not null references port_calls (id),
  district_code char(4) not null,
  number text not null,
  master_number text,
  consignee text,
  goods_count integer not null,
  gross_kg double precision not null,
  equipment text[] not null
);
create index bills_manifest_idx on bills (manifest_id);
create index bills_number_idx on bills (number);

-- One visit of one box: a container number on one port call in one direction. Its flags are not
-- stored: they are read from container_events (latest event time per kind) whenever asked, so
-- nothing can set them directly, arrival order does not matter, and the write path never updates
-- a shared row (modules/cargo/cargo.queries.ts).
create table containers (
  id text primary key,
  number char(11) not null,
  port_call_id text not null references port_calls (id),
  district_code char(4) not null,
  direction text not null,
  size_type text,
  fullness text,
  seals text[] not null default '{}',
  gross_kg double precision,
  manifest_id text references manifests (id),
  bill_numbers text[] not null default '{}',
  created_at timestamptz not null,
  constraint containers_direction_check check (direction in ('import', 'export'))
);
create unique index containers_visit_idx on containers (number, port_call_id, direction);
create index containers_call_idx on containers (port_call_id);
create index containers_district_idx on containers (district_code, created_at desc);

-- Terminal and customs events per box, idempotent by the sender's own event id.
create table container_events (
  id text primary key,
  container_id text not null references containers (id),
  sender_org_id text not null references organisations (id),
  sender_event_id text not null,
  -- sha-256 of the event as sent, so a resend under the same id with other content is told apart
  content_hash char(64) not null,
  kind text not null,
  occurred_at timestamptz not null,
  recorded_at timestamptz not null,
  location text,
  details jsonb not null default '{}',
  source text not null,
  constraint container_events_sender_idx unique (sender_org_id, sender_event_id)
);
create index container_events_container_idx on container_events (container_id, kind, occurred_at);

-- Stowage plans (BAPLIE) as received: which boxes a vessel carries where.
create table stowage_plans (
  id text primary key,
  port_call_id text references port_calls (id),
  sender_org_id text not null references organisations (id),
  district_code char(4),
  message_ref text not null,
  vessel_imo text,
  vessel_name text,
  voyage text,
  equipment jsonb not null,
  equipment_count integer not null,
  received_at timestamptz not null
);
create index stowage_plans_call_idx on stowage_plans (port_call_id);

-- EDIFACT interchanges received (upload or CLI) and what became of each message.
create table edifact_interchanges (
  id text primary key,
  sender_org_id text not null references organisations (id),
  district_code char(4),
  file_name text,
  control_ref text,
  size_bytes integer not null,
  sha256 char(64) not null,
  ok boolean not null,
  message_count integer not null,
  results jsonb not null,
  received_at timestamptz not null
);
create index edifact_interchanges_sender_idx on edifact_interchanges (sender_org_id, received_at desc);
