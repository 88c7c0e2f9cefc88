-- Database-backed job queue (jobs/): claimed with FOR UPDATE SKIP LOCKED.
create table jobs (
  id text primary key,
  name text not null,
  payload jsonb not null default '{}',
  status text not null default 'queued',
  attempts integer not null default 0,
  max_attempts integer not null default 10,
  run_at timestamptz not null default now(),
  locked_until timestamptz,
  last_error text,
  -- at most one waiting job per dedupe key (a running one may have missed newer work)
  dedupe_key text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz,
  constraint jobs_status_check check (status in ('queued', 'running', 'done', 'dead'))
);
create index jobs_ready_idx on jobs (run_at) where status in ('queued', 'running');
create unique index jobs_dedupe_key_idx on jobs (dedupe_key) where status = 'queued';
