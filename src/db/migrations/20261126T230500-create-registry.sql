-- The cluster registry (modules/registry). Every table is effective-dated: a row is one
-- version of an entity, valid on [valid_from, valid_to); valid_to null means open-ended.
-- References between versioned entities use the stable id and are checked by the app.

create table customs_offices (
  id text not null,
  valid_from date not null,
  valid_to date,
  code char(4) not null,
  name_zh text not null,
  name_en text not null,
  -- the district this office belongs to (its own code for a district)
  district_code char(4) not null,
  parent_code char(4),
  kind text not null,
  constraint customs_offices_pkey primary key (id, valid_from),
  constraint customs_offices_period_check check (valid_to is null or valid_to > valid_from),
  constraint customs_offices_kind_check check (kind in ('district', 'office'))
);
create index customs_offices_code_idx on customs_offices (code);

-- A (port code, customs code) pair under which a vessel or manifest can be declared.
create table regulatory_codes (
  id text not null,
  valid_from date not null,
  valid_to date,
  port_code text not null,
  customs_code char(4) not null,
  name_zh text not null,
  name_en text not null,
  constraint regulatory_codes_pkey primary key (id, valid_from),
  constraint regulatory_codes_period_check check (valid_to is null or valid_to > valid_from)
);
create index regulatory_codes_pair_idx on regulatory_codes (port_code, customs_code);

-- While effective, a declaration under the alias pair counts as under the canonical pair.
create table code_aliases (
  id text not null,
  valid_from date not null,
  valid_to date,
  port_code text not null,
  customs_code char(4) not null,
  canonical_port_code text not null,
  canonical_customs_code char(4) not null,
  note text not null default '',
  constraint code_aliases_pkey primary key (id, valid_from),
  constraint code_aliases_period_check check (valid_to is null or valid_to > valid_from)
);
create index code_aliases_pair_idx on code_aliases (port_code, customs_code);

create table ports (
  id text not null,
  valid_from date not null,
  valid_to date,
  locode char(5) not null,
  name_zh text not null,
  name_en text not null,
  kind text not null,
  province text not null default '',
  lat double precision,
  lon double precision,
  customs_code char(4) not null,
  constraint ports_pkey primary key (id, valid_from),
  constraint ports_period_check check (valid_to is null or valid_to > valid_from),
  constraint ports_kind_check check (kind in ('seaport', 'river'))
);
create index ports_locode_idx on ports (locode);

create table port_areas (
  id text not null,
  valid_from date not null,
  valid_to date,
  port_id text not null,
  code text not null,
  name_zh text not null,
  name_en text not null,
  lat double precision,
  lon double precision,
  constraint port_areas_pkey primary key (id, valid_from),
  constraint port_areas_period_check check (valid_to is null or valid_to > valid_from)
);
create index port_areas_port_id_idx on port_areas (port_id);

create table terminals (
  id text not null,
  valid_from date not null,
  valid_to date,
  port_area_id text not null,
  code text not null,
  name_zh text not null,
  name_en text not null,
  cargo_types text[] not null default '{}',
  operator_org_id text constraint terminals_operator_org_id_fkey references organisations (id),
  constraint terminals_pkey primary key (id, valid_from),
  constraint terminals_period_check check (valid_to is null or valid_to > valid_from)
);
create index terminals_port_area_id_idx on terminals (port_area_id);
create index terminals_operator_org_id_idx on terminals (operator_org_id);

-- 海关监管场所: where goods sit under customs control; it is registered under one code pair.
create table supervision_sites (
  id text not null,
  valid_from date not null,
  valid_to date,
  code text not null,
  name_zh text not null,
  name_en text not null,
  kind text not null,
  port_area_id text,
  port_code text not null,
  customs_code char(4) not null,
  constraint supervision_sites_pkey primary key (id, valid_from),
  constraint supervision_sites_period_check check (valid_to is null or valid_to > valid_from)
);
create index supervision_sites_code_idx on supervision_sites (code);

