-- Which reference-data folders were loaded, with a checksum of their files, so a start-up seed of
-- an unchanged dataset is skipped instead of re-checking every record.
create table reference_datasets (
  name text primary key,
  version text not null,
  checksum text not null,
  loaded_at timestamptz not null default now()
);
