import type { Actor } from '../../../events/event-log.ts';
import { appendEvent } from '../../../events/event-log.ts';
import type { Clock } from '../../../core/clock.ts';
import { isoDate } from '../../../core/clock.ts';
import { newId } from '../../../core/ids.ts';
import { inTransaction, type DbOrTx } from '../../../db/tx.ts';
import type { EntitySpec } from '../registry.entities.ts';
import { presentVersion } from '../registry.presenter.ts';
import { insertVersion, type RegistryRow } from '../registry.repository.ts';
import { assertPeriod, checkFields, eventAudience, toColumns } from './check-fields.ts';

export type CreateEntityDeps = { db: DbOrTx; clock: Clock };
export type CreateEntityInput = { fields: Record<string, unknown>; validFrom?: string; validTo?: string | null; actor: Actor };

/** Registers a new entity with its first version; writes `registry.<singular>-created`. */
export const createEntity = async (
  { db, clock }: CreateEntityDeps,
  spec: EntitySpec,
  input: CreateEntityInput,
): Promise<Record<string, unknown>> => {
  const period = { from: input.validFrom ?? isoDate(clock.now()), to: input.validTo ?? null };
  assertPeriod(period);
  return inTransaction(db, async (trx) => {
    const values = await checkFields(trx, spec, input.fields, period, null);
    const row: RegistryRow = { id: newId(spec.idKind, clock.now()), valid_from: period.from, valid_to: period.to, ...toColumns(values) };
    await insertVersion(trx, spec, row);
    const presented = presentVersion(spec, row);
    await appendEvent(trx, clock, {
      type: `registry.${spec.singular}-created`,
      aggregateType: spec.singular,
      aggregateId: row.id,
      actor: input.actor,
      payload: presented,
      ...(await eventAudience(trx, spec, values, period.from)),
    });
    return presented;
  });
};
