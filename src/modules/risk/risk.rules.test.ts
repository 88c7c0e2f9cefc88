import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../core/paths.ts';
import { compileCondition, conditionError } from './risk.condition.ts';
import { CREDIT_CLASSES, type RiskFacts, type RiskItem } from './risk.facts.ts';
import { dryRun, evaluateRisk, randomDraw, ruleSetProblems, type RiskChannel, type RiskRuleSet } from './risk.rules.ts';

const demo = (
  JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'reference-data', 'shandong', 'customs-risk-rules.json'), 'utf8')) as {
    kind: string;
    document: RiskRuleSet;
  }
).document;

const ore: RiskItem = { seq: 1, hsCode: '2601110000', description: 'Iron ore fines, 62% Fe', origin: 'AU', netKg: 100_000, value: 72_000 };
const facts = (over: Partial<RiskFacts> = {}): RiskFacts => ({
  declarationId: 'decl_unit_1',
  direction: 'import',
  procedure: 'standard',
  creditClass: 'general',
  enterpriseCode: '3702960001',
  customsCode: '4218',
  tradeMode: '0110',
  transMode: 'CIF',
  items: [ore],
  declaredGrossKg: 100_500,
  manifestedGrossKg: 100_000,
  rebate: false,
  ...over,
});
const item = (over: Partial<RiskItem>): RiskItem => ({ ...ore, ...over });

/** A rule set without random selection, with the given rules (id = r<i>). */
const rulesOf = (rules: { condition: string; channel?: RiskChannel; enabled?: boolean }[]): RiskRuleSet => ({
  rules: rules.map((r, i) => ({
    id: `r${i}`,
    condition: r.condition,
    channel: r.channel ?? 'document-review',
    ...(r.enabled !== undefined ? { enabled: r.enabled } : {}),
    reasonZh: `规则 ${i}`,
    reasonEn: `rule ${i}`,
  })),
  referenceValues: [
    { hsPrefix: '2601', minCnyPerKg: 0.4, maxCnyPerKg: 1.6 },
    { hsPrefix: '8471', minCnyPerKg: 200, maxCnyPerKg: 3000 },
    { hsPrefix: '847130', minCnyPerKg: 300, maxCnyPerKg: 4000 },
  ],
  sensitiveWords: ['军用', 'military', 'Ivory'],
  randomSelection: {
    seed: 'unit',
    channel: 'machine-scan',
    rates: { 'advanced-certified': 0, 'general-certified': 0, general: 0, discredited: 0 },
  },
});
const fires = (condition: string, f: RiskFacts): boolean => evaluateRisk(f, rulesOf([{ condition }]), 1).fired.length === 1;

