import { Type, type Static } from 'typebox';

/**
 * The quarantine risk rule set: data, versioned as the `quarantine-risk` policy (domain.md §4).
 * Conditions come from a fixed vocabulary; which fire, their points, the modes they force and the
 * score bands are the authority's to change. `assess` is pure: same facts + rules → same result.
 */
export const QUARANTINE_MODES = ['telecom', 'smart-remote', 'berth', 'onboard', 'anchorage'] as const;
export type QuarantineMode = (typeof QUARANTINE_MODES)[number];
/** Strictness, for "may not be less strict than the forced mode": index in QUARANTINE_MODES. */
export const severity = (m: QuarantineMode): number => QUARANTINE_MODES.indexOf(m);

/** The nine questions of the Maritime Declaration of Health (IHR 2005, Annex 8). */
export const HEALTH_QUESTIONS = [
  'deaths',
  'infectiousDisease',
  'illPassengersAboveNormal',
  'illPersonsNow',
  'medicalPractitionerConsulted',
  'infectionCondition',
  'sanitaryMeasureApplied',
  'stowaways',
  'sickAnimal',
] as const;
export type HealthQuestion = (typeof HEALTH_QUESTIONS)[number];

const ZMode = Type.Union([
  Type.Literal('telecom'),
  Type.Literal('smart-remote'),
  Type.Literal('berth'),
  Type.Literal('onboard'),
  Type.Literal('anchorage'),
]) satisfies { anyOf: { const: QuarantineMode }[] };
const count = Type.Integer({ minimum: 1, maximum: 100_000 });

export const ZCondition = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('health-answer'),
      questions: Type.Array(Type.Union(HEALTH_QUESTIONS.map((q) => Type.Literal(q))), { minItems: 1 }),
    },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('affected-area') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('sanitation-certificate-invalid') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('late-declaration') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('fever-at-least'), count }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('ill-at-least'), count }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('passengers-at-least'), count }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('dangerous-goods') }, { additionalProperties: false }),
  Type.Object(
    { kind: Type.Literal('cargo-type'), cargoTypes: Type.Array(Type.String({ minLength: 1, maxLength: 32 }), { minItems: 1 }) },
    { additionalProperties: false },
  ),
]);
export type Condition = Static<typeof ZCondition>;

export const ZRuleSet = Type.Object(
  {
    lateDeclarationHours: Type.Number({ minimum: 0, maximum: 240 }),
    sanitationCertificateMonths: Type.Integer({ minimum: 1, maximum: 60 }),
    portsOfCallDays: Type.Integer({ minimum: 1, maximum: 365 }),
    feverCelsius: Type.Number({ minimum: 36, maximum: 42 }),
    rules: Type.Array(
      Type.Object(
        {
          id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 64 }),
          condition: ZCondition,
          points: Type.Integer({ minimum: 0, maximum: 1000 }),
          forceMode: Type.Optional(ZMode),
          reasonZh: Type.String({ minLength: 1, maxLength: 300 }),
          reasonEn: Type.String({ minLength: 1, maxLength: 300 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 200 },
    ),
    modeByScore: Type.Array(
      Type.Object({ maxScore: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]), mode: ZMode }, { additionalProperties: false }),
      { minItems: 1, maxItems: 10, description: 'Ascending bands; the last has maxScore null' },
    ),
  },
  { additionalProperties: false },
);
export type RuleSet = Static<typeof ZRuleSet>;

/** What the schema cannot say: ids unique, bands ascending and ending open. Returns error details. */
export const ruleSetProblems = (r: RuleSet): { path: string; message: string }[] => {
  const problems: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  r.rules.forEach((rule, i) => {
    if (seen.has(rule.id)) {
      problems.push({ path: `/document/rules/${i}/id`, message: `duplicate rule id ${rule.id}` });
    }
    seen.add(rule.id);
  });
  let prev = -1;
  r.modeByScore.forEach((band, i) => {
    const last = i === r.modeByScore.length - 1;
    if (last !== (band.maxScore === null)) {
      problems.push({
        path: `/document/modeByScore/${i}/maxScore`,
        message: last ? 'the last band must be open (null)' : 'only the last band may be open',
      });
    } else if (band.maxScore !== null && band.maxScore <= prev) {
      problems.push({ path: `/document/modeByScore/${i}/maxScore`, message: 'bands must ascend' });
    }
    prev = band.maxScore ?? prev;
  });
  return problems;
};

