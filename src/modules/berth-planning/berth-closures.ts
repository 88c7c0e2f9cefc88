import type { Principal } from '../../auth/principal.ts';
import { actorOf } from '../../auth/principal.ts';
import { visibleTo } from '../../auth/scope.ts';
import { isoDate } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { inTransaction, type DbOrTx } from '../../db/tx.ts';
import { appendEvent } from '../../events/event-log.ts';
import { validAt } from '../registry/index.ts';
import { BerthPlanErrorCode, type Deps } from './berth-planning.service.ts';

/**
 * Maintenance windows (and other closures) of berths. A closure belongs to the berth's operator (the
 * organisation that plans it); adding and removing one are events. The berth plan keeps ships off a
 * berth while it is closed.
 */
export type Closure = {
  id: string;
  berthId: string;
  berthCode: string;
  startsAt: string;
  endsAt: string;
  reason: string;
  createdAt: string;
};

const invalid = (path: string, message: string): AppError =>
  new AppError('INVALID_INPUT', BerthPlanErrorCode.INVALID_FIELD, `${path}: ${message}`, [{ path, message }]);

export const addClosure = async (
  { db, clock }: Deps,
  p: Principal,
  input: { berthId: string; startsAt: string; endsAt: string; reason: string },
): Promise<Closure> => {
  const startsAt = new Date(input.startsAt);
  const endsAt = new Date(input.endsAt);
  if (endsAt.getTime() <= startsAt.getTime()) {
    throw invalid('/endsAt', 'must be after startsAt');
  }
  return inTransaction(db, async (trx) => {
    const date = isoDate(startsAt);
    const berth = await trx
      .selectFrom('berths')
      .innerJoin('terminals', 'terminals.id', 'berths.terminal_id')
      .select(['berths.id', 'berths.code', 'terminals.operator_org_id'])
      .where('berths.id', '=', input.berthId)
      .where(validAt(date, 'berths'))
      .where(validAt(date, 'terminals'))
      .executeTakeFirst();
    if (berth === undefined) {
      throw invalid('/berthId', `no berth ${input.berthId} is registered on ${date}`);
    }
    if (p.role !== 'admin' && berth.operator_org_id !== p.orgId) {
      throw new AppError(
        'NOT_ALLOWED',
        BerthPlanErrorCode.NOT_YOUR_BERTH,
        `Berth ${berth.code} belongs to a terminal your organisation does not operate`,
        [{ path: '/berthId', message: 'not a berth of your terminal' }],
      );
    }
    const now = clock.now();
    const id = newId('berthClosure', now);
    const orgId = berth.operator_org_id ?? p.orgId;
    await trx
      .insertInto('berth_closures')
      .values({
        id,
        org_id: orgId,
        berth_id: berth.id,
        starts_at: startsAt,
        ends_at: endsAt,
        reason: input.reason,
        created_by: p.id,
        created_at: now,
      })
      .execute();
    const closure = {
      id,
      berthId: berth.id,
      berthCode: berth.code,
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      reason: input.reason,
      createdAt: now.toISOString(),
    };
    await appendEvent(trx, clock, {
      type: 'berth.closure-added',
      aggregateType: 'berth',
      aggregateId: berth.id,
      actor: actorOf(p),
      orgIds: [orgId],
      payload: closure,
    });
    return closure;
  });
};

export const removeClosure = async ({ db, clock }: Deps, p: Principal, id: string): Promise<void> =>
  inTransaction(db, async (trx) => {
    const row = await trx
      .selectFrom('berth_closures')
      .selectAll()
      .where('id', '=', id)
      .where('removed_at', 'is', null)
      .where(visibleTo('berth_closures', p))
      .forUpdate()
      .executeTakeFirst();
    if (row === undefined) {
      throw new AppError('NOT_FOUND', BerthPlanErrorCode.NOT_FOUND, `No open berth closure ${id}`);
    }
    const now = clock.now();
    await trx.updateTable('berth_closures').set({ removed_at: now, removed_by: p.id }).where('id', '=', id).execute();
    await appendEvent(trx, clock, {
      type: 'berth.closure-removed',
      aggregateType: 'berth',
      aggregateId: row.berth_id,
      actor: actorOf(p),
      orgIds: [row.org_id],
      payload: { id, startsAt: row.starts_at.toISOString(), endsAt: row.ends_at.toISOString(), reason: row.reason },
    });
  });

export const listClosures = async (db: DbOrTx, p: Principal, f: { portLocode?: string; from?: Date; to?: Date }): Promise<Closure[]> => {
  let qb = db
    .selectFrom('berth_closures')
    .innerJoin('berths', 'berths.id', 'berth_closures.berth_id')
    .select([
      'berth_closures.id',
      'berth_closures.berth_id',
      'berth_closures.starts_at',
      'berth_closures.ends_at',
      'berth_closures.reason',
      'berth_closures.created_at',
    ])
    .select((eb) => eb.fn.max('berths.code').as('berth_code'))
    .where('berth_closures.removed_at', 'is', null)
    .where(visibleTo('berth_closures', p))
    .groupBy([
      'berth_closures.id',
      'berth_closures.berth_id',
      'berth_closures.starts_at',
      'berth_closures.ends_at',
      'berth_closures.reason',
      'berth_closures.created_at',
    ]);
  if (f.from !== undefined) {
    qb = qb.where('berth_closures.ends_at', '>', f.from);
  }
  if (f.to !== undefined) {
    qb = qb.where('berth_closures.starts_at', '<', f.to);
  }
  if (f.portLocode !== undefined) {
    const locode = f.portLocode;
    qb = qb.where('berths.terminal_id', 'in', (eb) =>
      eb
        .selectFrom('terminals')
        .innerJoin('port_areas', 'port_areas.id', 'terminals.port_area_id')
        .innerJoin('ports', 'ports.id', 'port_areas.port_id')
        .select('terminals.id')
        .where('ports.locode', '=', locode),
    );
  }
  const rows = await qb.orderBy('berth_closures.starts_at').execute();
  return rows.map((r) => ({
    id: r.id,
    berthId: r.berth_id,
    berthCode: String(r.berth_code),
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at.toISOString(),
    reason: r.reason,
    createdAt: r.created_at.toISOString(),
  }));
};
