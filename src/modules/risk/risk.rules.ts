import { createHash } from 'node:crypto';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { compileCondition, conditionError, evaluate, type CompiledCondition, type FieldName, type Scope } from './risk.condition.ts';
import { type CreditClass, type RiskFacts, type RiskItem } from './risk.facts.ts';

/**
 * The customs risk rule set: data, versioned as the `customs-risk` policy (domain.md §2.3). Each
 * rule is a condition in the language of risk.condition.ts and the channel it asks for; the
 * strictest channel of the rules that fire wins, none → release. On top, a share of declarations
 * is selected at random by the enterprise's credit class, with a draw that is a pure function of
 * the seed and the declaration id, so a replay reproduces it. Everything here is pure.
 */

/** Strictest last. */
export const RISK_CHANNELS = ['release', 'document-review', 'machine-scan', 'manual-inspection', 'machine-then-manual'] as const;
export type RiskChannel = (typeof RISK_CHANNELS)[number];
export const channelSeverity = (c: RiskChannel): number => RISK_CHANNELS.indexOf(c);
export const isRiskChannel = (s: unknown): s is RiskChannel => typeof s === 'string' && (RISK_CHANNELS as readonly string[]).includes(s);

export const ZRiskChannel = Type.Union([
  Type.Literal('release'),
  Type.Literal('document-review'),
  Type.Literal('machine-scan'),
  Type.Literal('manual-inspection'),
  Type.Literal('machine-then-manual'),
]) satisfies { anyOf: { const: RiskChannel }[] };
const rate = Type.Number({ minimum: 0, maximum: 1 });

