import { sql } from 'kysely';
import type { Principal } from '../../auth/principal.ts';
import { eventsVisibleTo, visibleTo } from '../../auth/scope.ts';
import { AppError } from '../../core/errors.ts';
import { decodeCursor, pageOf } from '../../core/pagination.ts';
import type { DbOrTx } from '../../db/tx.ts';
import { writeCusres, type DeclarationResponse } from '../../edi/messages/cusres.ts';
import type { DeclarationRow } from './declarations.commands.ts';
import { DeclarationErrorCode } from './declarations.errors.ts';
import { STATUS_NAMES, type DeclarationStatus } from './declarations.machine.ts';
import { billsOnManifests, exportDisagreements, type BillOnManifest } from './declarations.matching.ts';

/** Risk channel, rules, score and facts are customs' own: never shown to a declarant (PRODUCT.md). */
export const seesRisk = (p: Principal): boolean => p.orgKind === 'customs' || p.role === 'admin';

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export const presentDeclaration = (r: DeclarationRow, p: Principal) => ({
  id: r.id,
  entryId: r.entry_id,
  direction: r.direction,
  procedure: r.procedure,
  stage: r.stage,
  status: r.status,
  statusName: STATUS_NAMES[r.status as DeclarationStatus],
  enterpriseCode: r.enterprise_code,
  creditClass: r.credit_class,
  customsCode: r.customs_code,
  districtCode: r.district_code,
  portCallId: r.port_call_id,
  billNumber: r.bill_number,
  manifestMatched: r.manifest_id !== null,
  containerNumbers: r.container_numbers,
  packages: r.packages,
  grossKg: r.gross_kg,
  netKg: r.net_kg,
  totalValue: r.total_value,
  currency: r.currency,
  goodsArrivedAt: iso(r.goods_arrived_at),
  completeDueAt: iso(r.complete_due_at),
  releaseAuthorisedAt: iso(r.release_authorised_at),
  releasedAt: iso(r.released_at),
  closedAt: iso(r.closed_at),
  declaredAt: r.declared_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  version: r.version,
  document: r.document as Record<string, unknown>,
  ...(seesRisk(p) ? { channel: r.channel, risk: r.risk as Record<string, unknown> | null } : {}),
});
export type DeclarationView = ReturnType<typeof presentDeclaration>;

export const findDeclaration = (db: DbOrTx, p: Principal, id: string): Promise<DeclarationRow | undefined> =>
  db.selectFrom('declarations').selectAll().where('id', '=', id).where(visibleTo('declarations', p)).executeTakeFirst();

export const getDeclaration = async (db: DbOrTx, p: Principal, id: string): Promise<DeclarationRow> => {
  const row = await findDeclaration(db, p, id);
  if (row === undefined) {
    throw new AppError('NOT_FOUND', DeclarationErrorCode.NOT_FOUND, `No declaration ${id}`);
  }
  return row;
};

export type DeclarationFilter = {
  status?: string[];
  channel?: string;
  direction?: string;
  procedure?: string;
  q?: string;
  limit: number;
  cursor?: string;
};

/** Newest first; the keyset is the id (a ULID, so creation order). */
export const listDeclarations = async (db: DbOrTx, p: Principal, f: DeclarationFilter) => {
  if (f.channel !== undefined && !seesRisk(p)) {
    throw new AppError('NOT_ALLOWED', DeclarationErrorCode.INVALID_FIELD, 'Risk channels are for customs only', [
      { path: '/query/channel', message: 'customs only' },
    ]);
  }
  let qb = db.selectFrom('declarations').selectAll().where(visibleTo('declarations', p));
  if (f.status !== undefined && f.status.length > 0) {
    qb = qb.where('status', 'in', f.status);
  }
  if (f.channel !== undefined) {
    qb = qb.where('channel', '=', f.channel);
  }
  if (f.direction !== undefined) {
    qb = qb.where('direction', '=', f.direction);
  }
  if (f.procedure !== undefined) {
    qb = qb.where('procedure', '=', f.procedure);
  }
  if (f.q !== undefined && f.q !== '') {
    const q = f.q;
    qb = qb.where((eb) => eb.or([eb('entry_id', '=', q), eb('bill_number', '=', q), eb(sql.val(q), '=', eb.fn.any('container_numbers'))]));
  }
  if (f.cursor !== undefined) {
    qb = qb.where('id', '<', String(decodeCursor(f.cursor)));
  }
  const rows = await qb
    .orderBy('id', 'desc')
    .limit(f.limit + 1)
    .execute();
  const page = pageOf(rows, f.limit, (r) => r.id);
  return { items: page.items.map((r) => presentDeclaration(r, p)), nextCursor: page.nextCursor };
};

