import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Principal } from '../../auth/principal.ts';
import { actorOf } from '../../auth/principal.ts';
import { visibleTo } from '../../auth/scope.ts';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { DbOrTx } from '../../db/tx.ts';
import { inTransaction } from '../../db/tx.ts';
import {
  importEdifact,
  type CargoReport,
  type ContainerStatusRecord,
  type MappedMessage,
  type MappingError,
  type StowagePlan,
  type TerminalEventRecord,
  type Vessel,
  writeIftsta,
} from '../../edi/index.ts';
import { appendEvent } from '../../events/event-log.ts';
import { CargoErrorCode } from './cargo.errors.ts';
import { ingestContainerEvents, type ContainerEventKind, type IngestResult } from './container-events.ts';
import { fileManifest } from './manifest.commands.ts';

/** Uploads above this size are refused before reading (the reader's own limit is 10 M characters). */
export const MAX_EDIFACT_BYTES = 12 * 1_048_576;

/**
 * IFTSTA STS 9011 codes of the container statuses we send and read back. `12` is "cleared by
 * customs" in the UN/EDIFACT 9011 list (D96B); the others are bilateral an..3 codes [R] until the
 * Recommendation 24 codes are agreed with the partners. Data, not logic: change them here.
 */
export const IFTSTA_STATUS_CODES: Record<ContainerEventKind, string> = {
  discharge: 'DIS',
  load: 'LOA',
  'gate-in': 'GIN',
  'gate-out': 'GOU',
  'yard-move': 'YMV',
  'terminal-release': 'TRL',
  'customs-release': '12',
  'customs-hold': 'CHD',
  'customs-hold-lifted': 'CHL',
};
const KIND_OF_STATUS = new Map(Object.entries(IFTSTA_STATUS_CODES).map(([k, v]) => [v, k as ContainerEventKind]));

export type MessageOutcome = {
  status: 'imported' | 'partly-imported' | 'duplicate' | 'rejected' | 'unsupported';
  reason?: string;
  manifestId?: string;
  stowagePlanId?: string;
  events?: {
    accepted: number;
    duplicates: number;
    rejected: number;
    rejections: { eventId: string | null; code: string; reason: string }[];
  };
};

export type MessageResult = Omit<MappedMessage, 'value' | 'kind'> & { kind: MappedMessage['kind']; outcome: MessageOutcome };

export type InterchangeResult = {
  id: string;
  fileName: string | null;
  sizeBytes: number;
  sha256: string;
  receivedAt: string;
  ok: boolean;
  controlRef: string | null;
  errors: MappingError[];
  messages: MessageResult[];
};

type Deps = { db: DbOrTx; clock: Clock };

/**
 * The customs district an interchange belongs to, so the district's officers see it: customs
 * their own; a terminal operator the district of the ports its terminals are in; agents none (their
 * filings are seen through the calls they name).
 */
const senderDistrict = async (db: DbOrTx, principal: Principal): Promise<string | null> => {
  if (principal.districtCode !== null) {
    return principal.districtCode;
  }
  const row = await db
    .selectFrom('terminals')
    .innerJoin('port_areas', 'port_areas.id', 'terminals.port_area_id')
    .innerJoin('ports', 'ports.id', 'port_areas.port_id')
    .innerJoin('customs_offices', 'customs_offices.code', 'ports.customs_code')
    .select('customs_offices.district_code')
    .where('terminals.operator_org_id', '=', principal.orgId)
    .limit(1)
    .executeTakeFirst();
  return row?.district_code ?? null;
};

/** The port call a message names: by IMO (or vessel name) and voyage, among calls the sender may see. */
const matchCall = async (db: DbOrTx, principal: Principal, vessel: Vessel, explicit: string | null): Promise<string | null> => {
  let q = db.selectFrom('port_calls').select(['id']).where(visibleTo('port_calls', principal)).where('state', '<>', 'cancelled');
  if (explicit !== null) {
    q = q.where('id', '=', explicit);
  } else {
    if (vessel.voyage === null || (vessel.imo === null && vessel.name === null)) {
      return null;
    }
    q = q.where('voyage', '=', vessel.voyage);
    q =
      vessel.imo !== null
        ? q.where('vessel_imo', '=', vessel.imo)
        : q.where(sql`upper(vessel_name)`, '=', (vessel.name ?? '').toUpperCase());
  }
  const rows = await q.limit(2).execute();
  return rows.length === 1 ? (rows[0]?.id ?? null) : null;
};

const describeVessel = (v: Vessel) => `${v.name ?? v.imo ?? v.callSign ?? 'unnamed vessel'} voyage ${v.voyage ?? '?'}`;

