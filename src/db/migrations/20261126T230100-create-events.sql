-- The append-only, hash-chained event log (events/). Every state change writes one row here
-- in the same transaction as the change.
create table events (
  seq bigserial primary key,
  id text not null,
  type text not null,
  aggregate_type text not null,
  aggregate_id text not null,
  -- organisations allowed to see this event besides customs of its district and admins
  org_ids text[] not null default '{}',
  district_code text,
  actor_type text not null,
  actor_id text,
  occurred_at timestamptz not null,
  recorded_at timestamptz not null default now(),
  payload jsonb not null,
  prev_hash text not null,
  hash text not null,
  constraint events_id_key unique (id),
  constraint events_actor_type_check check (actor_type in ('user', 'api-key', 'system', 'rule'))
);
create index events_aggregate_idx on events (aggregate_type, aggregate_id, seq);
create index events_type_idx on events (type, seq);

create function events_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'events are append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end
$$;

create trigger events_no_update before update or delete on events
  for each row execute function events_refuse_change();
create trigger events_no_truncate before truncate on events
  for each statement execute function events_refuse_change();
