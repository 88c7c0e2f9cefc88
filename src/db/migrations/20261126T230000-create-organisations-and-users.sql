-- Organisations, their users and machine API keys (auth/).
create table organisations (
  id text primary key,
  code text not null,
  name_zh text not null,
  name_en text not null,
  kind text not null,
  -- customs organisations act for one district (e.g. 4200); others may be tied to one too.
  district_code text,
  created_at timestamptz not null default now(),
  constraint organisations_code_key unique (code),
  constraint organisations_kind_check check (kind in ('customs', 'terminal', 'agency', 'enterprise', 'laboratory', 'operator', 'platform'))
);

create table users (
  id text primary key,
  org_id text not null constraint users_org_id_fkey references organisations (id),
  username text not null,
  display_name text not null,
  role text not null,
  password_hash text not null,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  constraint users_username_key unique (username),
  constraint users_role_check check (role in ('customs-officer', 'risk-analyst', 'terminal-operator', 'agent', 'declarant', 'laboratory', 'operator', 'admin'))
);
create index users_org_id_idx on users (org_id);

create table api_keys (
  id text primary key,
  org_id text not null constraint api_keys_org_id_fkey references organisations (id),
  name text not null,
  role text not null,
  -- first characters of the key, shown so people can tell keys apart; never the key itself
  prefix text not null,
  key_hash text not null,
  created_by text constraint api_keys_created_by_fkey references users (id),
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  constraint api_keys_key_hash_key unique (key_hash)
);
create index api_keys_org_id_idx on api_keys (org_id);

-- Instance-wide secrets generated at first start (token signing key when none is configured).
create table instance_secrets (
  name text primary key,
  value text not null,
  created_at timestamptz not null default now()
);