describe('the condition parser', () => {
  it('accepts the forms the rules need', () => {
    for (const c of [
      'hs startsWith "2601"',
      'hs startsWith ["2601", "7403"]',
      'hs in ["2601110000", "7403110000"]',
      'origin in ["KP", "IR"]',
      'creditClass = "discredited" or creditClass == "general"',
      'tradeMode != "0110" and transMode <> "FOB"',
      'direction = "export" and procedure = "two-step" and rebate',
      'rebate = false',
      'valuePerKg < refMin * 0.5 or valuePerKg > refMax * 2',
      'weightDeviation > 0.05',
      'description containsAny sensitiveWords',
      'description CONTAINSANY ["武器", "weapon"]',
      'not (itemCount >= 3 AND totalValue / itemCount < 1000.5)',
      'abs(declaredGrossKg - manifestedGrossKg) > max(50, 0.01 * declaredGrossKg)',
      'netKg in [-1, 0, 1.5]',
      '-(2) < -1 and .5 < 1',
    ]) {
      expect(conditionError(c), c).toBeNull();
    }
  });

  it('names the place and the reason of what does not parse or check', () => {
    const cases: [string, number, string][] = [
      ['hs startsWith "2601', 14, 'the string is not closed'],
      ['hsCode startsWith "2601"', 0, 'unknown field hsCode'],
      ['orign in ["KP"]', 0, 'unknown field orign (did you mean origin?)'],
      ['origin in ["KP", "IR"', 21, 'expected "," or "]", found the end of the condition'],
      ['valuePerKg < refMin *', 21, 'the condition ends where a value was expected'],
      ['weightDeviation > "5%"', 18, '">" needs a number, not a string'],
      [
        'creditClass = "discreditted"',
        14,
        'creditClass is one of advanced-certified, general-certified, general, discredited; "discreditted" never matches',
      ],
      ['foo(1) > 2', 0, 'unknown function foo'],
      ['valuePerKg < 1 < 2', 15, 'comparisons do not chain'],
      ['valuePerKg', 0, 'a condition must be true or false, but this is a number'],
      ['origin in []', 10, 'an empty list never matches'],
      ['origin in ["KP", 1]', 17, 'a list holds strings or numbers, not both'],
      ['rebate and # 1', 11, 'unexpected character "#"'],
      ['(rebate', 7, 'expected ")", found the end of the condition'],
      ['rebate rebate', 7, 'unexpected "rebate"; expected "and", "or" or the end of the condition'],
      ['abs(1, 2) > 0', 0, 'abs takes 1 arguments, not 2'],
      ['origin startsWith 1', 18, '"startsWith" needs a string or a list of strings, not a number'],
      ['rebate and 3', 11, '"and" needs true/false, not a number'],
      ['netKg in ["1"]', 9, '"in" needs a list of numbers, not a list of strings'],
      [`${'('.repeat(70)}rebate${')'.repeat(70)}`, 64, 'nested more than 64 levels deep'],
      [`${'not '.repeat(70)}rebate`, 256, 'nested more than 64 levels deep'],
    ];
    for (const [src, offset, message] of cases) {
      const err = conditionError(src);
      expect(err, src).not.toBeNull();
      expect(err?.offset, src).toBe(offset);
      expect(err?.message, src).toContain(message);
    }
  });

  it('lists the fields a condition names and whether it reads items', () => {
    expect(compileCondition('hs startsWith "2601" and valuePerKg < refMin * 0.5 and rebate')).toMatchObject({
      fields: ['hs', 'valuePerKg', 'refMin', 'rebate'],
      usesItems: true,
    });
    expect(compileCondition('weightDeviation > 0.05').usesItems).toBe(false);
  });
});

describe('rule-set problems', () => {
  it('finds none in the demo rule set', () => {
    expect(ruleSetProblems(demo)).toEqual([]);
  });

  it('lists each bad condition with its offset, duplicate ids and bad reference ranges', () => {
    const broken = rulesOf([{ condition: 'rebate' }, { condition: 'origin in ["KP"' }, { condition: 'hsx startsWith "1"' }]);
    broken.rules[2] = { ...(broken.rules[2] as RiskRuleSet['rules'][number]), id: 'r0' };
    broken.referenceValues.push({ hsPrefix: '2601', minCnyPerKg: 2, maxCnyPerKg: 1 });
    expect(ruleSetProblems(broken)).toEqual([
      { path: '/rules/1/condition', message: 'at character 15: expected "," or "]", found the end of the condition' },
      { path: '/rules/2/id', message: 'duplicate rule id r0' },
      { path: '/rules/2/condition', message: 'at character 0: unknown field hsx (did you mean hs?)' },
      { path: '/referenceValues/3/hsPrefix', message: 'duplicate reference range for 2601' },
      { path: '/referenceValues/3/maxCnyPerKg', message: 'maxCnyPerKg is below minCnyPerKg' },
    ]);
  });

  it('reports schema errors by path and reserves the random pseudo-rule id', () => {
    const bad = rulesOf([{ condition: 'rebate' }]) as unknown as { rules: Record<string, unknown>[] };
    (bad.rules[0] as Record<string, unknown>).channel = 'inspect';
    expect(ruleSetProblems(bad).map((p) => p.path)).toContain('/rules/0/channel');
    const reserved = rulesOf([{ condition: 'rebate' }]);
    (reserved.rules[0] as { id: string }).id = 'random-selection';
    expect(ruleSetProblems(reserved)).toEqual([{ path: '/rules/0/id', message: 'random-selection is reserved for the random selection' }]);
  });
});

