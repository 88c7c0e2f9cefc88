import { sql, type SqlBool } from 'kysely';
import type { Principal } from '../../auth/principal.ts';
import { actorOf } from '../../auth/principal.ts';
import type { OrgKind } from '../../auth/roles.ts';
import type { Clock } from '../../core/clock.ts';
import { validateContainerNumber, validateHsCodeFormat, validateUnLocode } from '../../core/codes.ts';
import { AppError, type ErrorDetail } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { pgTextArray } from '../../db/pg-array.ts';
import { inTransaction, type DbOrTx, type Tx } from '../../db/tx.ts';
import { appendEvent, appendEvents, type NewEvent } from '../../events/event-log.ts';
import { lockManifestBoxes } from './box-locks.ts';
import { policyInForce } from '../policies/index.ts';
import { findCall, type PortCallRow } from '../port-calls/index.ts';
import { CargoErrorCode } from './cargo.errors.ts';
import { filingDeadline, MANIFEST_DEADLINES_POLICY, type DeadlineRules } from './manifest-deadlines.ts';

/**
 * Manifest kinds (WCO Data Model names, China's message types of domain.md §1.3), who files
 * each and which way its boxes travel.
 */
export const MANIFEST_KINDS = {
  'import-original': { message: 'MT1101', filers: ['agency'], direction: 'import' },
  'export-pre-stowage': { message: 'MT2101', filers: ['agency'], direction: 'export' },
  'export-arrival-report': { message: 'MT3101', filers: ['terminal'], direction: 'export' },
  'export-loading': { message: 'MT4101', filers: ['agency'], direction: 'export' },
  'import-tally': { message: 'MT5101', filers: ['terminal'], direction: 'import' },
  'export-tally': { message: 'MT5102', filers: ['terminal'], direction: 'export' },
} as const satisfies Record<string, { message: string; filers: readonly OrgKind[]; direction: 'import' | 'export' }>;
export type ManifestKind = keyof typeof MANIFEST_KINDS;
export const MANIFEST_KIND_NAMES = Object.keys(MANIFEST_KINDS) as ManifestKind[];

export type GoodsItemInput = {
  seq?: number;
  description: string;
  hsCode: string;
  packages: number;
  packageType?: string;
  grossKg: number;
  netKg?: number | null;
  equipment?: string[];
};
export type BillInput = {
  number: string;
  masterNumber?: string | null;
  shipper?: string | null;
  consignee?: string | null;
  notify?: string | null;
  placeOfLoading?: string | null;
  placeOfDischarge?: string | null;
  goods: GoodsItemInput[];
};
export type EquipmentInput = {
  number: string;
  sizeType?: string | null;
  fullness: 'full' | 'empty';
  seals?: string[];
  grossKg?: number | null;
};
export type ManifestDocument = { documentNumber: string; bills: BillInput[]; equipment: EquipmentInput[] };
export type FileManifestInput = ManifestDocument & { kind: ManifestKind; portCallId: string };

export type Deps = { db: DbOrTx; clock: Clock };

const invalidAll = (details: ErrorDetail[]): AppError =>
  new AppError(
    'INVALID_INPUT',
    details[0]?.message.includes('HS code') === true ? CargoErrorCode.UNKNOWN_HS_CODE : CargoErrorCode.INVALID_FIELD,
    details.map((d) => `${d.path}: ${d.message}`).join('; '),
    details,
  );

/**
 * Checks a manifest document and returns it normalised (container numbers and HS codes without
 * spaces, dots or lower case). Every problem is collected with its field path; nothing is stored
 * when there is one.
 */