const errorText = (e: unknown): { code: string; reason: string } => {
  if (e instanceof AppError) {
    return { code: e.code, reason: e.message };
  }
  throw e;
};

const importCargoReport = async (
  deps: Deps,
  principal: Principal,
  report: CargoReport,
  portCallId: string | null,
): Promise<MessageOutcome> => {
  const callId = await matchCall(deps.db, principal, report.vessel, portCallId);
  if (callId === null) {
    return { status: 'rejected', reason: `no port call you may file for matches ${describeVessel(report.vessel)}` };
  }
  const boxes = new Map<string, { number: string; sizeType: string | null; fullness: 'full' | 'empty'; seals: string[] }>();
  for (const b of report.bills) {
    for (const e of b.equipment) {
      boxes.set(e.number, { number: e.number, sizeType: e.sizeType, fullness: e.fullness ?? 'full', seals: e.seals });
    }
  }
  try {
    const { id } = await fileManifest(deps, principal, {
      kind: 'import-original',
      portCallId: callId,
      documentNumber: report.documentNumber ?? `CUSCAR-${report.messageRef}`,
      bills: report.bills.map((b) => ({
        number: b.number,
        masterNumber: b.masterNumber,
        shipper: b.shipper,
        consignee: b.consignee,
        notify: b.notify,
        placeOfLoading: b.placeOfLoading,
        placeOfDischarge: b.placeOfDischarge,
        goods: b.goods.map((g, i) => ({
          seq: g.seq ?? i + 1,
          description: g.description ?? '',
          hsCode: g.hsCode ?? '',
          packages: g.packages ?? 0,
          ...(g.packageType !== null ? { packageType: g.packageType } : {}),
          grossKg: g.grossKg ?? 0,
          netKg: g.netKg,
          equipment: g.equipment,
        })),
      })),
      equipment: [...boxes.values()],
    });
    return { status: 'imported', manifestId: id };
  } catch (e) {
    const { code, reason } = errorText(e);
    return { status: code === CargoErrorCode.DUPLICATE_DOCUMENT ? 'duplicate' : 'rejected', reason };
  }
};

const importStowage = async (
  { db, clock }: Deps,
  principal: Principal,
  plan: StowagePlan,
  portCallId: string | null,
  interchangeId: string,
): Promise<MessageOutcome> => {
  const callId = await matchCall(db, principal, plan.vessel, portCallId);
  return inTransaction(db, async (trx) => {
    const call =
      callId === null
        ? undefined
        : await trx
            .selectFrom('port_calls')
            .select(['district_code', 'agent_org_id', 'terminal_org_ids'])
            .where('id', '=', callId)
            .executeTakeFirst();
    const id = newId('stowagePlan', clock.now());
    await trx
      .insertInto('stowage_plans')
      .values({
        id,
        port_call_id: callId,
        sender_org_id: principal.orgId,
        district_code: call?.district_code ?? principal.districtCode,
        message_ref: plan.messageRef,
        vessel_imo: plan.vessel.imo,
        vessel_name: plan.vessel.name,
        voyage: plan.vessel.voyage,
        equipment: JSON.stringify(plan.equipment),
        equipment_count: plan.equipment.length,
        received_at: clock.now(),
      })
      .execute();
    await appendEvent(trx, clock, {
      type: 'stowage.received',
      aggregateType: 'stowage-plan',
      aggregateId: id,
      orgIds: [principal.orgId, ...(call === undefined ? [] : [call.agent_org_id, ...call.terminal_org_ids])],
      districtCode: call?.district_code ?? principal.districtCode,
      actor: actorOf(principal),
      payload: { interchangeId, portCallId: callId, messageRef: plan.messageRef, vessel: plan.vessel, equipment: plan.equipment.length },
    });
    return {
      status: 'imported' as const,
      stowagePlanId: id,
      ...(callId === null ? { reason: `stored without a port call: none you may see matches ${describeVessel(plan.vessel)}` } : {}),
    };
  });
};

const eventsOutcome = (r: IngestResult): MessageOutcome => ({
  status:
    r.rejected === 0
      ? r.accepted === 0 && r.duplicates > 0
        ? 'duplicate'
        : 'imported'
      : r.accepted + r.duplicates > 0
        ? 'partly-imported'
        : 'rejected',
  events: {
    accepted: r.accepted,
    duplicates: r.duplicates,
    rejected: r.rejected,
    rejections: r.results.flatMap((x) =>
      x.status === 'rejected' ? [{ eventId: x.eventId, code: x.code, reason: `${x.path}: ${x.reason}` }] : [],
    ),
  },
});