describe('each condition kind at its boundary', () => {
  it('HS prefix (one or a list) and exact HS membership, on any item', () => {
    expect(fires('hs startsWith "2601"', facts())).toBe(true);
    expect(fires('hs startsWith "2602"', facts())).toBe(false);
    expect(fires('hs startsWith ["7403", "2601"]', facts())).toBe(true);
    expect(fires('hs in ["2601"]', facts())).toBe(false); // in is exact
    expect(fires('hs in ["2601110000"]', facts())).toBe(true);
    const two = facts({ items: [item({ seq: 1, hsCode: '7403110000' }), item({ seq: 2 })] });
    expect(fires('hs startsWith "2601"', two)).toBe(true);
  });

  it('origin, credit class, trade mode, direction, procedure, rebate', () => {
    expect(fires('origin in ["KP", "IR"]', facts())).toBe(false);
    expect(fires('origin in ["KP", "IR"]', facts({ items: [ore, item({ seq: 2, origin: 'IR' })] }))).toBe(true);
    expect(fires('creditClass = "discredited"', facts())).toBe(false);
    expect(fires('creditClass = "discredited"', facts({ creditClass: 'discredited' }))).toBe(true);
    expect(fires('tradeMode = "0110"', facts())).toBe(true);
    expect(fires('tradeMode = "0110"', facts({ tradeMode: '0615' }))).toBe(false);
    expect(fires('direction = "export"', facts())).toBe(false);
    expect(fires('direction = "export"', facts({ direction: 'export' }))).toBe(true);
    expect(fires('procedure = "two-step"', facts({ procedure: 'advance' }))).toBe(false);
    expect(fires('procedure = "two-step"', facts({ procedure: 'two-step' }))).toBe(true);
    expect(fires('rebate', facts())).toBe(false);
    expect(fires('rebate', facts({ rebate: true }))).toBe(true);
  });

  it('value per kg against the reference range: strict bounds, longest prefix, none when no range', () => {
    // 2601: 0.4–1.6 CNY/kg, so half the minimum is 0.2 and twice the maximum 3.2.
    const perKg = (value: number, hsCode = '2601110000') => facts({ items: [item({ value, hsCode })] });
    expect(fires('valuePerKg < refMin * 0.5', perKg(20_000))).toBe(false);
    expect(fires('valuePerKg < refMin * 0.5', perKg(19_999))).toBe(true);
    expect(fires('valuePerKg > refMax * 2', perKg(320_000))).toBe(false);
    expect(fires('valuePerKg > refMax * 2', perKg(320_001))).toBe(true);
    // 847130 (300–4000) is longer than 8471 (200–3000): 250 CNY/kg is low for a laptop only.
    expect(fires('valuePerKg < refMin', perKg(25_000_000, '8471300000'))).toBe(true);
    expect(fires('valuePerKg < refMin', perKg(25_000_000, '8471410000'))).toBe(false);
    // No range: comparisons with the missing value are false (so its negation is true).
    expect(fires('valuePerKg < refMin * 0.5', perKg(1, '9999000000'))).toBe(false);
    expect(fires('not valuePerKg < refMin * 0.5', perKg(1, '9999000000'))).toBe(true);
    // Zero net weight: no value per kg.
    expect(fires('valuePerKg >= 0', facts({ items: [item({ netKg: 0 })] }))).toBe(false);
  });

  it('the item-level part must hold for one and the same item', () => {
    const mixed = facts({ items: [item({ seq: 1, value: 72_000 }), item({ seq: 2, hsCode: '7403110000', value: 1 })] });
    expect(fires('valuePerKg < 0.5', mixed)).toBe(true);
    expect(fires('hs startsWith "2601" and valuePerKg < 0.5', mixed)).toBe(false);
    expect(fires('hs startsWith "2601" and valuePerKg < 0.5', facts({ items: [item({ value: 1 })] }))).toBe(true);
    expect(fires('hs startsWith "2601"', facts({ items: [] }))).toBe(false);
  });

  it('declared against manifested gross weight, relative; false when not matched', () => {
    expect(fires('weightDeviation > 0.05', facts({ declaredGrossKg: 105_000 }))).toBe(false);
    expect(fires('weightDeviation > 0.05', facts({ declaredGrossKg: 105_001 }))).toBe(true);
    expect(fires('weightDeviation > 0.05', facts({ declaredGrossKg: 94_999 }))).toBe(true);
    expect(fires('weightDeviation > 0.05', facts({ declaredGrossKg: 95_000 }))).toBe(false);
    expect(fires('weightDeviation > 0.05', facts({ declaredGrossKg: 1, manifestedGrossKg: null }))).toBe(false);
    expect(fires('not manifestMatched', facts({ manifestedGrossKg: null }))).toBe(true);
  });

  it('sensitive words, case-insensitive, from the rule set or a literal list', () => {
    const described = (description: string) => facts({ items: [ore, item({ seq: 2, description })] });
    expect(fires('description containsAny sensitiveWords', described('Spare parts for MILITARY trucks'))).toBe(true);
    expect(fires('description containsAny sensitiveWords', described('军用车辆零件'))).toBe(true);
    expect(fires('description containsAny sensitiveWords', described('carved ivory'))).toBe(true);
    expect(fires('description containsAny sensitiveWords', described('Militar surplus'))).toBe(false);
    expect(fires('description containsAny ["tusk"]', described('Walrus TUSK'))).toBe(true);
    expect(fires('description containsAny "tusk"', described('walrus'))).toBe(false);
  });

  it('numbers, arithmetic precedence, and/or/not and parentheses', () => {
    expect(fires('1 + 2 * 3 = 7', facts())).toBe(true);
    expect(fires('(1 + 2) * 3 = 9', facts())).toBe(true);
    expect(fires('10 - 4 - 3 = 3 and 12 / 2 / 3 = 2', facts())).toBe(true);
    expect(fires('declaredGrossKg / 0 > 0 or declaredGrossKg / 0 <= 0', facts())).toBe(false);
    expect(fires('itemCount >= 2', facts())).toBe(false);
    expect(fires('itemCount >= 2', facts({ items: [ore, item({ seq: 2 })] }))).toBe(true);
    expect(fires('totalValue = 144000 and totalNetKg = 200000', facts({ items: [ore, item({ seq: 2 })] }))).toBe(true);
    // and binds tighter than or; not tighter than and
    expect(fires('rebate and false or true', facts())).toBe(true);
    expect(fires('rebate and (false or true)', facts())).toBe(false);
    expect(fires('not rebate and rebate', facts())).toBe(false);
    expect(fires('not (rebate and rebate)', facts())).toBe(true);
  });

  it('explains what fired with the values it saw', () => {
    const r = evaluateRisk(
      facts({ items: [item({ value: 19_999 })] }),
      rulesOf([
        { condition: 'hs startsWith "2601" and valuePerKg < refMin * 0.5' },
        { condition: 'description containsAny sensitiveWords' },
      ]),
      4,
    );
    expect(r).toEqual({
      ruleSetVersion: 4,
      channel: 'document-review',
      fired: [
        {
          ruleId: 'r0',
          channel: 'document-review',
          reasonZh: '规则 0',
          reasonEn: 'rule 0',
          detail: 'item 1: hs="2601110000", valuePerKg=0.19999, refMin=0.4',
        },
      ],
      random: { creditClass: 'general', rate: 0, draw: randomDraw('unit', 'decl_unit_1'), selected: false },
    });
    const words = evaluateRisk(
      facts({ items: [item({ description: 'Military ivory' })] }),
      rulesOf([{ condition: 'description containsAny sensitiveWords' }]),
      1,
    );
    expect(words.fired[0]?.detail).toBe('item 1: description="Military ivory", matched "military", "Ivory"');
    expect(evaluateRisk(facts({ declaredGrossKg: 110_000 }), rulesOf([{ condition: 'weightDeviation > 0.05' }]), 1).fired[0]?.detail).toBe(
      'weightDeviation=0.1',
    );
  });
});