export type AffectedMatch = { locode: string; areaCode: string; disease: string; departedAt: string };

export type Facts = {
  answers: Record<HealthQuestion, boolean>;
  affected: AffectedMatch[];
  sanitationCertificateValid: boolean;
  lateDeclaration: boolean;
  feverCount: number;
  illCount: number;
  passengers: number;
  dangerousGoods: boolean;
  cargoType: string;
};

export type Reason = {
  ruleId: string;
  points: number;
  forceMode: QuarantineMode | null;
  reasonZh: string;
  reasonEn: string;
  detail: string;
};
export type Assessment = { score: number; reasons: Reason[]; forcedMode: QuarantineMode | null; proposedMode: QuarantineMode };

const fires = (c: Condition, f: Facts): string | null => {
  switch (c.kind) {
    case 'health-answer': {
      const yes = c.questions.filter((q) => f.answers[q]);
      return yes.length > 0 ? yes.join(', ') : null;
    }
    case 'affected-area':
      return f.affected.length > 0 ? f.affected.map((a) => `${a.locode} (${a.areaCode}: ${a.disease})`).join(', ') : null;
    case 'sanitation-certificate-invalid':
      return f.sanitationCertificateValid ? null : 'no valid sanitation certificate on arrival';
    case 'late-declaration':
      return f.lateDeclaration ? 'declared late' : null;
    case 'fever-at-least':
      return f.feverCount >= c.count ? `${f.feverCount} with fever` : null;
    case 'ill-at-least':
      return f.illCount >= c.count ? `${f.illCount} ill` : null;
    case 'passengers-at-least':
      return f.passengers >= c.count ? `${f.passengers} passengers` : null;
    case 'dangerous-goods':
      return f.dangerousGoods ? 'dangerous goods on board' : null;
    case 'cargo-type':
      return c.cargoTypes.includes(f.cargoType) ? f.cargoType : null;
  }
};

/** Runs every rule; the mode is the strictest forced one, else the score band's. */
export const assess = (rules: RuleSet, facts: Facts): Assessment => {
  const reasons: Reason[] = [];
  for (const rule of rules.rules) {
    const detail = fires(rule.condition, facts);
    if (detail !== null) {
      reasons.push({
        ruleId: rule.id,
        points: rule.points,
        forceMode: rule.forceMode ?? null,
        reasonZh: rule.reasonZh,
        reasonEn: rule.reasonEn,
        detail,
      });
    }
  }
  const score = reasons.reduce((s, r) => s + r.points, 0);
  const forced = reasons.flatMap((r) => (r.forceMode === null ? [] : [r.forceMode]));
  const forcedMode = forced.length === 0 ? null : forced.reduce((a, b) => (severity(b) > severity(a) ? b : a));
  const band = rules.modeByScore.find((b) => b.maxScore === null || score <= b.maxScore) ?? rules.modeByScore[rules.modeByScore.length - 1];
  const byScore = band?.mode ?? 'anchorage';
  const proposedMode = forcedMode !== null && severity(forcedMode) > severity(byScore) ? forcedMode : byScore;
  return { score, reasons, forcedMode, proposedMode };
};

/** Valid on the arrival date: issued no more than `months` months before it (domain.md §4: 12). */
export const certificateValidOn = (issuedOn: string, arrival: Date, months: number): boolean => {
  const issued = new Date(`${issuedOn}T00:00:00Z`);
  const expires = new Date(issued);
  expires.setUTCMonth(expires.getUTCMonth() + months);
  return issued.getTime() <= arrival.getTime() && arrival.getTime() < expires.getTime();
};