export const ZRiskRuleSet = Type.Object(
  {
    rules: Type.Array(
      Type.Object(
        {
          id: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 64, description: 'kebab-case, unique in the set' }),
          condition: Type.String({
            minLength: 1,
            maxLength: 2000,
            description:
              'A boolean expression: fields (direction, procedure, creditClass, enterpriseCode, customsCode, tradeMode, transMode, rebate, ' +
              'declaredGrossKg, manifestedGrossKg, manifestMatched, weightDeviation, itemCount, totalValue, totalNetKg; per item: hs, ' +
              'description, origin, netKg, value, valuePerKg, refMin, refMax, seq), numbers, "strings", [lists], sensitiveWords, ' +
              '+ - * /, abs/min/max, < <= > >= = !=, in (exact), startsWith, containsAny (case-insensitive), and/or/not, parentheses. ' +
              'A condition naming item fields holds when one item makes all of it true; comparisons with a missing value are false.',
          }),
          channel: ZRiskChannel,
          enabled: Type.Optional(Type.Boolean({ description: 'false keeps the rule in the set without running it' })),
          reasonZh: Type.String({ minLength: 1, maxLength: 300 }),
          reasonEn: Type.String({ minLength: 1, maxLength: 300 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 500 },
    ),
    referenceValues: Type.Array(
      Type.Object(
        {
          hsPrefix: Type.String({ pattern: '^[0-9]{2,10}$' }),
          minCnyPerKg: Type.Number({ minimum: 0 }),
          maxCnyPerKg: Type.Number({ minimum: 0 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 5000, description: 'Value-per-kg reference ranges; the longest matching prefix applies' },
    ),
    sensitiveWords: Type.Array(Type.String({ minLength: 1, maxLength: 50 }), {
      maxItems: 2000,
      description: 'Matched case-insensitively in item descriptions by `description containsAny sensitiveWords`',
    }),
    randomSelection: Type.Object(
      {
        seed: Type.String({ minLength: 1, maxLength: 100 }),
        channel: ZRiskChannel,
        rates: Type.Object(
          { 'advanced-certified': rate, 'general-certified': rate, general: rate, discredited: rate },
          { additionalProperties: false, description: 'Share of declarations selected at random, by credit class' },
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type RiskRuleSet = Static<typeof ZRiskRuleSet>;

export type RiskProblem = { path: string; message: string };

/**
 * Everything wrong with a rule-set document, paths relative to the document: schema errors first
 * (then nothing else is checked), else conditions that do not parse (message with the character
 * offset), duplicate rule ids, duplicate or inverted reference ranges.
 */
export const ruleSetProblems = (doc: unknown): RiskProblem[] => {
  if (!Value.Check(ZRiskRuleSet, doc)) {
    return [...Value.Errors(ZRiskRuleSet, doc)].map((e) => ({ path: e.instancePath || '/', message: e.message }));
  }
  const problems: RiskProblem[] = [];
  const ids = new Set<string>();
  doc.rules.forEach((rule, i) => {
    if (ids.has(rule.id)) {
      problems.push({ path: `/rules/${i}/id`, message: `duplicate rule id ${rule.id}` });
    }
    ids.add(rule.id);
    if (rule.id === RANDOM_RULE_ID) {
      problems.push({ path: `/rules/${i}/id`, message: `${RANDOM_RULE_ID} is reserved for the random selection` });
    }
    const err = conditionError(rule.condition);
    if (err !== null) {
      problems.push({ path: `/rules/${i}/condition`, message: `at character ${err.offset}: ${err.message}` });
    }
  });
  const prefixes = new Set<string>();
  doc.referenceValues.forEach((r, i) => {
    if (prefixes.has(r.hsPrefix)) {
      problems.push({ path: `/referenceValues/${i}/hsPrefix`, message: `duplicate reference range for ${r.hsPrefix}` });
    }
    prefixes.add(r.hsPrefix);
    if (r.minCnyPerKg > r.maxCnyPerKg) {
      problems.push({ path: `/referenceValues/${i}/maxCnyPerKg`, message: 'maxCnyPerKg is below minCnyPerKg' });
    }
  });
  return problems;
};

export const RANDOM_RULE_ID = 'random-selection';

export type FiredRule = { ruleId: string; channel: RiskChannel; reasonZh: string; reasonEn: string; detail: string };
export type RandomDraw = { creditClass: CreditClass; rate: number; draw: number; selected: boolean };
export type RiskResult = { ruleSetVersion: number; channel: RiskChannel; fired: FiredRule[]; random: RandomDraw };

/** Uniform in [0, 1): the first 8 hex digits of sha256(seed ':' declarationId) over 2^32. */
export const randomDraw = (seed: string, declarationId: string): number =>
  parseInt(createHash('sha256').update(`${seed}:${declarationId}`).digest('hex').slice(0, 8), 16) / 2 ** 32;

type Compiled = {
  rules: { rule: RiskRuleSet['rules'][number]; cond: CompiledCondition }[];
  ranges: RiskRuleSet['referenceValues'];
};
// Documents are immutable once published; compile each once (a dry run evaluates thousands).
const compiledSets = new WeakMap<RiskRuleSet, Compiled>();
const compile = (rs: RiskRuleSet): Compiled => {
  let c = compiledSets.get(rs);
  if (c === undefined) {
    c = {
      rules: rs.rules.filter((r) => r.enabled !== false).map((rule) => ({ rule, cond: compileCondition(rule.condition) })),
      ranges: [...rs.referenceValues].sort((a, b) => b.hsPrefix.length - a.hsPrefix.length),
    };
    compiledSets.set(rs, c);
  }
  return c;
};

const round = (n: number): number => Number(n.toPrecision(6));
const show = (v: Scope[FieldName]): string => {
  if (v === null || v === undefined) {
    return 'none';
  }
  if (typeof v === 'number') {
    return String(round(v));
  }
  if (typeof v === 'string') {
    return v.length > 60 ? `"${v.slice(0, 57)}…"` : `"${v}"`;
  }
  if (Array.isArray(v)) {
    return `${v.length} entries`;
  }
  return String(v);
};

const documentScope = (f: RiskFacts, rs: RiskRuleSet): Scope => {
  const deviation =
    f.manifestedGrossKg !== null && f.manifestedGrossKg > 0
      ? Math.abs(f.declaredGrossKg - f.manifestedGrossKg) / f.manifestedGrossKg
      : null;
  return {
    direction: f.direction,
    procedure: f.procedure,
    creditClass: f.creditClass,
    enterpriseCode: f.enterpriseCode,
    customsCode: f.customsCode,
    tradeMode: f.tradeMode,
    transMode: f.transMode,
    rebate: f.rebate,
    declaredGrossKg: f.declaredGrossKg,
    manifestedGrossKg: f.manifestedGrossKg,
    manifestMatched: f.manifestedGrossKg !== null,
    weightDeviation: deviation,
    itemCount: f.items.length,
    totalValue: f.items.reduce((s, i) => s + i.value, 0),
    totalNetKg: f.items.reduce((s, i) => s + i.netKg, 0),
    sensitiveWords: rs.sensitiveWords,
  };
};

const itemScope = (doc: Scope, item: RiskItem, ranges: Compiled['ranges']): Scope => {
  const range = ranges.find((r) => item.hsCode.startsWith(r.hsPrefix));
  return {
    ...doc,
    seq: item.seq,
    hs: item.hsCode,
    description: item.description,
    origin: item.origin,
    netKg: item.netKg,
    value: item.value,
    valuePerKg: item.netKg > 0 ? item.value / item.netKg : null,
    refMin: range?.minCnyPerKg ?? null,
    refMax: range?.maxCnyPerKg ?? null,
  };
};

/** "name=value" for the fields the condition names, so an officer sees why it fired. */
const describeScope = (fields: FieldName[], scope: Scope, words: string[]): string =>
  fields
    .filter((f) => f !== 'sensitiveWords' && f !== 'seq')
    .map((f) => `${f}=${show(scope[f])}`)
    .concat(words.length > 0 ? [`matched ${words.map((w) => `"${w}"`).join(', ')}`] : [])
    .join(', ');

type ItemScope = { item: RiskItem; scope: Scope };

const fire = (cond: CompiledCondition, doc: Scope, items: ItemScope[]): string | null => {
  if (!cond.usesItems) {
    const words: string[] = [];
    return evaluate(cond.ast, doc, words) === true ? describeScope(cond.fields, doc, words) : null;
  }
  const hits: string[] = [];
  for (const { item, scope } of items) {
    const words: string[] = [];
    if (evaluate(cond.ast, scope, words) === true) {
      hits.push(`item ${item.seq}: ${describeScope(cond.fields, scope, words)}`);
    }
  }
  if (hits.length === 0) {
    return null;
  }
  return hits.length > 3 ? `${hits.slice(0, 3).join('; ')}; and ${hits.length - 3} more items` : hits.join('; ');
};

const strictest = (fired: FiredRule[]): RiskChannel =>
  fired.reduce<RiskChannel>((best, f) => (channelSeverity(f.channel) > channelSeverity(best) ? f.channel : best), 'release');

/** Runs every enabled rule and the random draw over one declaration's facts. Pure and deterministic. */
export const evaluateRisk = (facts: RiskFacts, ruleSet: RiskRuleSet, version: number): RiskResult => {
  const c = compile(ruleSet);
  const doc = documentScope(facts, ruleSet);
  // each item's scope once, not once per rule
  const items = facts.items.map((item) => ({ item, scope: itemScope(doc, item, c.ranges) }));
  const fired: FiredRule[] = [];
  for (const { rule, cond } of c.rules) {
    const detail = fire(cond, doc, items);
    if (detail !== null) {
      fired.push({ ruleId: rule.id, channel: rule.channel, reasonZh: rule.reasonZh, reasonEn: rule.reasonEn, detail });
    }
  }
  const r = ruleSet.randomSelection;
  const rateOfClass = r.rates[facts.creditClass];
  const draw = randomDraw(r.seed, facts.declarationId);
  const selected = draw < rateOfClass;
  if (selected) {
    fired.push({
      ruleId: RANDOM_RULE_ID,
      channel: r.channel,
      reasonZh: `按企业信用等级随机布控抽中（${facts.creditClass}，比例 ${round(rateOfClass * 100)}%）`,
      reasonEn: `Selected at random at the rate for credit class ${facts.creditClass} (${round(rateOfClass * 100)} %)`,
      detail: `draw ${round(draw)} < rate ${rateOfClass}`,
    });
  }
  return {
    ruleSetVersion: version,
    channel: strictest(fired),
    fired,
    random: { creditClass: facts.creditClass, rate: rateOfClass, draw, selected },
  };
};

export type DryRunRecord = { declarationId: string; entryId: string | null; facts: RiskFacts; currentChannel: RiskChannel };
export type DryRunResult = {
  total: number;
  current: Record<RiskChannel, number>;
  draft: Record<RiskChannel, number>;
  changed: { declarationId: string; entryId: string | null; from: RiskChannel; to: RiskChannel; fired: FiredRule[] }[];
};

const zeroCounts = (): Record<RiskChannel, number> => Object.fromEntries(RISK_CHANNELS.map((c) => [c, 0])) as Record<RiskChannel, number>;

/** Replays a draft rule set over past declarations: channel counts now and under the draft, and what changes. */
export const dryRun = (records: DryRunRecord[], draft: RiskRuleSet, draftVersion: number): DryRunResult => {
  const result: DryRunResult = { total: records.length, current: zeroCounts(), draft: zeroCounts(), changed: [] };
  for (const rec of records) {
    const r = evaluateRisk(rec.facts, draft, draftVersion);
    result.current[rec.currentChannel] += 1;
    result.draft[r.channel] += 1;
    if (r.channel !== rec.currentChannel) {
      result.changed.push({
        declarationId: rec.declarationId,
        entryId: rec.entryId,
        from: rec.currentChannel,
        to: r.channel,
        fired: r.fired,
      });
    }
  }
  return result;
};