describe('channels', () => {
  it('the strictest channel of the fired rules wins; none fired is release; a disabled rule never fires', () => {
    const set = rulesOf([
      { condition: 'rebate', channel: 'machine-then-manual', enabled: false },
      { condition: 'hs startsWith "2601"', channel: 'document-review' },
      { condition: 'origin = "AU"', channel: 'manual-inspection' },
      { condition: 'weightDeviation >= 0', channel: 'machine-scan' },
    ]);
    const r = evaluateRisk(facts({ rebate: true }), set, 1);
    expect(r.channel).toBe('manual-inspection');
    expect(r.fired.map((f) => f.ruleId)).toEqual(['r1', 'r2', 'r3']);
    expect(evaluateRisk(facts({ items: [item({ hsCode: '7403110000', origin: 'CL' })], manifestedGrossKg: null }), set, 1)).toMatchObject({
      channel: 'release',
      fired: [],
    });
  });
});

describe('random selection by credit class', () => {
  it('is sha256(seed:id) over 2^32, the same on every replay, and fires the random-selection pseudo-rule', () => {
    const h = createHash('sha256').update('shandong-demo-2026:decl_x').digest('hex');
    expect(randomDraw('shandong-demo-2026', 'decl_x')).toBe(parseInt(h.slice(0, 8), 16) / 4294967296);
    const always = rulesOf([]);
    always.randomSelection.rates.general = 1;
    const r = evaluateRisk(facts(), always, 2);
    expect(r.channel).toBe('machine-scan');
    expect(r.fired).toEqual([
      {
        ruleId: 'random-selection',
        channel: 'machine-scan',
        reasonZh: '按企业信用等级随机布控抽中（general，比例 100%）',
        reasonEn: 'Selected at random at the rate for credit class general (100 %)',
        detail: `draw ${Number(r.random.draw.toPrecision(6))} < rate 1`,
      },
    ]);
    expect(evaluateRisk(facts(), always, 2)).toEqual(r);
    expect(evaluateRisk(facts(), rulesOf([]), 2).random.selected).toBe(false); // rate 0
  });

  it('selects close to the configured rate of each class over 100,000 declarations', () => {
    const n = 100_000;
    const noRules = { ...demo, rules: [] };
    for (const cls of CREDIT_CLASSES) {
      const rate = demo.randomSelection.rates[cls];
      let selected = 0;
      for (let i = 0; i < n; i += 1) {
        if (evaluateRisk(facts({ declarationId: `decl_${cls}_${i}`, creditClass: cls, items: [] }), noRules, 1).random.selected) {
          selected += 1;
        }
      }
      const sd = Math.sqrt(n * rate * (1 - rate));
      expect(Math.abs(selected - n * rate), `${cls}: ${selected}`).toBeLessThan(4 * sd);
      expect(selected).toBeGreaterThan(0);
    }
  }, 30_000);
});

