import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, CoreErrorCode, HTTP_STATUS_BY_KIND, type ErrorDetail } from '../../core/errors.ts';
import type { Clock } from '../../core/clock.ts';
import { PortCallErrorCode } from '../port-calls/index.ts';

/** Stable error codes of the DCSA JIT module (our side; the wire carries DCSA's numeric errorCode). */
export const DcsaErrorCode = {
  /** A field breaks a rule of the spec that its schema cannot express (e.g. REQ only by a consumer). */
  INVALID_FIELD: 'dcsa-jit.invalid-field',
  /** No such record visible to the caller. */
  NOT_FOUND: 'dcsa-jit.not-found',
  /** The record (or its parent) is omitted, cancelled or declined: it cannot change any more. */
  CLOSED: 'dcsa-jit.closed',
  /** A timestampID was sent again with a different body (timestamps are immutable). */
  TIMESTAMP_CHANGED: 'dcsa-jit.timestamp-changed',
  /** The sender's role may not send this (e.g. an agent sending a PLN). */
  NOT_YOUR_SIDE: 'dcsa-jit.not-your-side',
  /** A list without any of the filters the spec makes mandatory. */
  FILTER_REQUIRED: 'dcsa-jit.filter-required',
} as const;

export const invalid = (property: string, message: string): AppError =>
  new AppError('INVALID_INPUT', DcsaErrorCode.INVALID_FIELD, `${property}: ${message}`, [
    { path: `/${property.replaceAll('.', '/')}`, message },
  ]);

/**
 * DCSA numeric codes (developer.dcsa.org/standard-error-codes): 7000-7999 technical (the body does
 * not match the schema), 8000-8999 functional (a business rule refused it), 9000-9999 ours: 9000 +
 * the HTTP status.
 */
const errorCodeOf = (e: AppError | null, status: number): number => {
  if (status === 400) {
    return 7003;
  }
  if (e !== null && (e.code === PortCallErrorCode.NO_PRATIQUE || e.code === PortCallErrorCode.INVALID_TRANSITION)) {
    return 8001;
  }
  return 9000 + status;
};

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const cut = (s: string, n: number): string => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

/** `/vessel/vesselIMONumber` → property `vesselIMONumber`, jsonPath `$.vessel.vesselIMONumber`. */
const toDetail = (d: ErrorDetail, code: number, text: string) => {
  const parts = d.path.split('/').filter((p) => p !== '');
  const where = parts[0] === 'headers' || parts[0] === 'query' || parts[0] === 'params' ? parts.slice(1) : parts;
  const jsonPath = where.length === 0 ? '$' : `$${where.map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('')}`;
  return {
    errorCode: code,
    ...(where.length > 0 ? { property: cut(where[where.length - 1] as string, 100), jsonPath: cut(jsonPath, 500) } : {}),
    errorCodeText: cut(text, 100),
    errorCodeMessage: cut(d.message, 5000),
  };
};

export type DcsaErrorBody = ReturnType<typeof errorBody>;

const errorBody = (req: FastifyRequest, clock: Clock, status: number, appErr: AppError | null, message: string) => {
  const code = errorCodeOf(appErr, status);
  const text = appErr?.code ?? `http-${status}`;
  const details = appErr !== null && appErr.details.length > 0 ? appErr.details : [{ path: '', message }];
  return {
    httpMethod: req.method,
    requestUri: req.url,
    statusCode: status,
    statusCodeText: STATUS_TEXT[status] ?? `HTTP ${status}`,
    statusCodeMessage: cut(message, 200),
    providerCorrelationReference: cut(req.id, 100),
    errorDateTime: clock.now().toISOString(),
    errors: details.map((d) => toDetail(d, code, text)),
  };
};

/** Fastify's own body errors, in the platform's words (the same as http/error-handler.ts says them). */
const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'Body is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'Body is empty but content-type is JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'Body is too large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Unsupported content type',
};

/** Errors on the DCSA routes in the spec's ErrorResponse shape, scoped to the plugin they serve. */
export const registerDcsaErrors = (scope: FastifyInstance, clock: Clock): void => {
  scope.setErrorHandler((err: FastifyError | AppError | Error, req: FastifyRequest, reply: FastifyReply) => {
    const fe = err as FastifyError;
    const cause = fe.validation !== undefined ? (err as { cause?: unknown }).cause : undefined;
    const appErr = err instanceof AppError ? err : cause instanceof AppError ? cause : null;
    let status: number;
    let message: string;
    if (appErr !== null) {
      status = HTTP_STATUS_BY_KIND[appErr.kind];
      message = appErr.kind === 'INTERNAL' ? 'Internal error' : appErr.message;
    } else if (fe.validation !== undefined) {
      status = 400;
      message = fe.message;
    } else if (fe.code !== undefined && FASTIFY_MESSAGES[fe.code] !== undefined) {
      status = fe.statusCode ?? 400;
      message = FASTIFY_MESSAGES[fe.code] as string;
    } else if (fe.statusCode !== undefined && fe.statusCode >= 400 && fe.statusCode < 500) {
      status = fe.statusCode;
      message = fe.statusCode === 429 ? 'Too many requests' : fe.message;
    } else {
      req.log.error({ err }, 'unhandled error');
      status = 500;
      message = 'Internal error';
    }
    const shown = appErr?.kind === 'INTERNAL' ? new AppError('INTERNAL', CoreErrorCode.INTERNAL, 'Internal error') : appErr;
    return reply.status(status).send(errorBody(req, clock, status, shown, message));
  });
  scope.setNotFoundHandler((req, reply) => {
    const message = `No route ${req.method} ${req.url.split('?')[0] ?? ''}`;
    return reply.status(404).send(errorBody(req, clock, 404, new AppError('NOT_FOUND', CoreErrorCode.ROUTE_NOT_FOUND, message), message));
  });
};
