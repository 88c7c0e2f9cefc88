import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { canonicalJson } from '../core/canonical-json.ts';
import type { Clock } from '../core/clock.ts';
import { AppError, CoreErrorCode } from '../core/errors.ts';
import type { Db } from '../db/client.ts';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { principalId: string; key: string } | null;
  }
}

const KEY_SHAPE = /^[\x21-\x7e]{1,255}$/;
// An unfinished record older than this belongs to a request that died; a retry may take it over.
const STALE_MS = 5 * 60_000;
const METHODS = new Set(['POST', 'PUT']);

/**
 * Idempotency-Key on POST/PUT: the first request with a key runs and its response is stored;
 * the same key with the same body gets that response again (header Idempotent-Replayed: true)
 * and causes no second effect; the same key with another body is refused with 422.
 * Keys are per caller. Sign-in is excluded: it would store a live token at rest.
 */
export const registerIdempotency = (app: FastifyInstance, deps: { db: Db; clock: Clock }): void => {
  app.decorateRequest('idempotency', null);

  app.addHook('preHandler', async (req, reply) => {
    const key = req.headers['idempotency-key'];
    if (!METHODS.has(req.method) || typeof key !== 'string' || req.routeOptions.url === '/api/v1/auth/login') {
      return;
    }
    if (!KEY_SHAPE.test(key)) {
      throw new AppError('INVALID_INPUT', CoreErrorCode.VALIDATION, 'Idempotency-Key must be 1–255 visible ASCII characters', [
        { path: '/headers/idempotency-key', message: 'must be 1–255 visible ASCII characters' },
      ]);
    }
    const principalId = req.principal !== null ? req.principal.id : `anonymous:${req.ip}`;
    const requestHash = createHash('sha256')
      .update(`${req.method} ${req.url}\n${canonicalJson(req.body ?? null)}`)
      .digest('hex');
    const now = deps.clock.now();
    const inserted = await deps.db
      .insertInto('idempotency_keys')
      .values({
        principal_id: principalId,
        key,
        method: req.method,
        path: req.url,
        request_hash: requestHash,
        created_at: now,
        response_body: null,
      })
      .onConflict((oc) => oc.columns(['principal_id', 'key']).doNothing())
      .returning(['key'])
      .executeTakeFirst();
    if (inserted !== undefined) {
      req.idempotency = { principalId, key };
      return;
    }
    const existing = await deps.db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('principal_id', '=', principalId)
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    if (existing.request_hash !== requestHash) {
      throw new AppError('UNPROCESSABLE', CoreErrorCode.IDEMPOTENCY_MISMATCH, 'This Idempotency-Key was used with a different request', [
        { path: '/headers/idempotency-key', message: 'already used with a different method, path or body' },
      ]);
    }
    if (existing.status_code === null) {
      if (now.getTime() - existing.created_at.getTime() < STALE_MS) {
        throw new AppError('CONFLICT', CoreErrorCode.IDEMPOTENCY_IN_PROGRESS, 'A request with this Idempotency-Key is still in progress');
      }
      await deps.db
        .updateTable('idempotency_keys')
        .set({ created_at: now })
        .where('principal_id', '=', principalId)
        .where('key', '=', key)
        .execute();
      req.idempotency = { principalId, key };
      return;
    }
    return reply
      .status(existing.status_code)
      .header('idempotent-replayed', 'true')
      .header('content-type', 'application/json; charset=utf-8')
      .send(JSON.stringify(existing.response_body));
  });

  app.addHook('onSend', async (req, reply, payload) => {
    // Plugins registered before this hook (the docs page) never set the decorator.
    const idem = req.idempotency as typeof req.idempotency | undefined;
    if (idem === null || idem === undefined) {
      return payload;
    }
    req.idempotency = null;
    if (reply.statusCode >= 500) {
      // Nothing was promised: let the caller retry with the same key.
      await deps.db.deleteFrom('idempotency_keys').where('principal_id', '=', idem.principalId).where('key', '=', idem.key).execute();
      return payload;
    }
    const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
    await deps.db
      .updateTable('idempotency_keys')
      .set({ status_code: reply.statusCode, response_body: text ?? 'null', completed_at: deps.clock.now() })
      .where('principal_id', '=', idem.principalId)
      .where('key', '=', idem.key)
      .execute();
    return payload;
  });
};
