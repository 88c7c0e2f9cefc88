import { sql, type Selectable, type SqlBool } from 'kysely';
import type { Principal } from '../../auth/principal.ts';
import { eventsVisibleTo, visibleTo } from '../../auth/scope.ts';
import type { ContainersTable, ManifestsTable } from '../../db/schema.ts';
import type { DbOrTx } from '../../db/tx.ts';
import { CONTAINER_EVENT_KIND_NAMES, CONTAINER_EVENT_KINDS } from './container-events.ts';
import type { ManifestDocument } from './manifest.commands.ts';

type ManifestRow = Selectable<ManifestsTable>;
/** What the events say about a visit, computed when read (see the containers migration). */
type Projection = {
  discharged_at: Date | null;
  loaded_at: Date | null;
  gated_in_at: Date | null;
  gated_out_at: Date | null;
  terminal_released_at: Date | null;
  customs_released_at: Date | null;
  customs_hold_at: Date | null;
  customs_hold_lifted_at: Date | null;
  last_event_at: Date | null;
  last_location: string | null;
  event_count: number;
};
type ContainerRow = Selectable<ContainersTable> & Projection;

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

export type ManifestSummary = {
  id: string;
  kind: string;
  portCallId: string;
  vessel: { name: string; imo: string; voyage: string };
  filerOrgId: string;
  documentNumber: string;
  state: string;
  version: number;
  filedAt: string;
  amendedAt: string | null;
  deletedAt: string | null;
  deadlineAt: string | null;
  late: boolean;
  bills: number;
  equipment: number;
};

type JoinedManifest = ManifestRow & { vessel_name: string; vessel_imo: string; voyage: string };

const summary = (r: JoinedManifest): ManifestSummary => {
  const doc = r.document as ManifestDocument;
  return {
    id: r.id,
    kind: r.kind,
    portCallId: r.port_call_id,
    vessel: { name: r.vessel_name, imo: r.vessel_imo, voyage: r.voyage },
    filerOrgId: r.filer_org_id,
    documentNumber: r.document_number,
    state: r.state,
    version: r.version,
    filedAt: r.filed_at.toISOString(),
    amendedAt: iso(r.amended_at),
    deletedAt: iso(r.deleted_at),
    deadlineAt: iso(r.deadline_at),
    late: r.late,
    bills: doc.bills.length,
    equipment: doc.equipment.length,
  };
};

const manifestsBase = (db: DbOrTx, principal: Principal) =>
  db
    .selectFrom('manifests')
    .innerJoin('port_calls', 'port_calls.id', 'manifests.port_call_id')
    .selectAll('manifests')
    .select(['port_calls.vessel_name', 'port_calls.vessel_imo', 'port_calls.voyage'])
    .where(visibleTo('manifests', principal));

export type ManifestFilter = { portCallId?: string; kind?: string; late?: boolean; q?: string; includeDeleted?: boolean };

