import { AppError, type ErrorDetail } from '../../../core/errors.ts';
import type { DbOrTx } from '../../../db/tx.ts';
import { columnOf, entitySpec, type EntitySpec } from '../registry.entities.ts';
import { RegistryErrorCode } from '../registry.errors.ts';
import { customsOfficeDistrict, existsAt, findClash, organisationExists } from '../registry.repository.ts';

/** A field value for a message. */
const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

export type Period = { from: string; to: string | null };

export const assertPeriod = (p: Period): void => {
  if (p.to !== null && p.to <= p.from) {
    throw new AppError('INVALID_INPUT', RegistryErrorCode.INVALID_PERIOD, 'validTo must be after validFrom', [
      { path: '/validTo', message: 'must be after validFrom' },
    ]);
  }
};

/**
 * Normalises field values and checks them against the registry as of the period's start:
 * code checks (IMO, UN/LOCODE), references, and the natural-key clash. Re-run inside the
 * writing transaction so a concurrent change cannot slip between check and write.
 */
export const checkFields = async (
  trx: DbOrTx,
  spec: EntitySpec,
  input: Record<string, unknown>,
  period: Period,
  selfId: string | null,
): Promise<Record<string, unknown>> => {
  const values: Record<string, unknown> = {};
  const details: ErrorDetail[] = [];
  let code: string = RegistryErrorCode.INVALID_FIELD;
  for (const [field, fs] of Object.entries(spec.fields)) {
    let v = input[field];
    if (fs.check !== undefined && v !== undefined) {
      const r = fs.check(v);
      if (!r.ok) {
        details.push({ path: `/${field}`, message: r.reason });
        continue;
      }
      v = r.value;
    }
    values[field] = v;
    if (v === null || v === undefined) {
      continue;
    }
    if (fs.ref !== undefined && !(await existsAt(trx, entitySpec(fs.ref).table, text(v), period.from))) {
      code = RegistryErrorCode.UNKNOWN_REFERENCE;
      details.push({ path: `/${field}`, message: `no ${entitySpec(fs.ref).singular} ${text(v)} valid on ${period.from}` });
    }
    if (fs.orgRef === true && !(await organisationExists(trx, text(v)))) {
      code = RegistryErrorCode.UNKNOWN_REFERENCE;
      details.push({ path: `/${field}`, message: `no organisation ${text(v)}` });
    }
    if (fs.customsRef === true && (await customsOfficeDistrict(trx, text(v), period.from)) === null) {
      code = RegistryErrorCode.UNKNOWN_REFERENCE;
      details.push({ path: `/${field}`, message: `no customs office ${text(v)} valid on ${period.from}` });
    }
  }
  if (details.length > 0) {
    throw new AppError('INVALID_INPUT', code, details.map((d) => `${d.path} ${d.message}`).join('; '), details);
  }
  const clash = await findClash(trx, spec, values, period, selfId);
  if (clash !== undefined) {
    throw new AppError(
      'CONFLICT',
      RegistryErrorCode.DUPLICATE_CODE,
      `${spec.singular} ${spec.unique.map((f) => String(values[f])).join('/')} already exists as ${clash.id} in an overlapping period`,
      spec.unique.map((f) => ({ path: `/${f}`, message: 'already used in an overlapping period' })),
    );
  }
  return values;
};

export const toColumns = (values: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    out[columnOf(k)] = v;
  }
  return out;
};

/** Who may see the event of a registry change: its owner organisation and customs of its district. */
export const eventAudience = async (
  trx: DbOrTx,
  spec: EntitySpec,
  values: Record<string, unknown>,
  date: string,
): Promise<{ orgIds: string[]; districtCode: string | null }> => {
  const owner = spec.ownerField !== undefined ? values[spec.ownerField] : null;
  const customs = spec.customsField !== undefined ? values[spec.customsField] : null;
  return {
    orgIds: typeof owner === 'string' ? [owner] : [],
    districtCode: typeof customs === 'string' ? await customsOfficeDistrict(trx, customs, date) : null,
  };
};
