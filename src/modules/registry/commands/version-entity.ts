import type { Clock } from '../../../core/clock.ts';
import { AppError } from '../../../core/errors.ts';
import { inTransaction, type DbOrTx } from '../../../db/tx.ts';
import { appendEvent, type Actor } from '../../../events/event-log.ts';
import type { EntitySpec } from '../registry.entities.ts';
import { RegistryErrorCode } from '../registry.errors.ts';
import { presentVersion } from '../registry.presenter.ts';
import { closeVersion, insertVersion, listVersions, replaceVersion, type RegistryRow } from '../registry.repository.ts';
import { assertPeriod, checkFields, eventAudience, toColumns } from './check-fields.ts';

export type VersionEntityInput = {
  id: string;
  fields: Record<string, unknown>;
  validFrom: string;
  validTo?: string | null;
  actor: Actor;
};

/**
 * Records what an entity looks like from `validFrom` on, keeping history readable: the version
 * covering that date is closed the day before, a version starting that very day is replaced, and
 * the new version runs until the next existing one (or `validTo`). Writes `registry.<singular>-versioned`.
 */
export const versionEntity = async (
  { db, clock }: { db: DbOrTx; clock: Clock },
  spec: EntitySpec,
  input: VersionEntityInput,
): Promise<Record<string, unknown>> =>
  inTransaction(db, async (trx) => {
    const versions = await listVersions(trx, spec, input.id, 'system');
    if (versions.length === 0) {
      throw new AppError('NOT_FOUND', RegistryErrorCode.NOT_FOUND, `No ${spec.singular} ${input.id}`);
    }
    const next = versions.find((v) => v.valid_from > input.validFrom);
    const period = { from: input.validFrom, to: input.validTo !== undefined ? input.validTo : (next?.valid_from ?? null) };
    assertPeriod(period);
    if (next !== undefined && period.to !== null && period.to > next.valid_from) {
      throw new AppError('INVALID_INPUT', RegistryErrorCode.INVALID_PERIOD, `validTo overlaps the version starting ${next.valid_from}`, [
        { path: '/validTo', message: `must not be after ${next.valid_from}, when the next version starts` },
      ]);
    }
    const values = await checkFields(trx, spec, input.fields, period, input.id);
    const row: RegistryRow = { id: input.id, valid_from: period.from, valid_to: period.to, ...toColumns(values) };
    const same = versions.find((v) => v.valid_from === input.validFrom);
    if (same !== undefined) {
      await replaceVersion(trx, spec, row);
    } else {
      const covering = versions.find((v) => v.valid_from < input.validFrom && (v.valid_to === null || v.valid_to > input.validFrom));
      if (covering !== undefined) {
        await closeVersion(trx, spec, input.id, covering.valid_from, input.validFrom);
      }
      await insertVersion(trx, spec, row);
    }
    const presented = presentVersion(spec, row);
    await appendEvent(trx, clock, {
      type: `registry.${spec.singular}-versioned`,
      aggregateType: spec.singular,
      aggregateId: input.id,
      actor: input.actor,
      payload: presented,
      ...(await eventAudience(trx, spec, values, period.from)),
    });
    return presented;
  });
