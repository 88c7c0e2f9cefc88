import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../app.ts';
import { createTestDatabase } from '../../test/db.ts';
import { testConfig } from '../../test/app.ts';
import type { DatabaseHandle } from '../db/client.ts';
import { createOrganisation, createUser } from '../auth/auth.commands.ts';
import { ManualClock } from '../core/clock.ts';
import { SYSTEM_ACTOR } from '../events/event-log.ts';

let app: App;
let database: DatabaseHandle;
const lines: string[] = [];
const SECRET_PASSWORD = 'Sup3r-Secret-Passw0rd';

beforeAll(async () => {
  database = await createTestDatabase();
  const clock = new ManualClock('2026-11-01T08:00:00Z');
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  app = await buildApp({ config: testConfig({ logLevel: 'trace' }), database, clock, logger: { stream } });
  const { id: orgId } = await createOrganisation(
    { db: database.db, clock },
    { code: 'LOG-ORG', nameZh: '日志', nameEn: 'Log org', kind: 'enterprise', districtCode: null },
    SYSTEM_ACTOR,
  );
  await createUser(
    { db: database.db, clock },
    { orgId, username: 'logger', displayName: 'L', role: 'declarant', password: SECRET_PASSWORD },
    SYSTEM_ACTOR,
  );
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe('logs', () => {
  it('never hold a password, a token or an API key', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'logger', password: `${SECRET_PASSWORD}x` },
    });
    expect(bad.statusCode).toBe(401);
    const good = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'logger', password: SECRET_PASSWORD },
    });
    const token = (good.json() as { token: string }).token;
    const key = await app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: { authorization: `Bearer ${token}` },
      payload: { name: 'k' },
    });
    const apiKey = (key.json() as { key: string }).key;
    await app.inject({ url: '/api/v1/me', headers: { 'x-api-key': apiKey } });
    await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}x` } });
    await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: `{"password":"${SECRET_PASSWORD}"`,
    });
    const all = lines.join('');
    expect(lines.length).toBeGreaterThan(5); // the logger really wrote the requests
    expect(all).not.toContain(SECRET_PASSWORD);
    expect(all).not.toContain(token);
    expect(all).not.toContain(apiKey);
  });
});