const normalise = async (db: DbOrTx, doc: ManifestDocument): Promise<ManifestDocument> => {
  const details: ErrorDetail[] = [];
  const equipment = doc.equipment.map((e, i) => {
    const n = validateContainerNumber(e.number);
    if (!n.ok) {
      details.push({ path: `/equipment/${i}/number`, message: n.reason });
    }
    return { ...e, number: n.ok ? n.value : e.number, seals: e.seals ?? [], sizeType: e.sizeType ?? null, grossKg: e.grossKg ?? null };
  });
  const boxNumbers = new Set<string>();
  equipment.forEach((e, i) => {
    if (boxNumbers.has(e.number)) {
      details.push({ path: `/equipment/${i}/number`, message: `container ${e.number} is listed twice` });
    }
    boxNumbers.add(e.number);
  });
  const billNumbers = new Set(doc.bills.map((b) => b.number));
  const seenBills = new Set<string>();
  const hsToCheck = new Map<string, string[]>();
  const bills = doc.bills.map((b, i) => {
    if (seenBills.has(b.number)) {
      details.push({ path: `/bills/${i}/number`, message: `bill ${b.number} is listed twice` });
    }
    seenBills.add(b.number);
    const master = b.masterNumber ?? null;
    if (master !== null && (master === b.number || !billNumbers.has(master))) {
      details.push({ path: `/bills/${i}/masterNumber`, message: `master bill ${master} is not another bill of this manifest` });
    }
    for (const key of ['placeOfLoading', 'placeOfDischarge'] as const) {
      const v = b[key];
      if (v !== undefined && v !== null) {
        const r = validateUnLocode(v);
        if (!r.ok) {
          details.push({ path: `/bills/${i}/${key}`, message: r.reason });
        }
      }
    }
    const goods = b.goods.map((g, j) => {
      const at = `/bills/${i}/goods/${j}`;
      const hs = validateHsCodeFormat(g.hsCode);
      if (!hs.ok) {
        details.push({ path: `${at}/hsCode`, message: hs.reason });
      } else {
        // the nomenclature holds 2-, 4- and 6-digit headings; national digits beyond 6 are not checked
        const heading = hs.value.slice(0, 6);
        hsToCheck.set(heading, [...(hsToCheck.get(heading) ?? []), `${at}/hsCode`]);
      }
      if (g.netKg !== undefined && g.netKg !== null && g.netKg > g.grossKg) {
        details.push({ path: `${at}/netKg`, message: `net weight ${g.netKg} kg exceeds gross weight ${g.grossKg} kg` });
      }
      const boxes = (g.equipment ?? []).map((x, k) => {
        const n = validateContainerNumber(x);
        if (!n.ok) {
          details.push({ path: `${at}/equipment/${k}`, message: n.reason });
          return x;
        }
        if (!boxNumbers.has(n.value)) {
          details.push({ path: `${at}/equipment/${k}`, message: `container ${n.value} is not in this manifest's equipment` });
        }
        return n.value;
      });
      return { ...g, seq: g.seq ?? j + 1, hsCode: hs.ok ? hs.value : g.hsCode, equipment: boxes, netKg: g.netKg ?? null };
    });
    return { ...b, masterNumber: master, goods };
  });
  if (hsToCheck.size > 0) {
    const known = await knownHeadings(db, [...hsToCheck.keys()]);
    for (const [code, paths] of hsToCheck) {
      if (!known.has(code)) {
        for (const path of paths) {
          details.push({ path, message: `HS code ${code} is not in the nomenclature` });
        }
      }
    }
  }
  if (details.length > 0) {
    throw invalidAll(details);
  }
  return { documentNumber: doc.documentNumber, bills, equipment };
};

/**
 * Which of these 2-, 4- or 6-digit codes the nomenclature knows. A 6-digit code whose 4-digit
 * heading has no subheadings loaded (a partial nomenclature, as in the demo set) counts as known
 * when the heading is.
 */
export const knownHeadings = async (db: DbOrTx, codes: string[]): Promise<Set<string>> => {
  const headings = [...new Set(codes.map((c) => c.slice(0, 4)))];
  const rows = await db
    .selectFrom('hs_codes as h')
    .select([
      'h.code',
      (eb) =>
        eb
          .selectFrom('hs_codes as c')
          .select((x) => x.fn.countAll<number>().as('n'))
          .whereRef('c.parent', '=', 'h.code')
          .as('children'),
    ])
    .where('h.code', 'in', [...new Set([...codes, ...headings])])
    .execute();
  const present = new Map(rows.map((r) => [r.code, Number(r.children)]));
  return new Set(codes.filter((c) => present.has(c) || (c.length === 6 && present.get(c.slice(0, 4)) === 0)));
};

