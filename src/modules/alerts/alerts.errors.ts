/** Stable error codes of the alerts module. */
export const AlertErrorCode = {
  /** No alert with this id that the caller may see (another tenant's alert answers this too). */
  NOT_FOUND: 'alerts.not-found',
  /** Acknowledge an alert that is not open, or resolve one already resolved. */
  INVALID_TRANSITION: 'alerts.invalid-transition',
  /** A rule document the schema accepts but that contradicts itself (duplicate rule ids). */
  INVALID_RULES: 'alerts.invalid-rules',
} as const;
