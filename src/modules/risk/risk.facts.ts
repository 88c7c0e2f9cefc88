import { Type, type Static } from 'typebox';

/**
 * The facts of one declaration that the customs risk rules see. The declarations module builds
 * them when a declaration is received and stores them (declarations.risk_facts) so that a draft
 * rule set can be replayed over past declarations.
 */
export type CreditClass = 'advanced-certified' | 'general-certified' | 'general' | 'discredited';
export type RiskItem = {
  seq: number;
  hsCode: string /* 10 digits */;
  description: string;
  origin: string /* ISO 3166 alpha-2 */;
  netKg: number;
  value: number; /* in CNY */
};
export type RiskFacts = {
  declarationId: string;
  direction: 'import' | 'export';
  procedure: 'standard' | 'advance' | 'two-step';
  creditClass: CreditClass;
  enterpriseCode: string;
  customsCode: string; // declaring customs office, 4 digits
  tradeMode: string; // e.g. '0110'
  transMode: string; // e.g. 'CIF'
  items: RiskItem[];
  declaredGrossKg: number;
  manifestedGrossKg: number | null; // gross weight of the bill on the manifest, when matched
  rebate: boolean; // departure-port rebate flag
};

export const CREDIT_CLASSES = [
  'advanced-certified',
  'general-certified',
  'general',
  'discredited',
] as const satisfies readonly CreditClass[];

/** The stored form, checked before a replay: rows written by an older build may not fit. */
export const ZRiskFacts = Type.Object({
  declarationId: Type.String({ minLength: 1 }),
  direction: Type.Union([Type.Literal('import'), Type.Literal('export')]),
  procedure: Type.Union([Type.Literal('standard'), Type.Literal('advance'), Type.Literal('two-step')]),
  creditClass: Type.Union([
    Type.Literal('advanced-certified'),
    Type.Literal('general-certified'),
    Type.Literal('general'),
    Type.Literal('discredited'),
  ]),
  enterpriseCode: Type.String(),
  customsCode: Type.String(),
  tradeMode: Type.String(),
  transMode: Type.String(),
  items: Type.Array(
    Type.Object({
      seq: Type.Number(),
      hsCode: Type.String(),
      description: Type.String(),
      origin: Type.String(),
      netKg: Type.Number(),
      value: Type.Number(),
    }),
  ),
  declaredGrossKg: Type.Number(),
  manifestedGrossKg: Type.Union([Type.Number(), Type.Null()]),
  rebate: Type.Boolean(),
});
// Compile-time guard: the schema and the hand-written type describe the same shape, both ways.
const _toFacts = (s: Static<typeof ZRiskFacts>): RiskFacts => s;
const _fromFacts = (f: RiskFacts): Static<typeof ZRiskFacts> => f;
void _toFacts;
void _fromFacts;
