-- Maintenance windows (and other closures) of a berth: the planner's berth plan keeps ships off it
-- between starts_at and ends_at. Removing one is an event too (removed_at), never a delete.
create table berth_closures (
  id text primary key,
  org_id text not null references organisations (id),
  berth_id text not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  reason text not null,
  created_by text,
  created_at timestamptz not null default now(),
  removed_at timestamptz,
  removed_by text,
  constraint berth_closures_window_check check (ends_at > starts_at)
);
create index berth_closures_berth_idx on berth_closures (berth_id, starts_at);
