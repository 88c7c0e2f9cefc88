// Smart electronic quarantine (C3): health declarations, risk rules as data, modes, remote sessions, pratique.
export { quarantineRoutes } from './quarantine.routes.ts';
export { declareHealth, QUARANTINE_POLICY } from './quarantine.commands.ts';
export { HEALTH_QUESTIONS, ruleSetProblems, ZRuleSet, type RuleSet } from './quarantine.rules.ts';
export { QuarantineErrorCode } from './quarantine.errors.ts';