const terminalEventItems = (records: TerminalEventRecord[]) =>
  records.map((r) => ({
    eventId: r.senderEventId.slice(0, 100),
    kind: r.kind,
    containerNumber: r.containerNumber,
    occurredAt: r.occurredAt,
    ...(r.location !== null ? { location: r.location.slice(0, 35) } : {}),
    ...(r.truck !== undefined ? { vehicle: r.truck.slice(0, 35) } : {}),
    ...(r.seals.length > 0 ? { seals: r.seals.slice(0, 10) } : {}),
    ...(r.fullness !== null ? { fullness: r.fullness } : {}),
  }));

const statusItems = (records: ContainerStatusRecord[], controlRef: string, messageRef: string) =>
  records.map((r, i) => {
    const kind = KIND_OF_STATUS.get(r.statusCode);
    return {
      // an unmapped status code is rejected per item by the ingest's own kind check
      eventId: (r.reference ?? `${controlRef}:${messageRef}:${i + 1}`).slice(0, 100),
      kind: kind ?? `iftsta-${r.statusCode}`,
      containerNumber: r.containerNumber,
      occurredAt: r.occurredAt,
      ...(r.location !== undefined ? { location: r.location.slice(0, 35) } : {}),
    };
  });

const INGEST_CHUNK = 2000;

/** Large COARRI/CODECO messages go in chunks, each its own transaction, so progress can be shown. */
const ingestInChunks = async (deps: Deps, principal: Principal, items: unknown[], progress: (n: number) => void): Promise<IngestResult> => {
  const all: IngestResult = { accepted: 0, duplicates: 0, rejected: 0, results: [] };
  for (let i = 0; i < items.length; i += INGEST_CHUNK) {
    const r = await ingestContainerEvents(deps, principal, items.slice(i, i + INGEST_CHUNK), { source: 'edifact' });
    all.accepted += r.accepted;
    all.duplicates += r.duplicates;
    all.rejected += r.rejected;
    all.results.push(...r.results.map((x) => ({ ...x, index: x.index + i })));
    progress(i + INGEST_CHUNK);
  }
  return all;
};

/**
 * Imports one EDIFACT interchange: reads and maps it (src/edi), then hands each sound message to
 * the command it feeds — CUSCAR files an import manifest, BAPLIE stores a stowage plan, COARRI and
 * CODECO (and IFTSTA statuses) go through the container-event ingest. A defective interchange
 * imports nothing. The interchange and every message's outcome are kept.
 */
export const importInterchange = async (
  deps: Deps,
  principal: Principal,
  input: { bytes: Buffer; fileName: string | null; portCallId: string | null },
  onProgress?: (done: number, total: number) => void,
): Promise<InterchangeResult> => {
  if (input.bytes.byteLength > MAX_EDIFACT_BYTES) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      CargoErrorCode.EDIFACT_REJECTED,
      `the file has ${input.bytes.byteLength} bytes; at most ${MAX_EDIFACT_BYTES} are accepted`,
      [{ path: '/body', message: `larger than ${MAX_EDIFACT_BYTES} bytes` }],
    );
  }
  if (input.bytes.byteLength === 0) {
    throw new AppError('INVALID_INPUT', CargoErrorCode.EDIFACT_REJECTED, 'the file is empty', [{ path: '/body', message: 'is empty' }]);
  }
  const id = newId('interchange', deps.clock.now());
  const mapped = importEdifact(input.bytes);
  const controlRef = mapped.controlRef;
  const messages: MessageResult[] = [];
  // progress in boxes: the messages' equipment counts (at least one unit per message)
  const total = mapped.messages.reduce((n, m) => n + Math.max(1, m.equipmentCount), 0);
  let done = 0;
  onProgress?.(0, total);
  for (const m of mapped.messages) {
    const { value, kind, ...rest } = m;
    let outcome: MessageOutcome;
    if (!m.ok || value === null) {
      outcome = { status: kind === 'unsupported' ? 'unsupported' : 'rejected', reason: m.errors.map((e) => e.message).join('; ') };
    } else if (kind === 'cargo-report') {
      outcome = await importCargoReport(deps, principal, value, input.portCallId);
    } else if (kind === 'stowage') {
      outcome = await importStowage(deps, principal, value, input.portCallId, id);
    } else {
      const items = kind === 'terminal-events' ? terminalEventItems(value) : statusItems(value, controlRef ?? id, m.ref);
      outcome = eventsOutcome(
        await ingestInChunks(deps, principal, items, (n) => onProgress?.(done + Math.min(n, m.equipmentCount), total)),
      );
    }
    done += Math.max(1, m.equipmentCount);
    onProgress?.(done, total);
    messages.push({ ...rest, kind, outcome });
  }
  const now = deps.clock.now();
  const districtCode = await senderDistrict(deps.db, principal);
  const result: InterchangeResult = {
    id,
    fileName: input.fileName,
    sizeBytes: input.bytes.byteLength,
    sha256: createHash('sha256').update(input.bytes).digest('hex'),
    receivedAt: now.toISOString(),
    ok: mapped.ok,
    controlRef,
    errors: mapped.errors,
    messages,
  };
  await inTransaction(deps.db, async (trx) => {
    await trx
      .insertInto('edifact_interchanges')
      .values({
        id,
        sender_org_id: principal.orgId,
        district_code: districtCode,
        file_name: input.fileName,
        control_ref: controlRef,
        size_bytes: result.sizeBytes,
        sha256: result.sha256,
        ok: result.ok,
        message_count: messages.length,
        results: JSON.stringify({ errors: result.errors, messages }),
        received_at: now,
      })
      .execute();
    await appendEvent(trx, deps.clock, {
      type: 'edifact.interchange-received',
      aggregateType: 'edifact-interchange',
      aggregateId: id,
      orgIds: [principal.orgId],
      districtCode,
      actor: actorOf(principal),
      payload: {
        fileName: input.fileName,
        sha256: result.sha256,
        ok: result.ok,
        messages: messages.map((x) => ({ ref: x.ref, type: x.type, status: x.outcome.status })),
      },
    });
  });
  return result;
};

