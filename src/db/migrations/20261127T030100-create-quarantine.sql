-- Versioned policies (rule sets that are data: quarantine risk rules now, customs risk rules later).
-- A version is immutable once published; the one in force at an instant is the latest
-- effective_from not after it.
create table policy_versions (
  id text primary key,
  kind text not null,
  version integer not null,
  effective_from timestamptz not null,
  document jsonb not null,
  note text not null default '',
  published_by text,
  created_at timestamptz not null default now(),
  constraint policy_versions_kind_version_key unique (kind, version)
);
create index policy_versions_kind_effective_idx on policy_versions (kind, effective_from desc);

-- Places under a health alert (WHO-affected areas), effective-dated like the registry: a port of
-- call matches when its UN/LOCODE or its country (first two letters) is listed on the departure date.
create table affected_areas (
  id text not null,
  valid_from date not null,
  valid_to date,
  code text not null,
  area_kind text not null,
  disease text not null,
  name_zh text not null,
  name_en text not null,
  constraint affected_areas_pkey primary key (id, valid_from),
  constraint affected_areas_period_check check (valid_to is null or valid_to > valid_from),
  constraint affected_areas_kind_check check (area_kind in ('country', 'port'))
);
create index affected_areas_code_idx on affected_areas (code);

-- Entry quarantine of one port call (domain.md §4): declaration, risk assessment, mode, remote
-- session, certificate, pratique. One case per call.
create table quarantine_cases (
  id text primary key,
  port_call_id text not null unique references port_calls (id),
  -- the filing agency and the district's customs; terminals learn pratique from the port call
  agent_org_id text not null references organisations (id),
  district_code char(4) not null,
  state text not null,
  -- Maritime Declaration of Health: header and the nine answers (IHR 2005 Annex 8)
  health_declaration jsonb not null,
  crew_health jsonb not null,
  sanitation_certificate_no text,
  sanitation_certificate_issued_on date,
  sanitation_certificate_port text,
  declared_at timestamptz not null,
  late_declaration boolean not null,
  -- the assessment: rule-set version, score, reasons (each rule that fired) and the mode
  rule_set_version integer,
  risk_score integer,
  risk_reasons jsonb,
  proposed_mode text,
  forced_mode text,
  mode text,
  assessed_at timestamptz,
  started_at timestamptz,
  remote_session jsonb,
  escalated_at timestamptz,
  escalation_reason text,
  certificate_no text,
  certificate_issued_at timestamptz,
  pratique_granted_at timestamptz,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint quarantine_cases_state_check check (
    state in ('assessed', 'mode-assigned', 'remote-session', 'boarding', 'pratique-granted')
  ),
  constraint quarantine_cases_mode_check check (
    mode is null or mode in ('telecom', 'smart-remote', 'anchorage', 'berth', 'onboard')
  )
);
create index quarantine_cases_district_idx on quarantine_cases (district_code, state);
create index quarantine_cases_agent_idx on quarantine_cases (agent_org_id);