describe('dry run', () => {
  it('counts channels now and under the draft and lists what changes', () => {
    const draft = rulesOf([
      { condition: 'weightDeviation > 0.05', channel: 'machine-scan' },
      { condition: 'description containsAny sensitiveWords', channel: 'manual-inspection' },
      { condition: 'creditClass = "discredited"', channel: 'document-review' },
    ]);
    const records: { declarationId: string; entryId: string; facts: RiskFacts; currentChannel: RiskChannel }[] = [
      { declarationId: 'd1', entryId: 'E-d1', facts: facts({ declarationId: 'd1' }), currentChannel: 'release' },
      { declarationId: 'd2', entryId: 'E-d2', facts: facts({ declarationId: 'd2', declaredGrossKg: 110_000 }), currentChannel: 'release' },
      {
        declarationId: 'd3',
        entryId: 'E-d3',
        facts: facts({ declarationId: 'd3', creditClass: 'discredited' }),
        currentChannel: 'document-review',
      },
      {
        declarationId: 'd4',
        entryId: 'E-d4',
        facts: facts({ declarationId: 'd4', items: [item({ description: '军用 parts' })] }),
        currentChannel: 'machine-scan',
      },
      { declarationId: 'd5', entryId: 'E-d5', facts: facts({ declarationId: 'd5' }), currentChannel: 'document-review' },
    ];
    const r = dryRun(records, draft, 7);
    expect(r.total).toBe(5);
    expect(r.current).toEqual({ release: 2, 'document-review': 2, 'machine-scan': 1, 'manual-inspection': 0, 'machine-then-manual': 0 });
    expect(r.draft).toEqual({ release: 2, 'document-review': 1, 'machine-scan': 1, 'manual-inspection': 1, 'machine-then-manual': 0 });
    expect(r.changed.map(({ declarationId, entryId, from, to }) => ({ declarationId, entryId, from, to }))).toEqual([
      { declarationId: 'd2', entryId: 'E-d2', from: 'release', to: 'machine-scan' },
      { declarationId: 'd4', entryId: 'E-d4', from: 'machine-scan', to: 'manual-inspection' },
      { declarationId: 'd5', entryId: 'E-d5', from: 'document-review', to: 'release' },
    ]);
    expect(r.changed[1]?.fired.map((f) => f.ruleId)).toEqual(['r1']);
    const zero = { release: 0, 'document-review': 0, 'machine-scan': 0, 'manual-inspection': 0, 'machine-then-manual': 0 };
    expect(dryRun([], draft, 7)).toEqual({ total: 0, current: zero, draft: zero, changed: [] });
  });
});