const callFor = async (db: DbOrTx, principal: Principal, portCallId: string): Promise<PortCallRow> => {
  const call = await findCall(db, portCallId, principal);
  if (call === undefined) {
    throw new AppError('INVALID_INPUT', CargoErrorCode.UNKNOWN_CALL, `/portCallId: no port call ${portCallId} that you may file for`, [
      { path: '/portCallId', message: `no port call ${portCallId} that you may file for` },
    ]);
  }
  if (call.state === 'cancelled') {
    throw new AppError('INVALID_INPUT', CargoErrorCode.UNKNOWN_CALL, `/portCallId: port call ${portCallId} is cancelled`, [
      { path: '/portCallId', message: `port call ${portCallId} is cancelled` },
    ]);
  }
  return call;
};

const audienceOf = (call: PortCallRow, filerOrgId: string) => ({
  orgIds: [...new Set([call.agent_org_id, ...call.terminal_org_ids, filerOrgId])],
  districtCode: call.district_code,
});

/**
 * Container visits for the boxes of a manifest: created on first mention (with a
 * `container.manifested` event each), updated with size, seals and bills on later filings.
 */
const upsertVisits = async (
  trx: Tx,
  clock: Clock,
  principal: Principal,
  call: PortCallRow,
  manifestId: string,
  kind: ManifestKind,
  doc: ManifestDocument,
): Promise<void> => {
  if (doc.equipment.length === 0) {
    return;
  }
  const direction = MANIFEST_KINDS[kind].direction;
  const billsOf = new Map<string, string[]>();
  for (const b of doc.bills) {
    for (const g of b.goods) {
      for (const n of g.equipment ?? []) {
        billsOf.set(n, [...new Set([...(billsOf.get(n) ?? []), b.number])]);
      }
    }
  }
  const now = clock.now();
  const rows = doc.equipment.map((e) => ({ id: newId('container', now), ...e }));
  const created = await sql<{ id: string; number: string }>`
    insert into containers (id, number, port_call_id, district_code, direction, size_type, fullness, seals, gross_kg, manifest_id,
                            bill_numbers, created_at)
    select t.id, t.number, ${call.id}, ${call.district_code}, ${direction}, t.size_type, t.fullness, t.seals::text[], t.gross_kg,
           ${manifestId}, t.bills::text[], ${now.toISOString()}::timestamptz
    from unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.number)}::text[], ${rows.map((r) => r.sizeType ?? null)}::text[],
                ${rows.map((r) => r.fullness)}::text[], ${rows.map((r) => pgTextArray(r.seals ?? []))}::text[],
                ${rows.map((r) => r.grossKg ?? null)}::float8[], ${rows.map((r) => pgTextArray(billsOf.get(r.number) ?? []))}::text[])
      as t(id, number, size_type, fullness, seals, gross_kg, bills)
    on conflict (number, port_call_id, direction) do update set
      size_type = coalesce(excluded.size_type, containers.size_type),
      fullness = excluded.fullness,
      seals = case when cardinality(excluded.seals) > 0 then excluded.seals else containers.seals end,
      gross_kg = coalesce(excluded.gross_kg, containers.gross_kg),
      bill_numbers = case when cardinality(excluded.bill_numbers) > 0 then excluded.bill_numbers else containers.bill_numbers end
    returning id, number, (xmax = 0) as inserted`.execute(trx);
  const fresh = (created.rows as { id: string; number: string; inserted: boolean }[]).filter((r) => r.inserted);
  const audience = audienceOf(call, principal.orgId);
  const events: NewEvent[] = fresh.map((r) => ({
    type: 'container.manifested',
    aggregateType: 'container',
    aggregateId: r.id,
    ...audience,
    actor: actorOf(principal),
    payload: { number: r.number, portCallId: call.id, direction, manifestId, manifestKind: kind, bills: billsOf.get(r.number) ?? [] },
  }));
  await appendEvents(trx, clock, events);
};

