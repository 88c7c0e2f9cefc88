import { buildApp, type App } from '../src/app.ts';
import { createOrganisation, createUser } from '../src/auth/auth.commands.ts';
import { ORG_KIND_OF_ROLE, ROLES, type OrgKind, type Role } from '../src/auth/roles.ts';
import type { Config } from '../src/config.ts';
import { ManualClock } from '../src/core/clock.ts';
import type { DatabaseHandle, Db } from '../src/db/client.ts';
import { SYSTEM_ACTOR } from '../src/events/event-log.ts';
import { createTestDatabase } from './db.ts';

export const TEST_PASSWORD = 'correct horse battery';

export const testConfig = (over: Partial<Config> = {}): Config => ({
  port: 0,
  host: '127.0.0.1',
  database: { kind: 'pglite', dataDir: null },
  tokenSecret: 'test-secret-that-is-long-enough-0123456789',
  tokenTtlSeconds: 900,
  bodyLimitBytes: 65_536,
  rateLimitPerMinute: 100_000,
  logLevel: 'silent',
  runJobs: false,
  ...over,
});

export type TestContext = {
  app: App;
  db: Db;
  database: DatabaseHandle;
  clock: ManualClock;
  close(): Promise<void>;
};

export const createTestApp = async (over: Partial<Config> = {}): Promise<TestContext> => {
  const database = await createTestDatabase();
  const clock = new ManualClock('2026-11-01T08:00:00Z');
  const app = await buildApp({ config: testConfig(over), database, clock, logger: false });
  return {
    app,
    db: database.db,
    database,
    clock,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
};

export type Tenant = 'A' | 'B';
export type TenantOrgs = Record<Tenant, Record<OrgKind, { id: string; code: string; districtCode: string | null }>>;
export type TenantUsers = Record<Tenant, Record<Role, { id: string; username: string; orgId: string }>>;

const DISTRICT: Record<Tenant, string> = { A: '4200', B: '8800' };

/**
 * Two complete tenants: for every organisation kind an organisation in A and one in B (customs of
 * A act for district 4200, of B for 8800 (a test district)), and for every role one user in each.
 */
export const seedTenants = async (ctx: TestContext): Promise<{ orgs: TenantOrgs; users: TenantUsers }> => {
  const deps = { db: ctx.db, clock: ctx.clock };
  const orgs = { A: {}, B: {} } as TenantOrgs;
  const users = { A: {}, B: {} } as TenantUsers;
  for (const t of ['A', 'B'] as const) {
    for (const kind of ['customs', 'terminal', 'agency', 'enterprise', 'laboratory', 'operator', 'platform'] as const) {
      const code = `${t}-${kind.toUpperCase()}`;
      const districtCode = kind === 'customs' ? DISTRICT[t] : null;
      const { id } = await createOrganisation(
        deps,
        { code, nameZh: `${code} 组织`, nameEn: `${code} org`, kind, districtCode },
        SYSTEM_ACTOR,
      );
      orgs[t][kind] = { id, code, districtCode };
    }
    for (const role of ROLES) {
      const username = `${t.toLowerCase()}-${role}`;
      const orgId = orgs[t][ORG_KIND_OF_ROLE[role]].id;
      const { id } = await createUser(deps, { orgId, username, displayName: username, role, password: TEST_PASSWORD }, SYSTEM_ACTOR);
      users[t][role] = { id, username, orgId };
    }
  }
  return { orgs, users };
};

export const login = async (app: App, username: string, password = TEST_PASSWORD): Promise<string> => {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) {
    throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  }
  return (res.json() as { token: string }).token;
};

/** A JSON answer: the body, with the error envelope typed for assertions. */
export type ApiJson = Record<string, unknown> & { error?: { code: string; message: string; details?: { path: string }[] } };

/** Calls the app as one of the signed-in users in `tokens` (by username). */
export const apiAs =
  (ctx: TestContext, tokens: Record<string, string>) =>
  async (
    who: string,
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    payload?: Record<string, unknown>,
  ): Promise<{ status: number; body: ApiJson }> => {
    const res = await ctx.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokens[who] ?? ''}` },
      ...(payload !== undefined ? { payload } : {}),
    });
    return { status: res.statusCode, body: (res.body === '' ? {} : res.json()) as ApiJson };
  };