type InterchangeRow = {
  id: string;
  file_name: string | null;
  size_bytes: number;
  sha256: string;
  received_at: Date;
  ok: boolean;
  control_ref: string | null;
  results: unknown;
};

const present = (r: InterchangeRow): InterchangeResult => {
  const saved = r.results as { errors: MappingError[]; messages: MessageResult[] };
  return {
    id: r.id,
    fileName: r.file_name,
    sizeBytes: r.size_bytes,
    sha256: r.sha256,
    receivedAt: r.received_at.toISOString(),
    ok: r.ok,
    controlRef: r.control_ref,
    errors: saved.errors,
    messages: saved.messages,
  };
};

/** Interchanges the caller may see (its own organisation's; customs its district's), newest first. */
export const listInterchanges = async (db: DbOrTx, principal: Principal, limit: number, before?: { at: Date; id: string }) => {
  let q = db
    .selectFrom('edifact_interchanges')
    .select(['id', 'file_name', 'size_bytes', 'sha256', 'received_at', 'ok', 'control_ref', 'results'])
    .where(visibleTo('edifact_interchanges', principal));
  if (before !== undefined) {
    q = q.where((eb) => eb.or([eb('received_at', '<', before.at), eb.and([eb('received_at', '=', before.at), eb('id', '<', before.id)])]));
  }
  const rows = await q
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  return rows.map(present);
};

export const findInterchange = async (db: DbOrTx, principal: Principal, id: string): Promise<InterchangeResult | undefined> => {
  const row = await db
    .selectFrom('edifact_interchanges')
    .select(['id', 'file_name', 'size_bytes', 'sha256', 'received_at', 'ok', 'control_ref', 'results'])
    .where(visibleTo('edifact_interchanges', principal))
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? undefined : present(row);
};

/** Status records of one box visit from its container events, in event-time order (for IFTSTA out). */
export const containerStatuses = async (db: DbOrTx, containerId: string): Promise<ContainerStatusRecord[]> => {
  const rows = await db
    .selectFrom('container_events')
    .select(['kind', 'occurred_at', 'location', 'sender_event_id', 'container_id'])
    .where('container_id', '=', containerId)
    .orderBy('occurred_at')
    .orderBy('recorded_at')
    .execute();
  const box = await db.selectFrom('containers').select('number').where('id', '=', containerId).executeTakeFirstOrThrow();
  return rows.map((r) => ({
    containerNumber: box.number,
    statusCode: IFTSTA_STATUS_CODES[r.kind as ContainerEventKind],
    // IFTSTA carries minutes; the reader gives ISO UTC at minute precision
    occurredAt: `${r.occurred_at.toISOString().slice(0, 16)}:00Z`,
    ...(r.location !== null ? { location: r.location } : {}),
    reference: r.sender_event_id,
  }));
};

/** IFTSTA (container status) of one box visit, for a subscriber's system. */
export const containerIftsta = async (db: DbOrTx, clock: Clock, principal: Principal, containerId: string): Promise<string> => {
  const statuses = await containerStatuses(db, containerId);
  const now = clock.now();
  const ref = `${now.getTime().toString(36).toUpperCase()}`.slice(-14);
  return writeIftsta(statuses, { sender: 'PORTCLUSTER', recipient: principal.orgCode, controlRef: ref, preparedAt: now, messageRef: ref });
};
