import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../core/clock.ts';
import { AppError } from '../core/errors.ts';
import type { Db } from '../db/client.ts';
import { describeAccess, isAllowed, type Access } from './access.ts';
import { looksLikeApiKey, hashApiKey } from './api-keys.ts';
import { AuthErrorCode } from './auth.errors.ts';
import type { Principal } from './principal.ts';
import { isRole, type OrgKind } from './roles.ts';
import type { TokenSigner } from './tokens.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route. Every route must declare it (checked at start-up and in tests). */
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** Every registered route and its declared access: what the policy test walks. */
export type RouteAccess = { method: string; url: string; access: Access | undefined };

/** The principal of an active user (null when unknown or deactivated). */
export const loadUserPrincipal = async (db: Db, userId: string): Promise<Principal | null> => {
  const row = await db
    .selectFrom('users')
    .innerJoin('organisations', 'organisations.id', 'users.org_id')
    .select([
      'users.id',
      'users.role',
      'users.username',
      'users.active',
      'organisations.id as org_id',
      'organisations.code as org_code',
      'organisations.kind as org_kind',
      'organisations.district_code',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirst();
  if (row === undefined || !row.active || !isRole(row.role)) {
    return null;
  }
  return {
    kind: 'user',
    id: row.id,
    role: row.role,
    orgId: row.org_id,
    orgCode: row.org_code,
    orgKind: row.org_kind as OrgKind,
    districtCode: row.district_code,
    username: row.username,
  };
};

const loadKeyPrincipal = async (db: Db, clock: Clock, key: string): Promise<Principal | null> => {
  const row = await db
    .selectFrom('api_keys')
    .innerJoin('organisations', 'organisations.id', 'api_keys.org_id')
    .select([
      'api_keys.id',
      'api_keys.role',
      'api_keys.revoked_at',
      'api_keys.last_used_at',
      'organisations.id as org_id',
      'organisations.code as org_code',
      'organisations.kind as org_kind',
      'organisations.district_code',
    ])
    .where('api_keys.key_hash', '=', hashApiKey(key))
    .executeTakeFirst();
  if (row === undefined || row.revoked_at !== null || !isRole(row.role)) {
    return null;
  }
  const now = clock.now();
  // Touch last_used_at at most once a minute: a write per request would be wasteful.
  if (row.last_used_at === null || now.getTime() - row.last_used_at.getTime() > 60_000) {
    await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return {
    kind: 'api-key',
    id: row.id,
    role: row.role,
    orgId: row.org_id,
    orgCode: row.org_code,
    orgKind: row.org_kind as OrgKind,
    districtCode: row.district_code,
    username: null,
  };
};

const credentialsOf = (req: FastifyRequest): { bearer?: string; apiKey?: string } => {
  const auth = req.headers.authorization;
  const apiKeyHeader = req.headers['x-api-key'];
  const out: { bearer?: string; apiKey?: string } = {};
  if (typeof auth === 'string' && auth.toLowerCase().startsWith('bearer ')) {
    out.bearer = auth.slice(7).trim();
  }
  if (typeof apiKeyHeader === 'string' && apiKeyHeader !== '') {
    out.apiKey = apiKeyHeader.trim();
  }
  return out;
};

/**
 * Authenticates every request once and enforces the route's declared role policy before the
 * body is even parsed. Refuses to start when a route has no declared policy.
 */
export const registerAuthentication = (
  app: FastifyInstance,
  deps: { db: Db; clock: Clock; signer: TokenSigner; routes: RouteAccess[] },
): void => {
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || method === 'OPTIONS') {
        continue;
      }
      deps.routes.push({ method, url: route.url, access });
    }
    if (access === undefined) {
      throw new Error(`Route ${methods.join(',')} ${route.url} declares no access policy (config.access)`);
    }
    if (route.schema !== undefined) {
      const schema = route.schema as Record<string, unknown>;
      const note = describeAccess(access);
      schema.description = typeof schema.description === 'string' ? `${schema.description}\n\n${note}` : note;
      if (access.kind !== 'public') {
        schema.security = [{ bearerAuth: [] }, { apiKey: [] }];
      }
    }
  });

  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config.access;
    const { bearer, apiKey } = credentialsOf(req);
    let principal: Principal | null = null;
    let failure: AppError | null = null;
    if (bearer !== undefined) {
      const claims = await deps.signer.verify(bearer);
      principal = claims === null ? null : await loadUserPrincipal(deps.db, claims.sub);
      if (principal === null) {
        failure = new AppError('UNAUTHENTICATED', AuthErrorCode.INVALID_TOKEN, 'Token is invalid or expired; sign in again');
      }
    } else if (apiKey !== undefined) {
      principal = looksLikeApiKey(apiKey) ? await loadKeyPrincipal(deps.db, deps.clock, apiKey) : null;
      if (principal === null) {
        failure = new AppError('UNAUTHENTICATED', AuthErrorCode.INVALID_API_KEY, 'API key is unknown or revoked');
      }
    }
    req.principal = principal;
    if (access === undefined || access.kind === 'public') {
      return; // bad credentials on a public route are ignored rather than refused
    }
    if (failure !== null) {
      throw failure;
    }
    if (principal === null) {
      throw new AppError('UNAUTHENTICATED', AuthErrorCode.MISSING_CREDENTIALS, 'Sign in or send an API key (X-API-Key)');
    }
    if (!isAllowed(access, principal.role)) {
      throw new AppError('NOT_ALLOWED', AuthErrorCode.ROLE_NOT_ALLOWED, `Role ${principal.role} may not use this route`);
    }
  });
};

/** The caller of a route whose policy requires one; throws if used on a public route by mistake. */
export const requirePrincipal = (req: FastifyRequest): Principal => {
  if (req.principal === null) {
    throw new AppError('UNAUTHENTICATED', AuthErrorCode.MISSING_CREDENTIALS, 'Sign in or send an API key (X-API-Key)');
  }
  return req.principal;
};
