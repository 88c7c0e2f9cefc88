import { Type, type Static } from 'typebox';

/** Policy kind of the alert rules (versioned through modules/policies). */
export const ALERT_RULES_POLICY = 'alert-rules';

export type AlertSubjectType = 'container' | 'declaration' | 'port-call';

/**
 * The conditions the evaluator knows, each on one subject type. A rule document picks kinds and
 * sets thresholds and severity; what a kind means is code (it is SQL over our own tables), how
 * long is too long and how loud is data (domain.md §2.5).
 */
export const ALERT_RULE_KINDS = {
  /** Import box discharged, not (or no longer) released by customs, still in the terminal; since discharge. */
  'import-not-released': { subject: 'container' },
  /** Import box released by customs, not gated out; since release. */
  'import-released-not-gated-out': { subject: 'container' },
  /** Export box gated in, not released, not loaded; since gate-in. */
  'export-gated-in-not-released': { subject: 'container' },
  /** Export box released, not loaded; since release. */
  'export-released-not-loaded': { subject: 'container' },
  /** Export advance declaration whose goods have not arrived; since declaration. */
  'export-advance-not-arrived': { subject: 'declaration' },
  /** Two-step declaration still at the summary stage: from thresholdHours before complete_due_at until it. */
  'two-step-complete-due-soon': { subject: 'declaration' },
  /** Two-step declaration still at the summary stage after complete_due_at (+ thresholdHours). */
  'two-step-complete-overdue': { subject: 'declaration' },
  /** Departed call that carried cargo without its tally report (MT5101 / MT5102); since departure. */
  'tally-missing-after-departure': { subject: 'port-call' },
} as const satisfies Record<string, { subject: AlertSubjectType }>;

export type AlertRuleKind = keyof typeof ALERT_RULE_KINDS;
export const ALERT_RULE_KIND_NAMES = Object.keys(ALERT_RULE_KINDS) as AlertRuleKind[];
const ZKind = Type.Unsafe<AlertRuleKind>(Type.Union(ALERT_RULE_KIND_NAMES.map((k) => Type.Literal(k))));

export const ZAlertRule = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 64 }),
    kind: ZKind,
    thresholdHours: Type.Number({ minimum: 0, maximum: 24 * 3660, description: 'How long the condition holds before the alert opens' }),
    severity: Type.Union([Type.Literal('warning'), Type.Literal('alarm')]),
    enabled: Type.Boolean(),
    titleZh: Type.String({ minLength: 1, maxLength: 200 }),
    titleEn: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type AlertRule = Static<typeof ZAlertRule>;

export const ZAlertRules = Type.Object({ rules: Type.Array(ZAlertRule, { maxItems: 200 }) }, { additionalProperties: false });
export type AlertRules = Static<typeof ZAlertRules>;

/** What the schema cannot say: rule ids are unique (an alert names its rule by id). Paths from the body root. */
export const alertRuleProblems = (doc: AlertRules): { path: string; message: string }[] => {
  const problems: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  doc.rules.forEach((rule, i) => {
    if (seen.has(rule.id)) {
      problems.push({ path: `/document/rules/${i}/id`, message: `duplicate rule id ${rule.id}` });
    }
    seen.add(rule.id);
  });
  return problems;
};

const HOUR = 3_600_000;

/** Event times of one box visit (latest per kind), as the evaluator reads them. */
export type BoxTimes = {
  direction: string;
  discharged_at: Date | null;
  customs_released_at: Date | null;
  customs_hold_at: Date | null;
  customs_hold_lifted_at: Date | null;
  gated_in_at: Date | null;
  gated_out_at: Date | null;
  loaded_at: Date | null;
};

export type DeclarationFacts = {
  direction: string;
  procedure: string;
  stage: string | null;
  status: string;
  declared_at: Date;
  goods_arrived_at: Date | null;
  complete_due_at: Date | null;
};

export type CallFacts = { departed_at: Date | null; missing_tallies: string[] };

const t = (d: Date | null): number => (d === null ? Number.NEGATIVE_INFINITY : d.getTime());

/** Released by customs and not held since: the same reading as the cargo module's flags. */
export const customsReleased = (b: BoxTimes): boolean => {
  const onHold = b.customs_hold_at !== null && t(b.customs_hold_at) > Math.max(t(b.customs_hold_lifted_at), t(b.customs_released_at));
  return b.customs_released_at !== null && !onHold;
};

// A rejected (E) or deleted (D) declaration needs nothing more; a closed (R) one has arrived.
const DEAD_STATUSES = new Set(['E', 'D']);

/**
 * When the condition of `kind` started for a subject, or null when it does not hold. The alert
 * opens once `now` is more than thresholdHours past that instant.
 */
export const conditionSince = (
  kind: AlertRuleKind,
  facts: BoxTimes | DeclarationFacts | CallFacts,
  thresholdHours: number,
): Date | null => {
  switch (kind) {
    case 'import-not-released': {
      const b = facts as BoxTimes;
      return b.direction === 'import' && b.gated_out_at === null && !customsReleased(b) ? b.discharged_at : null;
    }
    case 'import-released-not-gated-out': {
      const b = facts as BoxTimes;
      return b.direction === 'import' && b.gated_out_at === null && customsReleased(b) ? b.customs_released_at : null;
    }
    case 'export-gated-in-not-released': {
      const b = facts as BoxTimes;
      return b.direction === 'export' && b.loaded_at === null && !customsReleased(b) ? b.gated_in_at : null;
    }
    case 'export-released-not-loaded': {
      const b = facts as BoxTimes;
      return b.direction === 'export' && b.loaded_at === null && customsReleased(b) ? b.customs_released_at : null;
    }
    case 'export-advance-not-arrived': {
      const d = facts as DeclarationFacts;
      return d.direction === 'export' &&
        d.procedure === 'advance' &&
        d.goods_arrived_at === null &&
        !DEAD_STATUSES.has(d.status) &&
        d.status !== 'R'
        ? d.declared_at
        : null;
    }
    case 'two-step-complete-due-soon':
    case 'two-step-complete-overdue': {
      const d = facts as DeclarationFacts;
      if (d.procedure !== 'two-step' || d.stage !== 'summary' || d.complete_due_at === null || DEAD_STATUSES.has(d.status)) {
        return null;
      }
      // due-soon: the window [due − threshold, due); measured from its start with threshold 0 below
      return kind === 'two-step-complete-overdue' ? d.complete_due_at : new Date(d.complete_due_at.getTime() - thresholdHours * HOUR);
    }
    case 'tally-missing-after-departure': {
      const c = facts as CallFacts;
      return c.missing_tallies.length > 0 ? c.departed_at : null;
    }
  }
};

/** Whether the rule fires for these facts at `now`; with the instant its condition began. */
export const ruleFires = (
  rule: Pick<AlertRule, 'kind' | 'thresholdHours'>,
  facts: BoxTimes | DeclarationFacts | CallFacts,
  now: Date,
): Date | null => {
  const since = conditionSince(rule.kind, facts, rule.thresholdHours);
  if (since === null) {
    return null;
  }
  if (rule.kind === 'two-step-complete-due-soon') {
    const due = (facts as DeclarationFacts).complete_due_at as Date;
    return now.getTime() >= since.getTime() && now.getTime() < due.getTime() ? since : null;
  }
  return now.getTime() - since.getTime() > rule.thresholdHours * HOUR ? since : null;
};