const replaceBills = async (trx: Tx, manifestId: string, call: PortCallRow, doc: ManifestDocument): Promise<void> => {
  await trx.deleteFrom('bills').where('manifest_id', '=', manifestId).execute();
  if (doc.bills.length === 0) {
    return;
  }
  await trx
    .insertInto('bills')
    .values(
      doc.bills.map((b) => ({
        id: newId('bill'),
        manifest_id: manifestId,
        port_call_id: call.id,
        district_code: call.district_code,
        number: b.number,
        master_number: b.masterNumber ?? null,
        consignee: b.consignee ?? null,
        goods_count: b.goods.length,
        gross_kg: b.goods.reduce((s, g) => s + g.grossKg, 0),
        equipment: [...new Set(b.goods.flatMap((g) => g.equipment ?? []))],
      })),
    )
    .execute();
};

const deadlineOf = async (db: DbOrTx, kind: ManifestKind, call: PortCallRow, doc: ManifestDocument, at: Date) => {
  let rules: DeadlineRules;
  try {
    rules = (await policyInForce<DeadlineRules>(db, MANIFEST_DEADLINES_POLICY, at)).document;
  } catch {
    return null;
  }
  const allEmpty = doc.equipment.length > 0 && doc.equipment.every((e) => e.fullness === 'empty');
  return filingDeadline(rules, kind, call, allEmpty);
};

/**
 * Files a manifest for a port call (MT1101…MT5102). The deadline of the policy in force is checked
 * against the call's times; a late filing is stored and flagged with its own event.
 */
export const fileManifest = async ({ db, clock }: Deps, principal: Principal, input: FileManifestInput): Promise<{ id: string }> => {
  const spec = MANIFEST_KINDS[input.kind];
  if (principal.role !== 'admin' && !(spec.filers as readonly string[]).includes(principal.orgKind)) {
    throw new AppError(
      'NOT_ALLOWED',
      CargoErrorCode.NOT_FILER,
      `${input.kind} manifests are filed by ${spec.filers.join(' or ')} organisations`,
    );
  }
  const doc = await normalise(db, input);
  return inTransaction(db, async (trx) => {
    const call = await callFor(trx, principal, input.portCallId);
    // boxes before the chain lock (box-locks.ts)
    await lockManifestBoxes(trx, {
      manifestId: null,
      portCallId: call.id,
      direction: spec.direction,
      numbers: doc.equipment.map((e) => e.number),
    });
    const now = clock.now();
    const clash = await trx
      .selectFrom('manifests')
      .select('id')
      .where('filer_org_id', '=', principal.orgId)
      .where('kind', '=', input.kind)
      .where('document_number', '=', doc.documentNumber)
      .where('state', '<>', 'deleted')
      .executeTakeFirst();
    if (clash !== undefined) {
      throw new AppError(
        'CONFLICT',
        CargoErrorCode.DUPLICATE_DOCUMENT,
        `You already filed ${input.kind} ${doc.documentNumber} as ${clash.id}; amend it instead`,
        [{ path: '/documentNumber', message: `already filed as ${clash.id}` }],
      );
    }
    const due = await deadlineOf(trx, input.kind, call, doc, now);
    const deadline = due?.deadline ?? null;
    const late = deadline !== null && now.getTime() > deadline.getTime();
    const id = newId('manifest', now);
    await trx
      .insertInto('manifests')
      .values({
        id,
        kind: input.kind,
        port_call_id: call.id,
        filer_org_id: principal.orgId,
        district_code: call.district_code,
        document_number: doc.documentNumber,
        filed_at: now,
        deadline_at: deadline,
        late,
        document: JSON.stringify(doc),
      })
      .execute();
    await trx
      .insertInto('manifest_versions')
      .values({ manifest_id: id, version: 1, recorded_at: now, recorded_by: principal.id, document: JSON.stringify(doc) })
      .execute();
    await replaceBills(trx, id, call, doc);
    const audience = audienceOf(call, principal.orgId);
    const summary = {
      kind: input.kind,
      message: spec.message,
      portCallId: call.id,
      documentNumber: doc.documentNumber,
      bills: doc.bills.length,
      goodsItems: doc.bills.reduce((s, b) => s + b.goods.length, 0),
      equipment: doc.equipment.length,
      deadlineAt: deadline?.toISOString() ?? null,
      deadlineRule: due?.rule.id ?? null,
    };
    await appendEvent(trx, clock, {
      type: 'manifest.filed',
      aggregateType: 'manifest',
      aggregateId: id,
      ...audience,
      actor: actorOf(principal),
      payload: summary,
    });
    if (deadline !== null && late) {
      await appendEvent(trx, clock, {
        type: 'manifest.filed-late',
        aggregateType: 'manifest',
        aggregateId: id,
        ...audience,
        actor: { type: 'rule', id: due?.rule.id ?? null },
        payload: { ...summary, filedAt: now.toISOString(), minutesLate: Math.round((now.getTime() - deadline.getTime()) / 60_000) },
      });
    }
    await upsertVisits(trx, clock, principal, call, id, input.kind, doc);
    return { id };
  });
};

