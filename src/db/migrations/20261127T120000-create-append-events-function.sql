-- The event log's append (src/events/event-log.ts) in one round trip: the chain lock, the head
-- read, the hash of each event, and the rows of events, outbox and the fan-out job. The caller
-- prepares everything that does not depend on the chain (ids, the canonical JSON each hash covers,
-- split around the previous hash), so the lock is held for this one call and the commit. Each
-- statement of a volatile function takes a fresh snapshot, so the head read after the lock sees
-- every append committed before it.
create function append_events(
  p_lock_key bigint,
  p_recorded_at timestamptz,
  p_job_id text,
  p_job_name text,
  p_ids text[],
  p_types text[],
  p_aggregate_types text[],
  p_aggregate_ids text[],
  p_org_ids text[],
  p_district_codes text[],
  p_actor_types text[],
  p_actor_ids text[],
  p_occurred_ats timestamptz[],
  p_payloads text[],
  p_hash_heads text[],
  p_hash_tails text[]
) returns table (out_seq bigint, out_prev_hash text, out_hash text)
language plpgsql volatile as $$
declare
  n integer := cardinality(p_ids);
  first_seq bigint;
  prev text;
  seqs bigint[] := '{}';
  prevs text[] := '{}';
  hashes text[] := '{}';
  i integer;
  head text;
  tail text;
begin
  perform pg_advisory_xact_lock(p_lock_key);
  select e.hash into prev from events e order by e.seq desc limit 1;
  prev := coalesce(prev, repeat('0', 64));
  -- the lock keeps every other append out between nextval and setval
  first_seq := setval('events_seq_seq', nextval('events_seq_seq') + n - 1, true) - (n - 1);
  -- one pass over the texts (a subscript of a flat text[] walks it from the start each time)
  for i, head, tail in select u.k, u.h, u.t from unnest(p_hash_heads, p_hash_tails) with ordinality as u(h, t, k) order by u.k loop
    seqs[i] := first_seq + i - 1;
    prevs[i] := prev;
    -- the hashed text is head || JSON string of the previous hash || tail (hex needs no escaping)
    prev := encode(sha256(convert_to(head || '"' || prev || '"' || tail, 'UTF8')), 'hex');
    hashes[i] := prev;
  end loop;
  insert into events (seq, id, type, aggregate_type, aggregate_id, org_ids, district_code, actor_type, actor_id,
                      occurred_at, recorded_at, payload, prev_hash, hash)
  select t.seq, t.id, t.type, t.aggregate_type, t.aggregate_id, t.org_ids::text[], t.district_code, t.actor_type,
         t.actor_id, t.occurred_at, p_recorded_at, t.payload::jsonb, t.prev_hash, t.hash
  from unnest(seqs, p_ids, p_types, p_aggregate_types, p_aggregate_ids, p_org_ids, p_district_codes, p_actor_types,
              p_actor_ids, p_occurred_ats, p_payloads, prevs, hashes)
    as t(seq, id, type, aggregate_type, aggregate_id, org_ids, district_code, actor_type, actor_id, occurred_at, payload,
         prev_hash, hash);
  insert into outbox (event_seq, created_at) select s, p_recorded_at from unnest(seqs) as s;
  -- one waiting fan-out job at a time (jobs_dedupe_key_idx), keyed by its name
  insert into jobs (id, name, run_at, dedupe_key, created_at, updated_at)
  values (p_job_id, p_job_name, p_recorded_at, p_job_name, p_recorded_at, p_recorded_at)
  on conflict (dedupe_key) where status = 'queued' do nothing;
  return query select * from unnest(seqs, prevs, hashes);
end
$$;
