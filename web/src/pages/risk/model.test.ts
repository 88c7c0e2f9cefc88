import { describe, expect, test } from 'vitest';
import {
  channelBars,
  cleanRule,
  conditionOffset,
  fingerprint,
  percentToRate,
  placeProblems,
  putRule,
  rateToPercent,
  shiftProblems,
  splitAt,
  versionStatus,
} from './model.ts';
import type { RiskPolicy, RiskRule, RiskRuleSet } from './types.ts';

const doc = (): RiskRuleSet => ({
  rules: [{ id: 'a', condition: 'rebate', channel: 'document-review', reasonZh: '退税', reasonEn: 'rebate' }],
  referenceValues: [],
  sensitiveWords: ['ivory'],
  randomSelection: {
    seed: 's',
    channel: 'document-review',
    rates: { 'advanced-certified': 0, 'general-certified': 0.01, general: 0.05, discredited: 0.5 },
  },
});

describe('placeProblems', () => {
  test('puts each detail on its rule row, reference row, section or the general list', () => {
    const p = placeProblems([
      { path: '/document/rules/2/condition', message: 'at character 7: unexpected "x"' },
      { path: '/document/rules/2/id', message: 'duplicate rule id a' },
      { path: '/document/referenceValues/0/maxCnyPerKg', message: 'maxCnyPerKg is below minCnyPerKg' },
      { path: '/document/randomSelection/rates/general', message: 'must be <= 1' },
      { path: '/document/sensitiveWords/3', message: 'must NOT have fewer than 1 characters' },
      { path: '/from', message: 'must not be after to' },
      { path: '/document', message: 'must have required property rules' },
    ]);
    expect(p.rules).toEqual({ 2: { condition: ['at character 7: unexpected "x"'], id: ['duplicate rule id a'] } });
    expect(p.referenceValues).toEqual({ 0: { maxCnyPerKg: ['maxCnyPerKg is below minCnyPerKg'] } });
    expect(p.randomSelection).toEqual(['must be <= 1']);
    expect(p.sensitiveWords).toEqual(['must NOT have fewer than 1 characters']);
    expect(p.general).toEqual([
      { path: '/from', message: 'must not be after to' },
      { path: '/document', message: 'must have required property rules' },
    ]);
  });

  test('a whole-row problem (no field) is kept under "row"', () => {
    expect(placeProblems([{ path: '/document/rules/0', message: 'must NOT have additional properties' }]).rules).toEqual({
      0: { row: ['must NOT have additional properties'] },
    });
  });
});

test('conditionOffset reads the parser offset; splitAt marks that character', () => {
  expect(conditionOffset('at character 12: expected ")"')).toBe(12);
  expect(conditionOffset('duplicate rule id a')).toBeNull();
  expect(splitAt('rebate and x', 11)).toEqual({ before: 'rebate and ', at: 'x', after: '' });
  // an offset at the end of the text (a missing closing part) marks nothing but keeps the text
  expect(splitAt('(rebate', 7)).toEqual({ before: '(rebate', at: '', after: '' });
});

test('rates as percent and back keep exact decimals', () => {
  expect(rateToPercent(0.05)).toBe(5);
  expect(rateToPercent(0.001)).toBe(0.1);
  expect(percentToRate(7)).toBe(0.07);
  expect(percentToRate(0.1)).toBe(0.001);
  expect(percentToRate(rateToPercent(0.123456))).toBe(0.123456);
});

test('putRule appends or replaces a cleaned rule; the fingerprint follows every change', () => {
  const d = doc();
  const added = putRule(d, 1, {
    id: ' b ',
    condition: ' itemCount > 3 ',
    channel: 'machine-scan',
    enabled: true,
    reasonZh: '多',
    reasonEn: 'many',
  });
  expect(added.rules).toHaveLength(2);
  expect(added.rules[1]).toEqual({ id: 'b', condition: 'itemCount > 3', channel: 'machine-scan', reasonZh: '多', reasonEn: 'many' });
  expect(d.rules).toHaveLength(1);
  expect(fingerprint(added)).not.toBe(fingerprint(d));
  const second = added.rules[1] as RiskRule;
  expect(fingerprint(putRule(added, 1, second))).toBe(fingerprint(added));
  expect(cleanRule({ ...second, enabled: false }).enabled).toBe(false);
});

test('shiftProblems drops the removed row and moves later rows up', () => {
  expect(shiftProblems({ 0: { id: ['x'] }, 2: { condition: ['y'] }, 3: { channel: ['z'] } }, 2)).toEqual({
    0: { id: ['x'] },
    2: { channel: ['z'] },
  });
});

test('channelBars lists every channel in order of strictness with both counts', () => {
  const bars = channelBars({
    current: { release: 7, 'document-review': 2, 'machine-scan': 1, 'manual-inspection': 0, 'machine-then-manual': 0 },
    draft: { release: 5, 'document-review': 3, 'machine-scan': 1, 'manual-inspection': 1, 'machine-then-manual': 0 },
  });
  expect(bars.map((b) => [b.channel, b.current, b.draft])).toEqual([
    ['release', 7, 5],
    ['document-review', 2, 3],
    ['machine-scan', 1, 1],
    ['manual-inspection', 0, 1],
    ['machine-then-manual', 0, 0],
  ]);
});

test('versionStatus: the current one, later starts scheduled, the rest superseded', () => {
  const p = (id: string, effectiveFrom: string): RiskPolicy => ({
    id,
    kind: 'customs-risk',
    version: 1,
    effectiveFrom,
    document: doc(),
    note: '',
    publishedBy: null,
    createdAt: effectiveFrom,
  });
  const now = new Date('2026-11-27T10:00:00Z');
  expect(versionStatus(p('v2', '2026-11-27T09:00:00Z'), 'v2', now)).toBe('in-force');
  expect(versionStatus(p('v1', '2026-11-01T00:00:00Z'), 'v2', now)).toBe('superseded');
  expect(versionStatus(p('v3', '2026-11-28T00:00:00Z'), 'v2', now)).toBe('scheduled');
});
