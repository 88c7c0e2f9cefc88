import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, CoreErrorCode, HTTP_STATUS_BY_KIND, type ErrorDetail } from '../core/errors.ts';
import { isAppNavigation, sendAppPage, WEB_DIST } from './web.routes.ts';

export type ErrorBody = { error: { code: string; message: string; details?: ErrorDetail[]; requestId?: string } };

// Fastify's own codes for body problems, mapped to ours.
const FASTIFY_CODES: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: CoreErrorCode.MALFORMED_JSON, message: 'Body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: CoreErrorCode.MALFORMED_JSON, message: 'Body is empty but content-type is JSON' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: CoreErrorCode.BODY_TOO_LARGE, message: 'Body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: CoreErrorCode.UNSUPPORTED_MEDIA_TYPE, message: 'Unsupported content type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: CoreErrorCode.MALFORMED_JSON,
    message: 'Content-Length does not match the body',
  },
};

/** One error envelope for every failure; 5xx bodies never carry internal messages. */
export const registerErrorHandler = (app: FastifyInstance): void => {
  app.setErrorHandler((err: FastifyError | AppError | Error, request, reply) => {
    const requestId = request.id;
    const validationCause = (err as FastifyError).validation !== undefined ? (err as { cause?: unknown }).cause : undefined;
    const appErr = err instanceof AppError ? err : validationCause instanceof AppError ? validationCause : null;
    if (appErr !== null) {
      const body: ErrorBody = { error: { code: appErr.code, message: appErr.message, requestId } };
      if (appErr.details.length > 0) {
        body.error.details = appErr.details;
      }
      if (appErr.kind === 'INTERNAL') {
        request.log.error({ err }, 'internal error');
      }
      return reply.status(HTTP_STATUS_BY_KIND[appErr.kind]).send(body);
    }
    const fe = err as FastifyError;
    if (fe.validation !== undefined) {
      return reply.status(400).send({
        error: {
          code: CoreErrorCode.VALIDATION,
          message: fe.message,
          details: fe.validation.map((v) => ({ path: v.instancePath || '/', message: v.message ?? 'is invalid' })),
          requestId,
        },
      });
    }
    const known = fe.code !== undefined ? FASTIFY_CODES[fe.code] : undefined;
    if (known !== undefined) {
      return reply.status(known.status).send({ error: { code: known.code, message: known.message, requestId } });
    }
    if (fe.statusCode === 429) {
      return reply.status(429).send({ error: { code: CoreErrorCode.RATE_LIMITED, message: 'Too many requests', requestId } });
    }
    if (fe.statusCode !== undefined && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.status(fe.statusCode).send({ error: { code: `core.http-${fe.statusCode}`, message: fe.message, requestId } });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: CoreErrorCode.INTERNAL, message: 'Internal error', requestId } });
  });

  app.setNotFoundHandler((request, reply) =>
    isAppNavigation(request.method, request.url, request.headers.accept)
      ? sendAppPage(reply, WEB_DIST)
      : reply.status(404).send({
          error: {
            code: CoreErrorCode.ROUTE_NOT_FOUND,
            message: `No route ${request.method} ${request.url.split('?')[0] ?? ''}`,
            requestId: request.id,
          },
        }),
  );
};
