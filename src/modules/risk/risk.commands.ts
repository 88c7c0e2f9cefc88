import type { DbOrTx } from '../../db/tx.ts';
import { policyInForce } from '../policies/index.ts';
import type { RiskFacts } from './risk.facts.ts';
import { evaluateRisk, type RiskResult, type RiskRuleSet } from './risk.rules.ts';

export const CUSTOMS_RISK_POLICY = 'customs-risk';

/** Evaluates facts under the rule set in force at `at` (policy.none-in-force when there is none). */
export const assessRisk = async (db: DbOrTx, facts: RiskFacts, at: Date): Promise<RiskResult> => {
  const policy = await policyInForce<RiskRuleSet>(db, CUSTOMS_RISK_POLICY, at);
  return evaluateRisk(facts, policy.document, policy.version);
};
