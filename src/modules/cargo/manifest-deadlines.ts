import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import type { PortCallRow } from '../port-calls/index.ts';

/**
 * Manifest filing deadlines as a versioned policy (kind `manifest-deadlines`, domain.md §2.1): each
 * rule names a manifest kind, the port-call time it counts from and an offset in minutes. The
 * first rule that matches a filing decides; times not yet known (no loading start, no departure)
 * give no deadline until they are.
 */
export const MANIFEST_DEADLINES_POLICY = 'manifest-deadlines';

export const DEADLINE_REFERENCES = ['last-port-departure', 'arrival', 'loading-start', 'cargo-operations-completed', 'departure'] as const;
export type DeadlineReference = (typeof DEADLINE_REFERENCES)[number];

export const ZDeadlineRules = Type.Object(
  {
    rules: Type.Array(
      Type.Object(
        {
          id: Type.String({ minLength: 1 }),
          manifestKind: Type.String({ minLength: 1 }),
          // the call's cargo types the rule applies to; absent: all
          cargoTypes: Type.Optional(Type.Array(Type.String())),
          // applies only when every box on the manifest is empty
          emptyOnly: Type.Optional(Type.Boolean()),
          reference: Type.Union(DEADLINE_REFERENCES.map((r) => Type.Literal(r))),
          offsetMinutes: Type.Integer(),
          source: Type.String(),
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
  },
  { additionalProperties: false },
);
export type DeadlineRules = Static<typeof ZDeadlineRules>;
export type DeadlineRule = DeadlineRules['rules'][number];

/** Problems of a policy document, as `path: message` lines (empty when valid). */
export const deadlineRulesProblems = (doc: unknown): string[] =>
  Value.Check(ZDeadlineRules, doc) ? [] : [...Value.Errors(ZDeadlineRules, doc)].map((e) => `${e.instancePath || '/'}: ${e.message}`);

type CallTimes = Pick<
  PortCallRow,
  | 'cargo_type'
  | 'last_port_departure'
  | 'eta'
  | 'etd'
  | 'arrived_at'
  | 'planned_berth_start'
  | 'cargo_ops_started_at'
  | 'cargo_ops_completed_at'
  | 'departed_at'
>;

const referenceTime = (call: CallTimes, ref: DeadlineReference): Date | null => {
  switch (ref) {
    case 'last-port-departure':
      return call.last_port_departure;
    case 'arrival':
      return call.arrived_at ?? call.eta;
    case 'loading-start':
      // the best estimate known at filing: actual start, else planned berthing, else ETA
      return call.cargo_ops_started_at ?? call.planned_berth_start ?? call.eta;
    case 'cargo-operations-completed':
      return call.cargo_ops_completed_at;
    case 'departure':
      return call.departed_at ?? call.etd;
  }
};

/** The rule that applies to a filing and the deadline it gives (null when no rule or time). */
export const filingDeadline = (
  rules: DeadlineRules,
  manifestKind: string,
  call: CallTimes,
  allEmpty: boolean,
): { rule: DeadlineRule; deadline: Date | null } | null => {
  const rule = rules.rules.find(
    (r) =>
      r.manifestKind === manifestKind &&
      (r.cargoTypes === undefined || r.cargoTypes.includes(call.cargo_type)) &&
      (r.emptyOnly !== true || allEmpty),
  );
  if (rule === undefined) {
    return null;
  }
  const ref = referenceTime(call, rule.reference);
  return { rule, deadline: ref === null ? null : new Date(ref.getTime() + rule.offsetMinutes * 60_000) };
};