/** The officer's queues: open declarations of the district by status and channel. */
export const declarationQueues = async (db: DbOrTx, p: Principal) => {
  const rows = await db
    .selectFrom('declarations')
    .select(['status', 'channel', (eb) => eb.fn.countAll<number>().as('n')])
    .where(visibleTo('declarations', p))
    .where('status', 'in', ['L', 'J', 'C', 'T', 'M', 'H'])
    .groupBy(['status', 'channel'])
    .execute();
  return rows.map((r) => ({ status: r.status, channel: r.channel, count: Number(r.n) }));
};

const presentBill = (b: BillOnManifest) => ({
  manifestId: b.manifestId,
  kind: b.kind,
  portCallId: b.portCallId,
  portLocode: b.portLocode,
  grossKg: b.grossKg,
  equipment: b.equipment,
  filedAt: b.filedAt.toISOString(),
});

/** The declaration beside the manifests it must agree with, for the officer. */
export const manifestMatch = async (db: DbOrTx, d: DeclarationRow, exportTolerance: number) => {
  const bills =
    d.bill_number === null
      ? []
      : await billsOnManifests(db, d.bill_number, ['import-original', 'export-pre-stowage', 'export-arrival-report']);
  const declared = { billNumber: d.bill_number, grossKg: d.gross_kg, containerNumbers: d.container_numbers };
  if (d.direction === 'import') {
    const original = bills.find((b) => b.kind === 'import-original');
    const problems: { path: string; message: string }[] = [];
    if (original === undefined) {
      problems.push({ path: '/transport/billNumber', message: 'the bill is on no import manifest' });
    } else {
      d.container_numbers.forEach((c, k) => {
        if (original.equipment.length > 0 && !original.equipment.includes(c)) {
          problems.push({ path: `/transport/containerNumbers/${k}`, message: `${c} is not on the bill` });
        }
      });
    }
    return { declared, manifests: original === undefined ? [] : [presentBill(original)], agrees: problems.length === 0, problems };
  }
  const docs = {
    preStowage: bills.find((b) => b.kind === 'export-pre-stowage'),
    arrivalReports: bills.filter((b) => b.kind === 'export-arrival-report'),
  };
  const problems = exportDisagreements(d, docs, exportTolerance);
  return {
    declared,
    manifests: [...(docs.preStowage === undefined ? [] : [docs.preStowage]), ...docs.arrivalReports].map(presentBill),
    agrees: problems.length === 0,
    problems,
  };
};

/** Status history from the event log, as the caller may see it (risk events are customs-only). */
export const declarationHistory = async (db: DbOrTx, p: Principal, id: string) => {
  const rows = await db
    .selectFrom('events')
    .select(['seq', 'type', 'occurred_at', 'actor_type', 'actor_id', 'payload'])
    .where('aggregate_type', '=', 'declaration')
    .where('aggregate_id', '=', id)
    .where(eventsVisibleTo(p))
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    type: r.type,
    occurredAt: r.occurred_at.toISOString(),
    actor: { type: r.actor_type, id: r.actor_id },
    payload: r.payload as Record<string, unknown>,
  }));
};

/** The receipt codes a declarant's system understands, as CUSRES responses (domain.md §1.3). */
const CUSRES_OF: Partial<Record<DeclarationStatus, DeclarationResponse['status']>> = {
  L: 'accepted',
  C: 'examination',
  P: 'released',
  E: 'rejected',
  Z: 'returned-for-amendment',
};

export const declarationCusres = (
  d: DeclarationRow,
  history: Awaited<ReturnType<typeof declarationHistory>>,
  recipient: string,
  at: Date,
): string => {
  const responses: DeclarationResponse[] = [];
  for (const e of history) {
    const status = CUSRES_OF[e.payload.status as DeclarationStatus];
    const last = responses.at(-1);
    if (status !== undefined && last?.status !== status) {
      const reason = typeof e.payload.reason === 'string' ? [e.payload.reason] : [];
      responses.push({ declarationNumber: d.entry_id ?? d.id, status, statusAt: new Date(e.occurredAt), reasons: reason });
    }
  }
  const ref = `R${at.getTime().toString(36).toUpperCase()}`.slice(0, 14);
  return writeCusres(responses, { sender: 'PORTCLUSTER', recipient, controlRef: ref, preparedAt: at, messageRef: ref });
};
