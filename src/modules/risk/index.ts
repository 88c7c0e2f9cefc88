// Customs risk engine: rules as the versioned `customs-risk` policy, their condition language, channels, dry run.
export { riskRoutes } from './risk.routes.ts';
export { assessRisk, CUSTOMS_RISK_POLICY } from './risk.commands.ts';
export {
  dryRun,
  evaluateRisk,
  randomDraw,
  RISK_CHANNELS,
  ruleSetProblems,
  ZRiskRuleSet,
  type DryRunRecord,
  type DryRunResult,
  type FiredRule,
  type RiskChannel,
  type RiskResult,
  type RiskRuleSet,
} from './risk.rules.ts';
export { CREDIT_CLASSES, ZRiskFacts, type CreditClass, type RiskFacts, type RiskItem } from './risk.facts.ts';
export { RiskErrorCode } from './risk.errors.ts';
