import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, seedTenants, type TestContext } from '../../../test/app.ts';
import { loadReferenceData } from '../../seed/load-reference-data.ts';
import { resolveCode, sameCanonicalCode } from './code-resolution.ts';

let ctx: TestContext;
let admin: string;
const berthId = async (code: string): Promise<string> =>
  (await ctx.db.selectFrom('berths').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;

beforeAll(async () => {
  ctx = await createTestApp();
  await seedTenants(ctx);
  await loadReferenceData({ db: ctx.db, clock: ctx.clock });
  admin = await login(ctx.app, 'a-admin');
});
afterAll(async () => ctx.close());

describe('the Qianwan one-code case (2023-10-23)', () => {
  it('keeps CNQWG/4258 and CNQGD/4218 apart before the date and merges them from it', async () => {
    const before = await resolveCode(ctx.db, { portCode: 'CNQWG', customsCode: '4258' }, '2023-10-22');
    expect(before).toMatchObject({ canonical: { portCode: 'CNQWG', customsCode: '4258' }, viaAlias: false, known: true });
    const after = await resolveCode(ctx.db, { portCode: 'CNQWG', customsCode: '4258' }, '2023-10-23');
    expect(after).toMatchObject({ canonical: { portCode: 'CNQGD', customsCode: '4218' }, viaAlias: true, known: true });
    const other = await resolveCode(ctx.db, { portCode: 'CNQGD', customsCode: '4218' }, '2023-10-22');
    expect(other.canonical).toEqual({ portCode: 'CNQGD', customsCode: '4218' });
  });

  it('works both ways for berths: a ship declared under either code may use any Qianwan berth only from the date', async () => {
    const formerQw = await berthId('QQCTN-01'); // under site 425801 (CNQWG/4258 until 2023-10-23)
    const qgd = await berthId('QQCT-01'); // under CNQGD/4218 throughout
    const underQgd = { portCode: 'CNQGD', customsCode: '4218' };
    const underQwg = { portCode: 'CNQWG', customsCode: '4258' };
    expect(await sameCanonicalCode(ctx.db, underQgd, formerQw, '2023-10-22')).toBe(false);
    expect(await sameCanonicalCode(ctx.db, underQwg, qgd, '2023-10-22')).toBe(false);
    expect(await sameCanonicalCode(ctx.db, underQwg, formerQw, '2023-10-22')).toBe(true);
    expect(await sameCanonicalCode(ctx.db, underQgd, formerQw, '2023-10-23')).toBe(true);
    expect(await sameCanonicalCode(ctx.db, underQwg, qgd, '2023-10-23')).toBe(true);
  });

  it('answers the same over HTTP without a token', async () => {
    const id = await berthId('QQCTN-01');
    const before = (await ctx.app.inject({ url: `/api/v1/berths/${id}/code?date=2023-10-22` })).json();
    expect(before.declared).toEqual({ portCode: 'CNQWG', customsCode: '4258' });
    expect(before.canonical).toEqual({ portCode: 'CNQWG', customsCode: '4258' });
    const after = (await ctx.app.inject({ url: `/api/v1/berths/${id}/code?date=2024-03-01` })).json();
    expect(after.canonical).toEqual({ portCode: 'CNQGD', customsCode: '4218' });
    const bad = await ctx.app.inject({ url: '/api/v1/codes/resolve?portCode=CN-QW&customsCode=4258' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('/query/portCode');
  });
});

describe('effective dating', () => {
  it('a new version from a date keeps the old one readable', async () => {
    const port = (await ctx.app.inject({ url: '/api/v1/ports?locode=CNRZH' })).json().items[0];
    const res = await ctx.app.inject({
      method: 'PUT',
      url: `/api/v1/ports/${port.id}`,
      headers: { authorization: `Bearer ${admin}` },
      payload: { ...port, id: undefined, validTo: undefined, nameEn: 'Rizhao Port', validFrom: '2025-01-01' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const history = (await ctx.app.inject({ url: `/api/v1/ports/${port.id}/history` })).json().items;
    expect(history.map((v: { validFrom: string; validTo: string | null }) => [v.validFrom, v.validTo])).toEqual([
      [port.validFrom, '2025-01-01'],
      ['2025-01-01', null],
    ]);
    expect((await ctx.app.inject({ url: `/api/v1/ports/${port.id}?asOf=2024-12-31` })).json().nameEn).toBe(port.nameEn);
    expect((await ctx.app.inject({ url: `/api/v1/ports/${port.id}?asOf=2025-01-01` })).json().nameEn).toBe('Rizhao Port');
    const events = (
      await ctx.app.inject({ url: `/api/v1/events?aggregateId=${port.id}`, headers: { authorization: `Bearer ${admin}` } })
    ).json();
    expect(events.items.map((e: { type: string }) => e.type)).toEqual(['registry.port-created', 'registry.port-versioned']);
  });

  it('refuses a second entity with the same code in an overlapping period, and an end before the start', async () => {
    const body = {
      locode: 'CNRZH',
      nameZh: '重复',
      nameEn: 'Dup',
      kind: 'seaport',
      province: 'Shandong',
      lat: 35.4,
      lon: 119.5,
      customsCode: '4200',
    };
    const dup = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/ports',
      headers: { authorization: `Bearer ${admin}` },
      payload: body,
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('registry.duplicate-code');
    const period = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/ports',
      headers: { authorization: `Bearer ${admin}` },
      payload: { ...body, locode: 'CNZZZ', validFrom: '2025-01-01', validTo: '2024-01-01' },
    });
    expect(period.statusCode).toBe(400);
    expect(period.json().error.details[0].path).toBe('/validTo');
  });

  it('pages through a list with cursors, each row once', async () => {
    const all = (await ctx.app.inject({ url: '/api/v1/berths?limit=500' })).json().items.map((b: { id: string }) => b.id);
    expect(all.length).toBeGreaterThan(20);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await ctx.app.inject({ url: `/api/v1/berths?limit=7${cursor !== null ? `&cursor=${cursor}` : ''}` })).json() as {
        items: { id: string }[];
        nextCursor: string | null;
      };
      seen.push(...page.items.map((b: { id: string }) => b.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(all);
    const bad = await ctx.app.inject({ url: '/api/v1/berths?cursor=not-a-cursor' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('core.invalid-cursor');
  });

  it('sorts on the server and pages by offset with a total, for tables that jump to page n', async () => {
    const all = (await ctx.app.inject({ url: '/api/v1/berths?limit=500' })).json() as {
      items: { code: string; lengthM: number }[];
      total: number;
    };
    expect(all.total).toBe(all.items.length);
    const byLength = [...all.items].sort((a, b) => b.lengthM - a.lengthM);
    const page2 = (await ctx.app.inject({ url: '/api/v1/berths?sort=-lengthM&limit=5&offset=5' })).json() as {
      items: { lengthM: number }[];
      total: number;
      nextCursor: string | null;
    };
    expect(page2.total).toBe(all.total);
    expect(page2.items.map((b) => b.lengthM)).toEqual(byLength.slice(5, 10).map((b) => b.lengthM));
    const page3 = (await ctx.app.inject({ url: `/api/v1/berths?sort=-lengthM&limit=5&cursor=${page2.nextCursor ?? ''}` })).json() as {
      items: { lengthM: number }[];
    };
    expect(page3.items.map((b) => b.lengthM)).toEqual(byLength.slice(10, 15).map((b) => b.lengthM));
    const filtered = (await ctx.app.inject({ url: '/api/v1/berths?q=QQCT&limit=2' })).json() as { items: unknown[]; total: number };
    expect(filtered.items).toHaveLength(2);
    expect(filtered.total).toBeGreaterThan(2);
    const bad = await ctx.app.inject({ url: '/api/v1/berths?sort=password' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('/query/sort');
  });

  it('filters and searches', async () => {
    const qianwan = (await ctx.app.inject({ url: '/api/v1/supervision-sites?customsCode=4218&asOf=2024-01-01' })).json().items;
    expect(qianwan.length).toBeGreaterThan(0);
    expect(qianwan.every((s: { customsCode: string }) => s.customsCode === '4218')).toBe(true);
    const hits = (await ctx.app.inject({ url: '/api/v1/terminals?q=QQCT' })).json().items;
    expect(hits.length).toBeGreaterThan(0);
  });
});

describe('the demo seed', () => {
  it('is idempotent: a second run creates nothing and writes no event', async () => {
    const count = async () =>
      Number(
        (
          await ctx.db
            .selectFrom('events')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const report = await loadReferenceData({ db: ctx.db, clock: ctx.clock });
    expect(report.unchanged).toBe(true);
    // Forget that it was loaded: every record is then found by its natural key and left alone.
    await ctx.db.deleteFrom('reference_datasets').execute();
    const again = await loadReferenceData({ db: ctx.db, clock: ctx.clock });
    expect(again.created).toBe(0);
    expect(again.versioned).toBe(0);
    expect(again.present).toBeGreaterThan(200);
    expect(await count()).toBe(before);
  });

  it('carries an HS subset and resolves headings', async () => {
    const r = await ctx.app.inject({ url: '/api/v1/hs-codes/260111' });
    expect(r.statusCode).toBe(200);
    const unknown = await ctx.app.inject({ url: '/api/v1/hs-codes/999911' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('registry.unknown-hs-code');
  });
});
