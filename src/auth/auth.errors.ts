export const AuthErrorCode = {
  /** No credentials on a route that needs them. Sign in or send an API key. */
  MISSING_CREDENTIALS: 'auth.missing-credentials',
  /** The token is malformed, forged, expired, or its user is inactive. Sign in again. */
  INVALID_TOKEN: 'auth.invalid-token',
  /** The API key is unknown or revoked. */
  INVALID_API_KEY: 'auth.invalid-api-key',
  /** Username or password wrong (deliberately not saying which). */
  INVALID_LOGIN: 'auth.invalid-login',
  /** The caller's role may not use this route. */
  ROLE_NOT_ALLOWED: 'auth.role-not-allowed',
  /** A user's role does not fit the kind of its organisation (e.g. a trader in a customs office). */
  ROLE_ORG_MISMATCH: 'auth.role-org-mismatch',
  /** Username already taken. */
  USERNAME_TAKEN: 'auth.username-taken',
  /** The organisation code is unknown. */
  UNKNOWN_ORGANISATION: 'auth.unknown-organisation',
  /** Organisation code already in use. */
  ORGANISATION_CODE_TAKEN: 'auth.organisation-code-taken',
  /** The API key does not exist in the caller's organisation. */
  API_KEY_NOT_FOUND: 'auth.api-key-not-found',
  /** Password shorter than the minimum. */
  WEAK_PASSWORD: 'auth.weak-password',
} as const;
