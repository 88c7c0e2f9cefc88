import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './app.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx.close());

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const doc = (await ctx.app.inject({ url: '/openapi.json' })).json() as Record<string, unknown>;
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    // The validator does reject a broken document (so the check above can fail).
    const broken = await new Validator().validate({ ...doc, info: undefined });
    expect(broken.valid).toBe(false);
  });

  it('documents the error envelope and security of protected routes', async () => {
    const doc = (await ctx.app.inject({ url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown>; description?: string }>>;
    };
    const enterprises = doc.paths['/api/v1/enterprises']?.get;
    expect(enterprises?.security).toEqual([{ bearerAuth: [] }, { apiKey: [] }]);
    expect(enterprises?.description).toContain('Roles: admin, customs-officer, risk-analyst, declarant.');
    expect(doc.paths['/api/v1/ports']?.get?.security).toBeUndefined();
    expect(Object.keys(doc.paths['/api/v1/ports']?.post?.responses ?? {})).toEqual(expect.arrayContaining(['201', '400', '409']));
  });
});
