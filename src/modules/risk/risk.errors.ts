/** Stable error codes of the customs risk module. */
export const RiskErrorCode = {
  /** A rule-set document with problems (schema, a condition that does not parse, duplicate ids); details name each path. */
  INVALID_RULE_SET: 'risk.invalid-rule-set',
  /** A dry-run window whose `from` is after its `to`. */
  INVALID_WINDOW: 'risk.invalid-window',
  /** A dry run over more declarations than one request may replay; narrow the window. */
  DRY_RUN_TOO_LARGE: 'risk.dry-run-too-large',
} as const;
