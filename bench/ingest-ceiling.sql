-- Ceiling for bench/ingest.ts: one transaction writes the rows the API writes for one batch of
-- :batch events (the boxes' share locks, container_events, events, outbox, the fan-out job enqueue;
-- box flags are read from the events, not updated), with no application in between. Variables (pgbench -D): batch, lock (1 or 0), region
-- (boxes per client), boxes (rows in bench_boxes). bench_boxes is a lookup of the run's boxes numbered from 0, made by the bench.
-- Each client writes to its own region of boxes, so the variant without the lock has no row waits.
\set s (:client_id * :region + random(0, :region - :batch)) % (:boxes - :batch + 1)
begin;
\if :lock
select pg_advisory_xact_lock(74290002);
\endif
select hash from events order by seq desc limit 1;
select id from containers where id in (select b.id from bench_boxes b where b.n between :s and :s::int + :batch::int - 1)
order by id for key share;
insert into container_events (id, container_id, sender_org_id, sender_event_id, content_hash, kind, occurred_at,
                              recorded_at, location, details, source)
select 'cev_' || gen_random_uuid(), b.id, b.terminal_org_id, 'pgb-' || gen_random_uuid(), md5(g::text) || md5(b.id),
       (array['discharge', 'yard-move', 'yard-move', 'terminal-release', 'gate-out'])[1 + g % 5],
       now() - interval '2 days' + g * interval '1 second', now(), 'QQCT/Y' || lpad((g % 40)::text, 2, '0') || '-07-3',
       case when g % 5 = 4 then '{"vehicle": "鲁B7K315"}'::jsonb else '{}'::jsonb end, 'api'
from generate_series(0, :batch - 1) g join bench_boxes b on b.n = :s + g;
with e as (
  insert into events (id, type, aggregate_type, aggregate_id, org_ids, district_code, actor_type, actor_id, occurred_at,
                      recorded_at, payload, prev_hash, hash)
  select 'evt_' || gen_random_uuid(), 'container.yard-moved', 'container', b.id, b.org_ids, b.district_code, 'user',
         b.user_id, now() - interval '2 days' + g * interval '1 second', now(),
         jsonb_build_object('containerEventId', 'cev_' || gen_random_uuid(), 'senderEventId', 'pgb-' || gen_random_uuid(),
                            'number', b.number, 'portCallId', b.port_call_id, 'kind', 'yard-move',
                            'location', 'QQCT/Y07-12-3', 'source', 'api'),
         md5(b.id) || md5(g::text), md5(g::text) || md5(b.number)
  from generate_series(0, :batch - 1) g join bench_boxes b on b.n = :s + g
  returning seq
)
insert into outbox (event_seq, created_at) select seq, now() from e;
insert into jobs (id, name, payload, run_at, max_attempts, dedupe_key, created_at, updated_at)
values ('job_' || gen_random_uuid(), 'webhooks.fan-out', '{}', now(), 10, 'webhooks.fan-out', now(), now())
on conflict (dedupe_key) where status = 'queued' do nothing;
commit;
