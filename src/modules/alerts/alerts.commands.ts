import type { Selectable } from 'kysely';
import type { Principal } from '../../auth/principal.ts';
import { actorOf } from '../../auth/principal.ts';
import { visibleTo } from '../../auth/scope.ts';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { AlertsTable } from '../../db/schema.ts';
import { inTransaction, type DbOrTx, type Tx } from '../../db/tx.ts';
import { appendEvent, type Actor } from '../../events/event-log.ts';
import { AlertErrorCode } from './alerts.errors.ts';

export type AlertRow = Selectable<AlertsTable>;
export type Deps = { db: DbOrTx; clock: Clock };

const audience = (r: AlertRow) => ({ orgIds: r.org_ids, districtCode: r.district_code });

/** The alert as the caller may see it, locked for the change (row lock before the event chain's). */
const lockVisible = async (trx: Tx, p: Principal, id: string): Promise<AlertRow> => {
  const row = await trx.selectFrom('alerts').selectAll().where('id', '=', id).where(visibleTo('alerts', p)).forUpdate().executeTakeFirst();
  if (row === undefined) {
    throw new AppError('NOT_FOUND', AlertErrorCode.NOT_FOUND, `No alert ${id}`);
  }
  return row;
};

const refuse = (row: AlertRow, action: string): AppError =>
  new AppError('INVALID_TRANSITION', AlertErrorCode.INVALID_TRANSITION, `Cannot ${action} an alert that is ${row.state}`, [
    { path: '/state', message: `is ${row.state}` },
  ]);

/** Someone has seen the alert and is on it: open → acknowledged. */
export const acknowledgeAlert = ({ db, clock }: Deps, p: Principal, id: string, input: { note?: string }): Promise<AlertRow> =>
  inTransaction(db, async (trx) => {
    const row = await lockVisible(trx, p, id);
    if (row.state !== 'open') {
      throw refuse(row, 'acknowledge');
    }
    const now = clock.now();
    const updated = await trx
      .updateTable('alerts')
      .set({ state: 'acknowledged', acknowledged_at: now, acknowledged_by: p.id })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendEvent(trx, clock, {
      type: 'alert.acknowledged',
      aggregateType: 'alert',
      aggregateId: id,
      ...audience(row),
      actor: actorOf(p),
      payload: { ruleId: row.rule_id, subjectType: row.subject_type, subjectId: row.subject_id, note: input.note ?? null },
    });
    return updated;
  });

const resolveRow = async (trx: Tx, clock: Clock, row: AlertRow, resolution: string, actor: Actor): Promise<AlertRow> => {
  const now = clock.now();
  const updated = await trx
    .updateTable('alerts')
    .set({ state: 'resolved', resolved_at: now, resolved_by: actor.id, resolution })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendEvent(trx, clock, {
    type: 'alert.resolved',
    aggregateType: 'alert',
    aggregateId: row.id,
    ...audience(row),
    actor,
    payload: { ruleId: row.rule_id, subjectType: row.subject_type, subjectId: row.subject_id, resolution },
  });
  return updated;
};

/** A person closes the alert (open or acknowledged → resolved) saying how. */
export const resolveAlert = ({ db, clock }: Deps, p: Principal, id: string, input: { resolution: string }): Promise<AlertRow> =>
  inTransaction(db, async (trx) => {
    const row = await lockVisible(trx, p, id);
    if (row.state === 'resolved') {
      throw refuse(row, 'resolve');
    }
    return resolveRow(trx, clock, row, input.resolution, actorOf(p));
  });
