import dayjs, { type Dayjs } from 'dayjs';
import type { EntityDef, FieldDef, RegistryRecord } from './entities.ts';

/** The registry form's values: what it starts with, and the request body they become. */
export type FormMode = { kind: 'create' } | { kind: 'version'; record: RegistryRecord };

export type Values = Record<string, unknown>;

export const DATE_FORMAT = 'YYYY-MM-DD';

export const isRequired = (f: FieldDef): boolean =>
  f.nullable !== true && f.allowEmpty !== true && f.type !== 'boolean' && f.type !== 'cargoTypes';

export const initialValues = (def: EntityDef, mode: FormMode): Values => {
  if (mode.kind === 'create') {
    return Object.fromEntries(
      def.fields.flatMap((f): [string, unknown][] =>
        f.type === 'cargoTypes' ? [[f.key, []]] : f.type === 'boolean' ? [[f.key, false]] : [],
      ),
    );
  }
  const values: Values = {};
  for (const f of def.fields) {
    const v = mode.record[f.key];
    values[f.key] = v === null ? undefined : v;
  }
  values.validFrom = dayjs();
  return values;
};

/** Form values → request body: every field present, empties as the server expects them. */
export const toBody = (def: EntityDef, values: Values, mode: FormMode['kind']): Values => {
  const body: Values = {};
  for (const f of def.fields) {
    const v = values[f.key];
    switch (f.type) {
      case 'code':
      case 'text':
      case 'textarea': {
        const s = typeof v === 'string' ? v.trim() : '';
        const text = f.upper === true ? s.toUpperCase() : s;
        body[f.key] = text === '' && f.nullable === true ? null : text;
        break;
      }
      case 'number':
      case 'integer':
        body[f.key] = typeof v === 'number' ? v : null;
        break;
      case 'enum':
      case 'ref':
      case 'customs':
      case 'org':
        body[f.key] = typeof v === 'string' && v !== '' ? v : null;
        break;
      case 'cargoTypes':
        body[f.key] = Array.isArray(v) ? v : [];
        break;
      case 'boolean':
        body[f.key] = v === true;
        break;
    }
  }
  const from = values.validFrom as Dayjs | null | undefined;
  const to = values.validTo as Dayjs | null | undefined;
  if ((from !== null && from !== undefined) || mode === 'version') {
    body.validFrom = from?.format(DATE_FORMAT);
  }
  // Absent validTo: open-ended, or (a new version) up to the next version's start.
  if (to !== null && to !== undefined) {
    body.validTo = to.format(DATE_FORMAT);
  }
  return body;
};
