import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, seedTenants, type TestContext } from '../../test/app.ts';

let ctx: TestContext;
let adminToken: string;

beforeAll(async () => {
  ctx = await createTestApp();
  await seedTenants(ctx);
  adminToken = await login(ctx.app, 'a-admin');
});
afterAll(async () => ctx.close());

const auth = (t: string) => ({ authorization: `Bearer ${t}` });

describe('API surface', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await ctx.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const r = await ctx.app.inject({ url: '/readyz' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'ready' });
  });

  it('puts a request id on every response, and keeps a well-formed incoming one', async () => {
    const r = await ctx.app.inject({ url: '/healthz' });
    expect(r.headers['x-request-id']).toMatch(/^req_/);
    const r2 = await ctx.app.inject({ url: '/nope', headers: { 'x-request-id': 'trace-12345678' } });
    expect(r2.headers['x-request-id']).toBe('trace-12345678');
    expect(r2.statusCode).toBe(404);
    expect(r2.json().error.code).toBe('core.route-not-found');
  });

  it('serves an OpenAPI 3.1 document and the docs page', async () => {
    const doc = (await ctx.app.inject({ url: '/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/v1/ports');
    const docs = await ctx.app.inject({ url: '/docs' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('SwaggerUIBundle');
    const bundle = await ctx.app.inject({ url: '/docs/swagger-ui-bundle.js' });
    expect(bundle.statusCode).toBe(200);
    expect(bundle.headers['content-type']).toContain('javascript');
    expect(bundle.body.length).toBeGreaterThan(100_000);
    expect((await ctx.app.inject({ url: '/docs/package.json' })).statusCode).toBe(404);
    expect((await ctx.app.inject({ url: '/docs/..%2Fpackage.json' })).statusCode).toBe(404);
  });

  it('creates a port as admin and reads it back without a token', async () => {
    const r = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/customs-offices',
      headers: auth(adminToken),
      payload: {
        code: '4200',
        nameZh: '青岛海关',
        nameEn: 'Qingdao Customs',
        districtCode: '4200',
        parentCode: null,
        kind: 'district',
        validFrom: '2000-01-01',
      },
    });
    expect(r.statusCode, r.body).toBe(201);
    const p = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/ports',
      headers: auth(adminToken),
      payload: {
        locode: 'cntao',
        nameZh: '青岛港',
        nameEn: 'Qingdao',
        kind: 'seaport',
        province: 'Shandong',
        lat: 36.07,
        lon: 120.3,
        customsCode: '4200',
        validFrom: '2000-01-01',
      },
    });
    expect(p.statusCode, p.body).toBe(201);
    expect(p.json().locode).toBe('CNTAO');
    const list = await ctx.app.inject({ url: '/api/v1/ports' });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((x: { locode: string }) => x.locode)).toEqual(['CNTAO']);
  });

  it('rejects bad input with the field path and changes nothing', async () => {
    const before = (await ctx.app.inject({ url: '/api/v1/ports' })).json().items.length;
    const cases: [unknown, string, string][] = [
      [
        { locode: 'CN-TAO', nameZh: 'x', nameEn: 'x', kind: 'seaport', province: '', lat: 1, lon: 1, customsCode: '4200' },
        '/locode',
        'registry.invalid-field',
      ],
      [
        { locode: 'CNRZH', nameZh: 'x', nameEn: 'x', kind: 'seaport', province: '', lat: 1, lon: 1, customsCode: '4200', extra: 1 },
        '/extra',
        'core.validation-failed',
      ],
      [
        { locode: 'CNRZH', nameZh: 'x', nameEn: 'x', kind: 'seaport', province: '', lat: '1', lon: 1, customsCode: '4200' },
        '/lat',
        'core.validation-failed',
      ],
      [
        { locode: 'CNRZH', nameZh: 'x', nameEn: 'x', kind: 'seaport', province: '', lat: 1, lon: 1, customsCode: '9999' },
        '/customsCode',
        'registry.unknown-reference',
      ],
    ];
    for (const [payload, path, code] of cases) {
      const r = await ctx.app.inject({ method: 'POST', url: '/api/v1/ports', headers: auth(adminToken), payload: payload as object });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().error.code).toBe(code);
      expect(r.json().error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    const malformed = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/ports',
      headers: { ...auth(adminToken), 'content-type': 'application/json' },
      payload: '{"locode": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('core.malformed-json');
    const big = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/ports',
      headers: { ...auth(adminToken), 'content-type': 'application/json' },
      payload: JSON.stringify({ nameZh: 'x'.repeat(70_000) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('core.body-too-large');
    expect((await ctx.app.inject({ url: '/api/v1/ports' })).json().items.length).toBe(before);
  });

  it('refuses a bad IMO check digit on a vessel', async () => {
    const r = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/vessels',
      headers: auth(adminToken),
      payload: { imo: '9321484', name: 'TEST', flag: 'CN', grossTonnage: 1000, loaM: 100, vesselType: 'bulk' },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.details[0].path).toBe('/imo');
  });

  it('tells a caller which routes it may use, for menus that match the server', async () => {
    const trader = await login(ctx.app, 'a-declarant');
    const me = (await ctx.app.inject({ url: '/api/v1/me', headers: auth(trader) })).json() as { allowedRoutes: string[]; role: string };
    expect(me.role).toBe('declarant');
    expect(me.allowedRoutes).toContain('GET /api/v1/enterprises');
    expect(me.allowedRoutes).toContain('GET /api/v1/ports');
    expect(me.allowedRoutes).not.toContain('POST /api/v1/ports');
    const terminal = await login(ctx.app, 'a-terminal-operator');
    const t = (await ctx.app.inject({ url: '/api/v1/me', headers: auth(terminal) })).json() as { allowedRoutes: string[] };
    expect(t.allowedRoutes).not.toContain('GET /api/v1/enterprises');
    // Each listed route really is allowed: the server answers it rather than 403.
    for (const route of t.allowedRoutes.filter((r) => r.startsWith('GET ') && !r.includes(':'))) {
      const res = await ctx.app.inject({ url: route.slice(4), headers: auth(terminal) });
      expect(res.statusCode, route).not.toBe(403);
    }
  });

  it('refuses forged and expired tokens with 401', async () => {
    const forged = adminToken.slice(0, -4) + (adminToken.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const r = await ctx.app.inject({ url: '/api/v1/me', headers: auth(forged) });
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('auth.invalid-token');
    ctx.clock.advance(16 * 60_000);
    const expired = await ctx.app.inject({ url: '/api/v1/me', headers: auth(adminToken) });
    expect(expired.statusCode).toBe(401);
    adminToken = await login(ctx.app, 'a-admin');
    expect((await ctx.app.inject({ url: '/api/v1/me', headers: auth(adminToken) })).statusCode).toBe(200);
  });

  it('honours Idempotency-Key: same body replays, different body is 422', async () => {
    const payload = {
      code: '4218',
      nameZh: '黄岛海关',
      nameEn: 'Huangdao Customs',
      districtCode: '4200',
      parentCode: '4200',
      kind: 'office',
      validFrom: '2000-01-01',
    };
    const headers = { ...auth(adminToken), 'idempotency-key': 'office-4218-create' };
    const first = await ctx.app.inject({ method: 'POST', url: '/api/v1/customs-offices', headers, payload });
    expect(first.statusCode, first.body).toBe(201);
    const again = await ctx.app.inject({ method: 'POST', url: '/api/v1/customs-offices', headers, payload });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    const list = (await ctx.app.inject({ url: '/api/v1/customs-offices?code=4218' })).json();
    expect(list.items).toHaveLength(1);
    const other = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/customs-offices',
      headers,
      payload: { ...payload, nameEn: 'Other' },
    });
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('core.idempotency-key-reused');
  });

  it('rate-limits per key', async () => {
    const limited = await createTestApp({ rateLimitPerMinute: 3 });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        codes.push((await limited.app.inject({ url: '/api/v1/ports' })).statusCode);
      }
      expect(codes).toEqual([200, 200, 200, 429, 429]);
      const r = await limited.app.inject({ url: '/api/v1/ports' });
      expect(r.json().error.code).toBe('core.rate-limited');
    } finally {
      await limited.close();
    }
  });
});
