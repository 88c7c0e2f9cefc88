import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';

/**
 * Procedure parameters an authority may change, as the versioned policy `declaration-rules`:
 * the two-step and advance-declaration time limits (domain.md §2.2), how far an export's
 * documents may disagree on weight, and the monthly customs exchange rates used to put values in
 * CNY for the risk rules.
 */
export const DECLARATION_RULES_POLICY = 'declaration-rules';

export const ZDeclarationRules = Type.Object(
  {
    twoStepCompleteDays: Type.Integer({ minimum: 1, maximum: 90, description: 'Complete declaration due this many days after arrival' }),
    advanceExportDays: Type.Integer({
      minimum: 0,
      maximum: 30,
      description: 'Export advance declaration: at most this many days before arrival at the site',
    }),
    twoStepCreditClasses: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      description: 'Credit classes admitted to two-step declaration',
    }),
    exportWeightTolerance: Type.Number({
      minimum: 0,
      maximum: 1,
      description: 'Relative gross-weight difference allowed between declaration and pre-stowage manifest',
    }),
    ratesToCny: Type.Record(Type.String({ pattern: '^[A-Z]{3}$' }), Type.Number({ exclusiveMinimum: 0 })),
  },
  { additionalProperties: false },
);
export type DeclarationRules = Static<typeof ZDeclarationRules>;

export const declarationRulesProblems = (doc: unknown): string[] =>
  Value.Check(ZDeclarationRules, doc) ? [] : [...Value.Errors(ZDeclarationRules, doc)].map((e) => `${e.instancePath || '/'}: ${e.message}`);
