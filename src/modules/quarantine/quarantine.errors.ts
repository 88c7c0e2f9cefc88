/** Stable error codes of the quarantine module. */
export const QuarantineErrorCode = {
  NOT_FOUND: 'quarantine.not-found',
  CALL_NOT_FOUND: 'quarantine.call-not-found',
  ALREADY_DECLARED: 'quarantine.already-declared',
  INVALID_TRANSITION: 'quarantine.invalid-transition',
  INVALID_FIELD: 'quarantine.invalid-field',
  MODE_TOO_LENIENT: 'quarantine.mode-too-lenient',
  SESSION_INCOMPLETE: 'quarantine.session-incomplete',
  INVALID_RULE_SET: 'quarantine.invalid-rule-set',
  STALE_VERSION: 'quarantine.stale-version',
} as const;
