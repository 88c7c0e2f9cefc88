-- Berth plans proposed by the optimiser (modules/berth-planning): the instance's window, every
-- proposed window with the objective and proven bound, and whether a planner accepted it. Accepting
-- moves each call's planned berth through the port-call command (its own event).
create table berth_plan_proposals (
  id text primary key,
  org_id text not null references organisations (id),
  port_locode char(5) not null,
  status text not null,
  document jsonb not null,
  created_by text,
  created_at timestamptz not null default now(),
  accepted_at timestamptz,
  accepted_by text,
  constraint berth_plan_proposals_status_check check (status in ('proposed', 'accepted'))
);
create index berth_plan_proposals_org_idx on berth_plan_proposals (org_id, created_at desc);
