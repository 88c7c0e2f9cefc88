// Alerts (issue 6): rules as a versioned policy, scheduled evaluation with auto-resolve, the alert centre API.
export { alertRoutes } from './alerts.routes.ts';
export { openAlert, openAlerts, resolveAlertsAsRule, type AlertSeverity, type OpenAlertInput } from './alerts.store.ts';
export { acknowledgeAlert, resolveAlert, type AlertRow } from './alerts.commands.ts';
export { evaluateAlerts, CONDITION_CLEARED, RULE_DISABLED, type EvaluationResult } from './alerts.evaluate.ts';
export { alertJobs, ALERTS_EVALUATE_JOB } from './alerts.jobs.ts';
export {
  ALERT_RULE_KINDS,
  ALERT_RULE_KIND_NAMES,
  ALERT_RULES_POLICY,
  alertRuleProblems,
  ZAlertRules,
  type AlertRule,
  type AlertRuleKind,
  type AlertRules,
} from './alerts.rules.ts';
export { AlertErrorCode } from './alerts.errors.ts';
export { presentAlert } from './alerts.presenter.ts';