create table berths (
  id text not null,
  valid_from date not null,
  valid_to date,
  terminal_id text not null,
  code text not null,
  name_zh text not null,
  name_en text not null,
  length_m numeric(7, 1) not null,
  depth_m numeric(5, 1) not null,
  max_dwt integer,
  cargo_types text[] not null default '{}',
  supervision_site_id text not null,
  constraint berths_pkey primary key (id, valid_from),
  constraint berths_period_check check (valid_to is null or valid_to > valid_from),
  constraint berths_length_check check (length_m > 0),
  constraint berths_depth_check check (depth_m > 0)
);
create index berths_terminal_id_idx on berths (terminal_id);

create table inland_ports (
  id text not null,
  valid_from date not null,
  valid_to date,
  code text not null,
  name_zh text not null,
  name_en text not null,
  province text not null,
  locode char(5),
  lat double precision,
  lon double precision,
  customs_code char(4) not null,
  operator_org_id text constraint inland_ports_operator_org_id_fkey references organisations (id),
  constraint inland_ports_pkey primary key (id, valid_from),
  constraint inland_ports_period_check check (valid_to is null or valid_to > valid_from)
);

create table bonded_zones (
  id text not null,
  valid_from date not null,
  valid_to date,
  code text not null,
  name_zh text not null,
  name_en text not null,
  kind text not null,
  port_id text,
  lat double precision,
  lon double precision,
  customs_code char(4) not null,
  operator_org_id text constraint bonded_zones_operator_org_id_fkey references organisations (id),
  constraint bonded_zones_pkey primary key (id, valid_from),
  constraint bonded_zones_period_check check (valid_to is null or valid_to > valid_from)
);

-- Sea–rail corridors between a seaport and an inland port (drawn on the cluster map).
create table corridors (
  id text not null,
  valid_from date not null,
  valid_to date,
  code text not null,
  name_zh text not null,
  name_en text not null,
  mode text not null,
  port_id text not null,
  inland_port_id text not null,
  constraint corridors_pkey primary key (id, valid_from),
  constraint corridors_period_check check (valid_to is null or valid_to > valid_from)
);

create table laboratories (
  id text not null,
  valid_from date not null,
  valid_to date,
  code text not null,
  name_zh text not null,
  name_en text not null,
  customs_code char(4) not null,
  accredited boolean not null default true,
  org_id text constraint laboratories_org_id_fkey references organisations (id),
  constraint laboratories_pkey primary key (id, valid_from),
  constraint laboratories_period_check check (valid_to is null or valid_to > valid_from)
);

create table carriers (
  id text not null,
  valid_from date not null,
  valid_to date,
  code text not null,
  name_zh text not null,
  name_en text not null,
  customs_credit_class text not null,
  org_id text constraint carriers_org_id_fkey references organisations (id),
  constraint carriers_pkey primary key (id, valid_from),
  constraint carriers_period_check check (valid_to is null or valid_to > valid_from)
);

create table vessels (
  id text not null,
  valid_from date not null,
  valid_to date,
  imo char(7) not null,
  name text not null,
  flag char(2) not null,
  gross_tonnage integer not null,
  loa_m numeric(6, 1) not null,
  vessel_type text not null,
  carrier_id text,
  constraint vessels_pkey primary key (id, valid_from),
  constraint vessels_period_check check (valid_to is null or valid_to > valid_from)
);
create index vessels_imo_idx on vessels (imo);

create table enterprises (
  id text not null,
  valid_from date not null,
  valid_to date,
  -- 10-character customs registration code (海关编码)
  customs_reg_code char(10) not null,
  name_zh text not null,
  name_en text not null,
  customs_credit_class text not null,
  rebate_class text,
  customs_code char(4) not null,
  org_id text constraint enterprises_org_id_fkey references organisations (id),
  constraint enterprises_pkey primary key (id, valid_from),
  constraint enterprises_period_check check (valid_to is null or valid_to > valid_from),
  constraint enterprises_credit_check check (customs_credit_class in ('advanced-certified', 'general-certified', 'general', 'discredited')),
  constraint enterprises_rebate_check check (rebate_class is null or rebate_class in ('1', '2', '3', '4'))
);
create index enterprises_org_id_idx on enterprises (org_id);

-- HS nomenclature loaded by `portcluster reference import hs FILE`.
create table hs_codes (
  code text primary key,
  level smallint not null,
  parent text,
  section text not null,
  description text not null,
  edition text not null,
  constraint hs_codes_level_check check (level in (2, 4, 6, 8, 10))
);
