import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { alertRuleProblems, customsReleased, ruleFires, ZAlertRules, type BoxTimes, type DeclarationFacts } from './alerts.rules.ts';

const H = 3_600_000;
const T0 = new Date('2026-11-01T00:00:00Z');
const h = (hours: number) => new Date(T0.getTime() + hours * H);
const box = (over: Partial<BoxTimes> = {}): BoxTimes => ({
  direction: 'import',
  discharged_at: T0,
  customs_released_at: null,
  customs_hold_at: null,
  customs_hold_lifted_at: null,
  gated_in_at: null,
  gated_out_at: null,
  loaded_at: null,
  ...over,
});

describe('box conditions', () => {
  const notReleased = { kind: 'import-not-released' as const, thresholdHours: 168 };
  it('fire strictly after the threshold, from the discharge', () => {
    expect(ruleFires(notReleased, box(), h(168))).toBeNull();
    expect(ruleFires(notReleased, box(), h(168.01))).toEqual(T0);
  });
  it('a release clears the import condition; a hold after it brings it back; a lift clears it again', () => {
    expect(ruleFires(notReleased, box({ customs_released_at: h(10) }), h(200))).toBeNull();
    const held = box({ customs_released_at: h(10), customs_hold_at: h(20) });
    expect(customsReleased(held)).toBe(false);
    expect(ruleFires(notReleased, held, h(200))).toEqual(T0);
    expect(customsReleased({ ...held, customs_hold_lifted_at: h(30) })).toBe(true);
  });
  it('released but not gated out counts from the release; gate-out clears it', () => {
    const rule = { kind: 'import-released-not-gated-out' as const, thresholdHours: 168 };
    expect(ruleFires(rule, box({ customs_released_at: h(10) }), h(178))).toBeNull();
    expect(ruleFires(rule, box({ customs_released_at: h(10) }), h(178.5))).toEqual(h(10));
    expect(ruleFires(rule, box({ customs_released_at: h(10), gated_out_at: h(100) }), h(500))).toBeNull();
  });
  it('export rules count from gate-in or release and stop at loading; they ignore import boxes', () => {
    const exp = box({ direction: 'export', discharged_at: null, gated_in_at: T0 });
    expect(ruleFires({ kind: 'export-gated-in-not-released', thresholdHours: 168 }, exp, h(169))).toEqual(T0);
    expect(ruleFires({ kind: 'export-gated-in-not-released', thresholdHours: 168 }, { ...exp, loaded_at: h(100) }, h(169))).toBeNull();
    expect(ruleFires({ kind: 'export-released-not-loaded', thresholdHours: 168 }, { ...exp, customs_released_at: h(1) }, h(170))).toEqual(
      h(1),
    );
    expect(ruleFires({ kind: 'export-gated-in-not-released', thresholdHours: 168 }, box({ gated_in_at: T0 }), h(500))).toBeNull();
  });
});

describe('declaration conditions', () => {
  const twoStep = (over: Partial<DeclarationFacts> = {}): DeclarationFacts => ({
    direction: 'import',
    procedure: 'two-step',
    stage: 'summary',
    status: 'P',
    declared_at: T0,
    goods_arrived_at: T0,
    complete_due_at: h(14 * 24),
    ...over,
  });
  const soon = { kind: 'two-step-complete-due-soon' as const, thresholdHours: 48 };
  const overdue = { kind: 'two-step-complete-overdue' as const, thresholdHours: 0 };
  it('due-soon holds in the 48 h before the due time only; overdue after it', () => {
    expect(ruleFires(soon, twoStep(), h(14 * 24 - 49))).toBeNull();
    expect(ruleFires(soon, twoStep(), h(14 * 24 - 48))).toEqual(h(14 * 24 - 48));
    expect(ruleFires(overdue, twoStep(), h(14 * 24 - 1))).toBeNull();
    expect(ruleFires(soon, twoStep(), h(14 * 24))).toBeNull();
    expect(ruleFires(overdue, twoStep(), h(14 * 24 + 0.01))).toEqual(h(14 * 24));
  });
  it('the complete stage, a deleted declaration or another procedure raise nothing', () => {
    expect(ruleFires(overdue, twoStep({ stage: 'complete' }), h(1000))).toBeNull();
    expect(ruleFires(overdue, twoStep({ status: 'D' }), h(1000))).toBeNull();
    expect(ruleFires(overdue, twoStep({ procedure: 'standard' }), h(1000))).toBeNull();
  });
  it('an export advance declaration alarms 3 days after declaring until the goods arrive', () => {
    const adv = twoStep({ direction: 'export', procedure: 'advance', stage: null, status: 'L', goods_arrived_at: null });
    const rule = { kind: 'export-advance-not-arrived' as const, thresholdHours: 72 };
    expect(ruleFires(rule, adv, h(72))).toBeNull();
    expect(ruleFires(rule, adv, h(73))).toEqual(T0);
    expect(ruleFires(rule, { ...adv, goods_arrived_at: h(50) }, h(100))).toBeNull();
    expect(ruleFires(rule, { ...adv, direction: 'import' }, h(100))).toBeNull();
  });
});

describe('rule documents', () => {
  const rule = { id: 'r', kind: 'import-not-released', thresholdHours: 1, severity: 'warning', enabled: true, titleZh: '甲', titleEn: 'A' };
  it('the schema refuses unknown kinds, severities and fields', () => {
    expect(Value.Check(ZAlertRules, { rules: [rule] })).toBe(true);
    expect(Value.Check(ZAlertRules, { rules: [{ ...rule, kind: 'nope' }] })).toBe(false);
    expect(Value.Check(ZAlertRules, { rules: [{ ...rule, severity: 'panic' }] })).toBe(false);
    expect(Value.Check(ZAlertRules, { rules: [{ ...rule, extra: 1 }] })).toBe(false);
  });
  it('duplicate ids are a problem at the second one', () => {
    expect(alertRuleProblems({ rules: [rule, { ...rule }] } as never)).toEqual([
      { path: '/document/rules/1/id', message: 'duplicate rule id r' },
    ]);
  });
});