/** Manifests the caller may see, newest filing first (keyset on filed_at, id). */
export const listManifests = async (
  db: DbOrTx,
  principal: Principal,
  f: ManifestFilter & { limit: number; after?: { filedAt: Date; id: string } },
): Promise<ManifestSummary[]> => {
  let q = manifestsBase(db, principal);
  if (f.portCallId !== undefined) {
    q = q.where('manifests.port_call_id', '=', f.portCallId);
  }
  if (f.kind !== undefined) {
    q = q.where('manifests.kind', '=', f.kind);
  }
  if (f.late === true) {
    q = q.where('manifests.late', '=', true);
  }
  if (f.includeDeleted !== true) {
    q = q.where('manifests.state', '<>', 'deleted');
  }
  if (f.q !== undefined && f.q.length > 0) {
    const like = `%${f.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([
        eb('manifests.document_number', 'ilike', like),
        eb('port_calls.vessel_name', 'ilike', like),
        eb('port_calls.voyage', 'ilike', like),
        eb('manifests.id', 'in', eb.selectFrom('bills').select('bills.manifest_id').where('bills.number', 'ilike', like)),
      ]),
    );
  }
  if (f.after !== undefined) {
    const a = f.after;
    q = q.where((eb) =>
      eb.or([eb('manifests.filed_at', '<', a.filedAt), eb.and([eb('manifests.filed_at', '=', a.filedAt), eb('manifests.id', '<', a.id)])]),
    );
  }
  const rows = await q
    .orderBy('manifests.filed_at', 'desc')
    .orderBy('manifests.id', 'desc')
    .limit(f.limit + 1)
    .execute();
  return rows.map(summary);
};

export type ManifestDetail = ManifestSummary & {
  document: ManifestDocument;
  versions: { version: number; recordedAt: string; recordedBy: string | null }[];
  deleteReason: string | null;
};

export const findManifest = async (db: DbOrTx, principal: Principal, id: string): Promise<ManifestDetail | undefined> => {
  const row = await manifestsBase(db, principal).where('manifests.id', '=', id).executeTakeFirst();
  if (row === undefined) {
    return undefined;
  }
  const versions = await db
    .selectFrom('manifest_versions')
    .select(['version', 'recorded_at', 'recorded_by'])
    .where('manifest_id', '=', id)
    .orderBy('version')
    .execute();
  return {
    ...summary(row),
    document: row.document as ManifestDocument,
    versions: versions.map((v) => ({ version: v.version, recordedAt: v.recorded_at.toISOString(), recordedBy: v.recorded_by })),
    deleteReason: row.delete_reason,
  };
};

/** A manifest version's document as filed (history). */
export const manifestVersion = async (
  db: DbOrTx,
  principal: Principal,
  id: string,
  version: number,
): Promise<ManifestDocument | undefined> => {
  const visible = await manifestsBase(db, principal).where('manifests.id', '=', id).executeTakeFirst();
  if (visible === undefined) {
    return undefined;
  }
  const v = await db
    .selectFrom('manifest_versions')
    .select('document')
    .where('manifest_id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return v?.document as ManifestDocument | undefined;
};

/** Flags of one box visit, derived from the event-projected timestamps (domain.md §16.4). */
export const containerFlags = (r: ContainerRow) => {
  const t = (d: Date | null) => (d === null ? Number.NEGATIVE_INFINITY : d.getTime());
  const onHold = r.customs_hold_at !== null && t(r.customs_hold_at) > Math.max(t(r.customs_hold_lifted_at), t(r.customs_released_at));
  return {
    discharged: r.discharged_at !== null,
    customsReleased: r.customs_released_at !== null && !onHold,
    terminalReleased: r.terminal_released_at !== null,
    gatedOut: r.gated_out_at !== null,
    gatedIn: r.gated_in_at !== null,
    loaded: r.loaded_at !== null,
    onHold,
  };
};

export type ContainerView = ReturnType<typeof presentContainer>;

export const presentContainer = (r: ContainerRow & { vessel_name: string; voyage: string; port_locode: string }) => ({
  id: r.id,
  number: r.number,
  portCallId: r.port_call_id,
  vessel: { name: r.vessel_name, voyage: r.voyage },
  portLocode: r.port_locode,
  direction: r.direction,
  sizeType: r.size_type,
  fullness: r.fullness,
  seals: r.seals,
  grossKg: r.gross_kg,
  manifestId: r.manifest_id,
  bills: r.bill_numbers,
  flags: containerFlags(r),
  times: {
    dischargedAt: iso(r.discharged_at),
    loadedAt: iso(r.loaded_at),
    gatedInAt: iso(r.gated_in_at),
    gatedOutAt: iso(r.gated_out_at),
    terminalReleasedAt: iso(r.terminal_released_at),
    customsReleasedAt: iso(r.customs_released_at),
    customsHoldAt: iso(r.customs_hold_at),
    customsHoldLiftedAt: iso(r.customs_hold_lifted_at),
  },
  lastEventAt: iso(r.last_event_at),
  lastLocation: r.last_location,
  eventCount: r.event_count,
  createdAt: r.created_at.toISOString(),
});

const FLAG_COLUMNS = [...new Set(CONTAINER_EVENT_KIND_NAMES.flatMap((k) => CONTAINER_EVENT_KINDS[k].column ?? []))];

/** Per flag column, the latest event time of the kinds that set it; plus last event, location and count. */
const projection = sql<Projection>`(
  select ${sql.join(
    FLAG_COLUMNS.map(
      (col) =>
        sql`max(e.occurred_at) filter (where e.kind in (${sql.join(
          CONTAINER_EVENT_KIND_NAMES.filter((k) => CONTAINER_EVENT_KINDS[k].column === col).map((k) => sql.lit(k)),
        )})) as ${sql.ref(col)}`,
    ),
  )},
         max(e.occurred_at) as last_event_at,
         (array_agg(e.location order by e.occurred_at desc) filter (where e.location is not null))[1] as last_location,
         count(*)::int as event_count
  from container_events e where e.container_id = containers.id)`;

const containersBase = (db: DbOrTx, principal: Principal) =>
  db
    .selectFrom('containers')
    .innerJoin('port_calls', 'port_calls.id', 'containers.port_call_id')
    // an aggregate without group by: always exactly one row, also for a box without events
    .innerJoinLateral(projection.as('f'), (join) => join.onTrue())
    .selectAll('containers')
    .select(['port_calls.vessel_name', 'port_calls.voyage', 'port_calls.port_locode'])
    .selectAll('f')
    .where(visibleTo('containers', principal));

export type ContainerFilter = { number?: string; portCallId?: string; bill?: string; flag?: string };

export const CONTAINER_FLAG_FILTERS = {
  discharged: 'discharged_at',
  loaded: 'loaded_at',
  'gated-in': 'gated_in_at',
  'gated-out': 'gated_out_at',
  'terminal-released': 'terminal_released_at',
  'customs-released': 'customs_released_at',
  'on-hold': 'customs_hold_at',
} as const;

/** Box visits the caller may see; newest first (keyset on created_at, id). */
export const listContainers = async (
  db: DbOrTx,
  principal: Principal,
  f: ContainerFilter & { limit: number; after?: { createdAt: Date; id: string } },
): Promise<ContainerView[]> => {
  let q = containersBase(db, principal);
  if (f.number !== undefined) {
    q = q.where('containers.number', 'like', `${f.number.replace(/[%_\\\s-]/g, '').toUpperCase()}%`);
  }
  if (f.portCallId !== undefined) {
    q = q.where('containers.port_call_id', '=', f.portCallId);
  }
  if (f.bill !== undefined) {
    q = q.where('containers.bill_numbers', '@>', [f.bill] as never);
  }
  if (f.flag === 'on-hold' || f.flag === 'customs-released') {
    // the same rule as containerFlags: a hold counts when later than any lift or release
    const held = sql<SqlBool>`f.customs_hold_at > greatest(coalesce(f.customs_hold_lifted_at, '-infinity'::timestamptz), coalesce(f.customs_released_at, '-infinity'::timestamptz))`;
    q = f.flag === 'on-hold' ? q.where(held) : q.where(sql<SqlBool>`f.customs_released_at is not null and not coalesce(${held}, false)`);
  } else if (f.flag !== undefined && f.flag in CONTAINER_FLAG_FILTERS) {
    q = q.where(sql<SqlBool>`${sql.ref(`f.${CONTAINER_FLAG_FILTERS[f.flag as keyof typeof CONTAINER_FLAG_FILTERS]}`)} is not null`);
  }
  if (f.after !== undefined) {
    const a = f.after;
    q = q.where((eb) =>
      eb.or([
        eb('containers.created_at', '<', a.createdAt),
        eb.and([eb('containers.created_at', '=', a.createdAt), eb('containers.id', '<', a.id)]),
      ]),
    );
  }
  const rows = await q
    .orderBy('containers.created_at', 'desc')
    .orderBy('containers.id', 'desc')
    .limit(f.limit + 1)
    .execute();
  return rows.map(presentContainer);
};

export const findContainer = async (db: DbOrTx, principal: Principal, id: string): Promise<ContainerView | undefined> => {
  const row = await containersBase(db, principal).where('containers.id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : presentContainer(row);
};

export type TimelineEntry = {
  seq: number;
  type: string;
  occurredAt: string;
  recordedAt: string;
  actorType: string;
  payload: unknown;
};

/** Every event of a box visit the caller may see, in event-time order (ties by arrival). */
export const containerTimeline = async (db: DbOrTx, principal: Principal, containerId: string): Promise<TimelineEntry[]> => {
  const rows = await db
    .selectFrom('events')
    .select(['seq', 'type', 'occurred_at', 'recorded_at', 'actor_type', 'payload'])
    .where('aggregate_type', '=', 'container')
    .where('aggregate_id', '=', containerId)
    .where(eventsVisibleTo(principal))
    .orderBy('occurred_at')
    .orderBy('seq')
    .limit(5000)
    .execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    type: r.type,
    occurredAt: r.occurred_at.toISOString(),
    recordedAt: r.recorded_at.toISOString(),
    actorType: r.actor_type,
    payload: r.payload,
  }));
};
