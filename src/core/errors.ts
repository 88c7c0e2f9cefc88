/**
 * One error type for the whole platform. Domain code throws AppError with a stable
 * string code; the HTTP layer maps the kind to a status once (http/error-handler.ts).
 */
export type ErrorKind =
  | 'INVALID_INPUT'
  | 'UNAUTHENTICATED'
  | 'NOT_ALLOWED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INVALID_TRANSITION'
  | 'UNPROCESSABLE'
  | 'RATE_LIMITED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNAVAILABLE'
  | 'INTERNAL';

export type ErrorDetail = { path: string; message: string };

export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly details: ErrorDetail[];

  constructor(kind: ErrorKind, code: string, message: string, details: ErrorDetail[] = []) {
    super(message);
    this.name = 'AppError';
    this.kind = kind;
    this.code = code;
    this.details = details;
  }
}

export const HTTP_STATUS_BY_KIND: Record<ErrorKind, number> = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_TRANSITION: 409,
  UNPROCESSABLE: 422,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** Platform-wide error codes; domain codes live in each domain's own *.errors.ts. */
export const CoreErrorCode = {
  /** The request body, query or params failed schema validation; details name the fields. */
  VALIDATION: 'core.validation-failed',
  /** The body is not parseable JSON. */
  MALFORMED_JSON: 'core.malformed-json',
  /** The body exceeds the configured limit. */
  BODY_TOO_LARGE: 'core.body-too-large',
  /** Unsupported content type for a body. */
  UNSUPPORTED_MEDIA_TYPE: 'core.unsupported-media-type',
  /** No route matches. */
  ROUTE_NOT_FOUND: 'core.route-not-found',
  /** Unexpected failure; the body never carries the internal message. */
  INTERNAL: 'core.internal-error',
  /** The same Idempotency-Key was sent with a different request body. */
  IDEMPOTENCY_MISMATCH: 'core.idempotency-key-reused',
  /** A request with this Idempotency-Key is still being processed. */
  IDEMPOTENCY_IN_PROGRESS: 'core.idempotency-key-in-progress',
  /** Too many requests from one key, user or address in the window. */
  RATE_LIMITED: 'core.rate-limited',
  /** The pagination cursor is not one this server issued. */
  INVALID_CURSOR: 'core.invalid-cursor',
  /** Database unreachable or migrations not current. */
  NOT_READY: 'core.not-ready',
} as const;

export const notFound = (code: string, message: string): AppError => new AppError('NOT_FOUND', code, message);
export const invalidInput = (code: string, path: string, message: string): AppError =>
  new AppError('INVALID_INPUT', code, message, [{ path, message }]);
export const conflict = (code: string, message: string): AppError => new AppError('CONFLICT', code, message);