const lockManifest = async (trx: Tx, principal: Principal, id: string) => {
  const row = await trx.selectFrom('manifests').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (row === undefined || (row.filer_org_id !== principal.orgId && principal.role !== 'admin')) {
    throw new AppError('NOT_FOUND', CargoErrorCode.MANIFEST_NOT_FOUND, `No manifest ${id} of yours`);
  }
  if (row.state === 'deleted') {
    throw new AppError('INVALID_TRANSITION', CargoErrorCode.MANIFEST_DELETED, `Manifest ${id} was deleted`);
  }
  return row;
};

// A box the port has discharged or loaded; a box no event has touched yet.
const handled = sql<SqlBool>`exists (select 1 from container_events e where e.container_id = containers.id and e.kind in ('discharge', 'load'))`;
const untouched = sql<SqlBool>`not exists (select 1 from container_events e where e.container_id = containers.id)`;

/** Boxes of a manifest that the port has already handled (discharged or loaded). */
const handledBoxes = async (trx: Tx, manifestId: string, numbers?: string[]): Promise<string[]> => {
  let q = trx.selectFrom('containers').select('number').where('manifest_id', '=', manifestId).where(handled);
  if (numbers !== undefined) {
    if (numbers.length === 0) {
      return [];
    }
    q = q.where('number', 'in', numbers);
  }
  return (await q.execute()).map((r) => r.number);
};

/**
 * Amends a manifest: the new document replaces the current one, every version is kept. Boxes
 * dropped from it lose their visit unless they were already discharged or loaded.
 */
