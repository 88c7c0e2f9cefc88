-- Transactional outbox and webhook subscriptions/deliveries (events/).
create table outbox (
  seq bigserial primary key,
  event_seq bigint not null constraint outbox_event_seq_fkey references events (seq),
  created_at timestamptz not null default now(),
  processed_at timestamptz
);
create index outbox_unprocessed_idx on outbox (seq) where processed_at is null;

create table webhook_subscriptions (
  id text primary key,
  org_id text not null constraint webhook_subscriptions_org_id_fkey references organisations (id),
  url text not null,
  secret text not null,
  -- event types, or '*' for all the organisation may see
  event_types text[] not null,
  active boolean not null default true,
  created_by text,
  created_at timestamptz not null default now(),
  -- lease held by the worker delivering for this subscription, so deliveries stay in order
  lease_until timestamptz
);
create index webhook_subscriptions_org_id_idx on webhook_subscriptions (org_id);

create table webhook_deliveries (
  id text primary key,
  subscription_id text not null constraint webhook_deliveries_subscription_id_fkey references webhook_subscriptions (id),
  org_id text not null,
  event_seq bigint not null,
  event_id text not null,
  event_type text not null,
  status text not null default 'pending',
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_status_code integer,
  last_error text,
  delivered_at timestamptz,
  created_at timestamptz not null default now(),
  constraint webhook_deliveries_sub_event_key unique (subscription_id, event_id),
  constraint webhook_deliveries_status_check check (status in ('pending', 'delivered', 'dead'))
);
create index webhook_deliveries_pending_idx on webhook_deliveries (subscription_id, event_seq) where status = 'pending';

-- One row per attempt: what the subscriber sees in its delivery log.
create table webhook_attempts (
  id bigserial primary key,
  delivery_id text not null constraint webhook_attempts_delivery_id_fkey references webhook_deliveries (id),
  attempted_at timestamptz not null,
  status_code integer,
  error text,
  duration_ms integer not null
);
create index webhook_attempts_delivery_id_idx on webhook_attempts (delivery_id);
