import type { FieldError } from '../../api/client.ts';
import { RISK_CHANNELS, type DryRunResult, type RiskChannel, type RiskPolicy, type RiskRule, type RiskRuleSet } from './types.ts';

/** Problems of one list row, by the row's field name ('condition', 'maxCnyPerKg' …). */
export type RowProblems = Record<string, string[]>;

/**
 * The server's problems with a draft, placed where the editor shows them: rule rows and
 * reference-value rows by index, the other sections by name, and whatever names no part of the
 * document (a dry-run window, the note) as general messages with their path.
 */
export type DocumentProblems = {
  rules: Record<number, RowProblems>;
  referenceValues: Record<number, RowProblems>;
  sensitiveWords: string[];
  randomSelection: string[];
  general: { path: string; message: string }[];
};

export const noProblems = (): DocumentProblems => ({
  rules: {},
  referenceValues: {},
  sensitiveWords: [],
  randomSelection: [],
  general: [],
});

const push = (rec: Record<number, RowProblems>, index: number, field: string, message: string): void => {
  const row = rec[index] ?? {};
  const list = row[field] ?? [];
  if (!list.includes(message)) {
    list.push(message);
  }
  row[field] = list;
  rec[index] = row;
};

export const placeProblems = (details: FieldError[]): DocumentProblems => {
  const out = noProblems();
  for (const d of details) {
    const parts = d.path.split('/').filter((s) => s !== '');
    if (parts[0] !== 'document') {
      out.general.push({ path: d.path, message: d.message });
      continue;
    }
    const [, section, index, field] = parts;
    const i = index !== undefined && /^\d+$/.test(index) ? Number(index) : null;
    if ((section === 'rules' || section === 'referenceValues') && i !== null) {
      push(out[section], i, field ?? 'row', d.message);
    } else if (section === 'sensitiveWords' || section === 'randomSelection') {
      out[section].push(d.message);
    } else {
      out.general.push({ path: d.path, message: d.message });
    }
  }
  return out;
};

export const hasProblems = (p: DocumentProblems): boolean =>
  Object.keys(p.rules).length > 0 ||
  Object.keys(p.referenceValues).length > 0 ||
  p.sensitiveWords.length > 0 ||
  p.randomSelection.length > 0 ||
  p.general.length > 0;

/** The character offset the condition parser names ("at character 12: …"), or null. */
export const conditionOffset = (message: string): number | null => {
  const m = /at character (\d+)/.exec(message);
  return m === null ? null : Number(m[1]);
};

/** A condition cut around the offending character, to mark it in place. */
export const splitAt = (condition: string, offset: number): { before: string; at: string; after: string } => {
  const o = Math.max(0, Math.min(offset, condition.length));
  return { before: condition.slice(0, o), at: condition.slice(o, o + 1), after: condition.slice(o + 1) };
};

/** What a dry run was of: publishing is offered only while the draft is still exactly that document. */
export const fingerprint = (doc: RiskRuleSet): string => JSON.stringify(doc);

// Rates travel as shares (0.05); people think in percent. Rounded so 5 % stays 0.05, not 0.05000000000000001.
export const rateToPercent = (rate: number): number => Number((rate * 100).toFixed(4));
export const percentToRate = (percent: number): number => Number((percent / 100).toFixed(6));

/** A first rule set, for a district where none was ever published: nothing fires, nothing is drawn. */
export const emptyRuleSet = (): RiskRuleSet => ({
  rules: [],
  referenceValues: [],
  sensitiveWords: [],
  randomSelection: {
    seed: 'seed-1',
    channel: 'document-review',
    rates: { 'advanced-certified': 0, 'general-certified': 0, general: 0, discredited: 0 },
  },
});

export const emptyRule = (): RiskRule => ({ id: '', condition: '', channel: 'document-review', enabled: true, reasonZh: '', reasonEn: '' });

/** A rule as the editor's form returns it: `enabled` left out when on (the server's default), trimmed texts. */
export const cleanRule = (r: RiskRule): RiskRule => ({
  id: r.id.trim(),
  condition: r.condition.trim(),
  channel: r.channel,
  ...(r.enabled === false ? { enabled: false } : {}),
  reasonZh: r.reasonZh.trim(),
  reasonEn: r.reasonEn.trim(),
});

/** The draft with rule `index` replaced (index = length appends). */
export const putRule = (doc: RiskRuleSet, index: number, rule: RiskRule): RiskRuleSet => {
  const rules = [...doc.rules];
  rules[index] = cleanRule(rule);
  return { ...doc, rules };
};

export const removeAt = <T>(list: T[], index: number): T[] => list.filter((_, i) => i !== index);

/** Row problems after row `index` went away: later rows move up one. */
export const shiftProblems = (rows: Record<number, RowProblems>, removed: number): Record<number, RowProblems> =>
  Object.fromEntries(
    Object.entries(rows).flatMap(([k, v]) => {
      const i = Number(k);
      return i === removed ? [] : [[i > removed ? i - 1 : i, v]];
    }),
  );

export const ruleIdPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export type ChannelBar = { channel: RiskChannel; current: number; draft: number };

/** One bar pair per channel, in the order of strictness. */
export const channelBars = (r: Pick<DryRunResult, 'current' | 'draft'>): ChannelBar[] =>
  RISK_CHANNELS.map((channel) => ({ channel, current: r.current[channel] ?? 0, draft: r.draft[channel] ?? 0 }));

export type VersionStatus = 'in-force' | 'scheduled' | 'superseded';

/** Where a version stands: the one the server says is in force, later ones waiting for their start, the rest past. */
export const versionStatus = (p: RiskPolicy, currentId: string | undefined, now: Date): VersionStatus =>
  p.id === currentId ? 'in-force' : new Date(p.effectiveFrom).getTime() > now.getTime() ? 'scheduled' : 'superseded';
