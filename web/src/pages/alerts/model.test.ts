import { expect, test } from 'vitest';
import { alertActions, detailPairs, rulesInForce, ruleTitle, subjectPath, thresholdParts } from './model.ts';
import type { AlertRulesPolicy } from './types.ts';

const policy = (version: number, effectiveFrom: string): AlertRulesPolicy => ({
  id: `p${version}`,
  kind: 'alert-rules',
  version,
  effectiveFrom,
  document: {
    rules: [
      {
        id: 'r',
        kind: 'import-not-released',
        thresholdHours: 168,
        severity: 'warning',
        enabled: true,
        titleZh: `中${version}`,
        titleEn: `en${version}`,
      },
    ],
  },
  note: '',
  publishedBy: null,
  createdAt: effectiveFrom,
});

test('rulesInForce takes the latest start not after now, the higher version on a tie', () => {
  const now = new Date('2026-11-27T10:00:00Z');
  const v = [
    policy(1, '2026-01-01T00:00:00Z'),
    policy(2, '2026-11-01T00:00:00Z'),
    policy(3, '2026-11-01T00:00:00Z'),
    policy(4, '2026-12-01T00:00:00Z'),
  ];
  expect(rulesInForce(v, now)?.version).toBe(3);
  expect(rulesInForce([policy(4, '2026-12-01T00:00:00Z')], now)).toBeNull();
  expect(rulesInForce([], now)).toBeNull();
});

test('ruleTitle in the user language, null for a rule the policy does not name', () => {
  const rules = policy(2, '2026-11-01T00:00:00Z').document.rules;
  expect(ruleTitle('r', rules, 'zh-CN')).toBe('中2');
  expect(ruleTitle('r', rules, 'en-US')).toBe('en2');
  expect(ruleTitle('unreleased-box-moved', rules, 'en-US')).toBeNull();
});

test('subjectPath links the known subject types only', () => {
  expect(subjectPath({ type: 'container', id: 'cnt/1', label: 'X' })).toBe('/containers/cnt%2F1');
  expect(subjectPath({ type: 'declaration', id: 'd1', label: 'X' })).toBe('/declarations/d1');
  expect(subjectPath({ type: 'port-call', id: 'c1', label: 'X' })).toBe('/port-calls/c1');
  expect(subjectPath({ type: 'berth', id: 'b1', label: 'X' })).toBeNull();
});

test('alertActions follow the state machine', () => {
  expect(alertActions({ state: 'open' })).toEqual({ acknowledge: true, resolve: true });
  expect(alertActions({ state: 'acknowledged' })).toEqual({ acknowledge: false, resolve: true });
  expect(alertActions({ state: 'resolved' })).toEqual({ acknowledge: false, resolve: false });
});

test('detailPairs keeps set values, names a nested instruction by its code', () => {
  expect(
    detailPairs({
      move: 'gate-out',
      reason: 'not-released',
      instruction: null,
      n: 3,
      ins: { code: 'A', sendTime: 'x' },
      other: { a: 1, b: 'two' },
      e: '',
      list: ['x'],
    }),
  ).toEqual([
    ['move', 'gate-out'],
    ['reason', 'not-released'],
    ['n', '3'],
    ['ins', 'A'],
    ['other', 'a=1, b=two'],
    ['list', '["x"]'],
  ]);
});

test('thresholdParts shows whole days as days', () => {
  expect(thresholdParts(168)).toEqual({ value: 7, unit: 'days' });
  expect(thresholdParts(36)).toEqual({ value: 36, unit: 'hours' });
  expect(thresholdParts(0)).toEqual({ value: 0, unit: 'hours' });
});