describe('the demo rule set', () => {
  const run = (f: RiskFacts) =>
    evaluateRisk(
      f,
      {
        ...demo,
        randomSelection: {
          ...demo.randomSelection,
          rates: { 'advanced-certified': 0, 'general-certified': 0, general: 0, discredited: 0 },
        },
      },
      1,
    );
  it('releases a clean iron-ore import and routes the risky ones', () => {
    expect(run(facts())).toMatchObject({ channel: 'release', fired: [] });
    expect(run(facts({ items: [item({ value: 15_000 })] })).fired.map((f) => f.ruleId)).toEqual(['iron-ore-undervalued', 'undervalued']);
    expect(run(facts({ items: [item({ value: 5_000 })] })).channel).toBe('machine-scan');
    expect(run(facts({ declaredGrossKg: 106_000 })).fired.map((f) => f.ruleId)).toEqual(['weight-deviation']);
    expect(run(facts({ items: [item({ origin: 'KP' })] })).channel).toBe('machine-then-manual');
    expect(run(facts({ creditClass: 'discredited' })).fired.map((f) => f.ruleId)).toEqual(['discredited-enterprise']);
    expect(run(facts({ items: [item({ description: 'Dual-use valves' })] })).channel).toBe('manual-inspection');
    expect(run(facts({ items: [item({ hsCode: '4403990000', netKg: 6_000_000, value: 12_000_000 })] })).fired).toEqual([]);
  });
});