export const amendManifest = async (
  { db, clock }: Deps,
  principal: Principal,
  id: string,
  input: ManifestDocument & { expectedVersion: number; reason: string },
): Promise<{ id: string }> => {
  const doc = await normalise(db, input);
  return inTransaction(db, async (trx) => {
    const row = await lockManifest(trx, principal, id);
    if (row.version !== input.expectedVersion) {
      throw new AppError(
        'CONFLICT',
        CargoErrorCode.STALE_VERSION,
        `Manifest ${id} is at version ${row.version}, not ${input.expectedVersion}`,
        [{ path: '/expectedVersion', message: `the manifest is at version ${row.version}` }],
      );
    }
    const call = await callFor(trx, principal, row.port_call_id);
    await lockManifestBoxes(trx, {
      manifestId: id,
      portCallId: call.id,
      direction: MANIFEST_KINDS[row.kind as ManifestKind].direction,
      numbers: doc.equipment.map((e) => e.number),
    });
    const before = row.document as ManifestDocument;
    const kept = new Set(doc.equipment.map((e) => e.number));
    const dropped = before.equipment.map((e) => e.number).filter((n) => !kept.has(n));
    const handled = await handledBoxes(trx, id, dropped);
    if (handled.length > 0) {
      throw new AppError(
        'INVALID_TRANSITION',
        CargoErrorCode.TOO_LATE_TO_DELETE,
        `Containers ${handled.join(', ')} were already discharged or loaded and cannot leave the manifest`,
        [{ path: '/equipment', message: `must still list ${handled.join(', ')}` }],
      );
    }
    const now = clock.now();
    const version = row.version + 1;
    await trx
      .updateTable('manifests')
      .set({ document: JSON.stringify(doc), version, state: 'amended', amended_at: now })
      .where('id', '=', id)
      .execute();
    await trx
      .insertInto('manifest_versions')
      .values({ manifest_id: id, version, recorded_at: now, recorded_by: principal.id, document: JSON.stringify(doc) })
      .execute();
    await replaceBills(trx, id, call, doc);
    if (dropped.length > 0) {
      await trx.deleteFrom('containers').where('manifest_id', '=', id).where('number', 'in', dropped).where(untouched).execute();
    }
    const beforeBills = new Set(before.bills.map((b) => b.number));
    const afterBills = new Set(doc.bills.map((b) => b.number));
    await appendEvent(trx, clock, {
      type: 'manifest.amended',
      aggregateType: 'manifest',
      aggregateId: id,
      ...audienceOf(call, row.filer_org_id),
      actor: actorOf(principal),
      payload: {
        version,
        reason: input.reason,
        billsAdded: [...afterBills].filter((b) => !beforeBills.has(b)),
        billsRemoved: [...beforeBills].filter((b) => !afterBills.has(b)),
        equipmentAdded: doc.equipment.map((e) => e.number).filter((n) => !before.equipment.some((b) => b.number === n)),
        equipmentRemoved: dropped,
      },
    });
    await upsertVisits(trx, clock, principal, call, id, row.kind as ManifestKind, doc);
    return { id };
  });
};

/** Deletes a manifest, only while none of its boxes has been discharged or loaded; always an event. */
export const deleteManifest = async (
  { db, clock }: Deps,
  principal: Principal,
  id: string,
  input: { reason: string },
): Promise<{ id: string }> =>
  inTransaction(db, async (trx) => {
    const row = await lockManifest(trx, principal, id);
    await lockManifestBoxes(trx, {
      manifestId: id,
      portCallId: row.port_call_id,
      direction: MANIFEST_KINDS[row.kind as ManifestKind].direction,
      numbers: [],
    });
    const handled = await handledBoxes(trx, id);
    if (handled.length > 0) {
      throw new AppError(
        'INVALID_TRANSITION',
        CargoErrorCode.TOO_LATE_TO_DELETE,
        `Manifest ${id} cannot be deleted: ${handled.join(', ')} already discharged or loaded`,
      );
    }
    const call = await callFor(trx, principal, row.port_call_id);
    const now = clock.now();
    await trx
      .updateTable('manifests')
      .set({ state: 'deleted', deleted_at: now, delete_reason: input.reason })
      .where('id', '=', id)
      .execute();
    await trx.deleteFrom('bills').where('manifest_id', '=', id).execute();
    const removed = await trx.deleteFrom('containers').where('manifest_id', '=', id).where(untouched).returning('number').execute();
    await appendEvent(trx, clock, {
      type: 'manifest.deleted',
      aggregateType: 'manifest',
      aggregateId: id,
      ...audienceOf(call, row.filer_org_id),
      actor: actorOf(principal),
      payload: {
        reason: input.reason,
        kind: row.kind,
        documentNumber: row.document_number,
        containersRemoved: removed.map((r) => r.number),
      },
    });
    return { id };
  });
