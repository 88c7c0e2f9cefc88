import type { Alert, AlertRule, AlertRulesPolicy } from './types.ts';

/** The alert rules in force at `now`: the latest start not after it, the higher version on a tie. */
export const rulesInForce = (versions: AlertRulesPolicy[], now: Date): AlertRulesPolicy | null =>
  versions
    .filter((v) => new Date(v.effectiveFrom).getTime() <= now.getTime())
    .reduce<AlertRulesPolicy | null>((best, v) => {
      if (best === null) {
        return v;
      }
      const a = new Date(v.effectiveFrom).getTime();
      const b = new Date(best.effectiveFrom).getTime();
      return a > b || (a === b && v.version > best.version) ? v : best;
    }, null);

/** The title of an alert's rule in the user's language, when the rules in force name it. */
export const ruleTitle = (ruleId: string, rules: AlertRule[], lang: string): string | null => {
  const r = rules.find((x) => x.id === ruleId);
  return r === undefined ? null : lang.startsWith('zh') ? r.titleZh : r.titleEn;
};

/** The app page of an alert's subject, if it has one. */
export const subjectPath = (s: Alert['subject']): string | null => {
  const id = encodeURIComponent(s.id);
  switch (s.type) {
    case 'container':
      return `/containers/${id}`;
    case 'declaration':
      return `/declarations/${id}`;
    case 'port-call':
      return `/port-calls/${id}`;
    default:
      return null;
  }
};

/** What may be done with an alert now (the server's transitions: acknowledge open ones, resolve any not resolved). */
export const alertActions = (a: Pick<Alert, 'state'>): { acknowledge: boolean; resolve: boolean } => ({
  acknowledge: a.state === 'open',
  resolve: a.state !== 'resolved',
});

/** The detail as short "key: value" pairs; a nested value by its code (an instruction) or as inner key=value pairs. */
export const detailPairs = (detail: Record<string, unknown>): [string, string][] =>
  Object.entries(detail)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => {
      if (typeof v === 'object' && !Array.isArray(v)) {
        const o = v as Record<string, unknown>;
        if (typeof o.code === 'string') {
          return [k, o.code];
        }
        return [
          k,
          Object.entries(o)
            .map(([ik, iv]) => `${ik}=${typeof iv === 'string' ? iv : JSON.stringify(iv)}`)
            .join(', '),
        ];
      }
      return [k, typeof v === 'string' ? v : JSON.stringify(v)];
    });

/** A threshold as days when it is whole days, else hours. */
export const thresholdParts = (hours: number): { value: number; unit: 'days' | 'hours' } =>
  hours >= 24 && hours % 24 === 0 ? { value: hours / 24, unit: 'days' } : { value: hours, unit: 'hours' };
