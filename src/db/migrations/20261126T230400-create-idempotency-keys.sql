-- Stored responses for POST/PUT requests that carried an Idempotency-Key (http/idempotency.ts).
create table idempotency_keys (
  -- the caller (user or api key) and its key: two callers may pick the same key
  principal_id text not null,
  key text not null,
  method text not null,
  path text not null,
  request_hash text not null,
  status_code integer,
  response_body jsonb,
  created_at timestamptz not null default now(),
  completed_at timestamptz,
  constraint idempotency_keys_pkey primary key (principal_id, key)
);
