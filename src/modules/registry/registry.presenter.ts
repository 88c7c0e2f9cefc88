import type { EntitySpec } from './registry.entities.ts';
import { columnOf } from './registry.entities.ts';
import type { RegistryRow } from './registry.repository.ts';

/** The API shape of one version: id, validity, then the spec's fields in camelCase. */
export const presentVersion = (spec: EntitySpec, row: RegistryRow): Record<string, unknown> => {
  const out: Record<string, unknown> = { id: row.id, validFrom: row.valid_from, validTo: row.valid_to };
  for (const field of Object.keys(spec.fields)) {
    const v = row[columnOf(field)];
    // char(n) columns come back padded; codes never carry trailing blanks.
    out[field] = typeof v === 'string' ? v.trimEnd() : v;
  }
  return out;
};
