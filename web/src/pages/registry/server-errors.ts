import type { TFunction } from 'i18next';
import type { FieldError } from '../../api/client.ts';

/**
 * The server validates every write and answers with `details: [{ path: '/lengthM', message }]`.
 * These helpers put each message on its form field, in the user's language where the message
 * is one of the validator's standard ones, and keep the rest (no field) for a banner.
 */

// Noise from unions ("a number or null"): the specific message for the same path says it better.
const NOISE = [/^must be null$/, /^must match a schema in anyOf$/, /^must match exactly one schema in oneOf$/];

const RULES: [RegExp, (m: RegExpExecArray, t: TFunction) => string][] = [
  [/^is required$/, (_m, t) => t('serverErrors.required')],
  [/^must have required property/, (_m, t) => t('serverErrors.required')],
  [/^must be <= (.+)$/, (m, t) => t('serverErrors.max', { limit: m[1] })],
  [/^must be >= (.+)$/, (m, t) => t('serverErrors.min', { limit: m[1] })],
  [/^must be < (.+)$/, (m, t) => t('serverErrors.lessThan', { limit: m[1] })],
  [/^must be > (.+)$/, (m, t) => t('serverErrors.greaterThan', { limit: m[1] })],
  [/^must match pattern/, (_m, t) => t('serverErrors.pattern')],
  [/^must match format/, (_m, t) => t('serverErrors.pattern')],
  [/^must NOT have more than (\d+) characters$/, (m, t) => t('serverErrors.maxLength', { limit: m[1] })],
  [/^must NOT have fewer than (\d+) characters$/, (m, t) => t('serverErrors.minLength', { limit: m[1] })],
  [/^must be integer$/, (_m, t) => t('serverErrors.integer')],
  [/^must be number$/, (_m, t) => t('serverErrors.number')],
  [/^must be string$/, (_m, t) => t('serverErrors.string')],
  [/^must be equal to (constant|one of the allowed values)$/, (_m, t) => t('serverErrors.notAllowed')],
  [/^is not a known field$/, (_m, t) => t('serverErrors.unknownField')],
  [/^already used in an overlapping period$/, (_m, t) => t('serverErrors.duplicate')],
  [/^no organisation /, (_m, t) => t('serverErrors.unknownOrganisation')],
  [/^no .+ valid on (\d{4}-\d{2}-\d{2})$/, (m, t) => t('serverErrors.unknownReferenceOn', { date: m[1] })],
  [/^must be after validFrom$/, (_m, t) => t('serverErrors.afterValidFrom')],
  [/^must not be after (\d{4}-\d{2}-\d{2}), when the next version starts$/, (m, t) => t('serverErrors.beforeNextVersion', { date: m[1] })],
];

export const translateServerMessage = (message: string, t: TFunction): string => {
  for (const [re, render] of RULES) {
    const m = re.exec(message);
    if (m !== null) {
      return render(m, t);
    }
  }
  // A check's own reason (e.g. an IMO check digit): shown as the server wrote it.
  return t('serverErrors.invalidValue', { reason: message });
};

export type MappedErrors = { fields: { name: string; errors: string[] }[]; general: string[] };

/** Field name of a detail path ('/lengthM', '/cargoTypes/2' → its field), or null. */
const fieldOf = (path: string, known: ReadonlySet<string>): string | null => {
  const first = path.split('/').filter((s) => s !== '')[0];
  return first !== undefined && known.has(first) ? first : null;
};

export const mapServerErrors = (details: FieldError[], known: ReadonlySet<string>, t: TFunction): MappedErrors => {
  const byField = new Map<string, string[]>();
  const general: string[] = [];
  const add = (list: string[], text: string) => {
    if (!list.includes(text)) {
      list.push(text);
    }
  };
  // Drop union noise only where a path has a better message.
  const meaningful = details.filter(
    (d) => !NOISE.some((re) => re.test(d.message)) || !details.some((o) => o.path === d.path && !NOISE.some((re) => re.test(o.message))),
  );
  for (const d of meaningful) {
    const text = translateServerMessage(d.message, t);
    const field = fieldOf(d.path, known);
    if (field === null) {
      add(general, d.path === '/' || d.path === '' ? text : `${d.path}: ${text}`);
    } else {
      const list = byField.get(field) ?? [];
      add(list, text);
      byField.set(field, list);
    }
  }
  return { fields: [...byField].map(([name, errors]) => ({ name, errors })), general };
};
