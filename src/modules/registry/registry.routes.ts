import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { actorOf } from '../../auth/principal.ts';
import { requirePrincipal } from '../../auth/authenticate.ts';
import { PUBLIC } from '../../auth/access.ts';
import { isoDate, type Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor, pageOf, ZPage, ZPageQuery } from '../../core/pagination.ts';
import type { Db } from '../../db/client.ts';
import { ZError } from '../../http/schemas.ts';
import { berthCode, resolveCode } from './code-resolution.ts';
import { createEntity } from './commands/create-entity.ts';
import { versionEntity } from './commands/version-entity.ts';
import { findHsCode } from './hs-import.ts';
import { columnOf, ENTITIES, type EntitySpec } from './registry.entities.ts';
import { RegistryErrorCode } from './registry.errors.ts';
import { presentVersion } from './registry.presenter.ts';
import { countVersionsAt, findVersionAt, listVersions, listVersionsAt } from './registry.repository.ts';

const ZDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const ZId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

const allowsNull = (s: TSchema): boolean => JSON.stringify(s).includes('"type":"null"');

const itemSchema = (spec: EntitySpec) =>
  Type.Object({
    id: Type.String(),
    validFrom: ZDate,
    validTo: Type.Union([ZDate, Type.Null()]),
    ...Object.fromEntries(Object.entries(spec.fields).map(([k, f]) => [k, f.schema])),
  });

const bodySchema = (spec: EntitySpec, requireValidFrom: boolean) =>
  Type.Object(
    {
      ...Object.fromEntries(Object.entries(spec.fields).map(([k, f]) => [k, allowsNull(f.schema) ? Type.Optional(f.schema) : f.schema])),
      validFrom: requireValidFrom ? ZDate : Type.Optional(ZDate),
      validTo: Type.Optional(Type.Union([ZDate, Type.Null()])),
    },
    { additionalProperties: false },
  );

const fieldsFrom = (spec: EntitySpec, body: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.keys(spec.fields).map((k) => [k, body[k] ?? null]));

const notFound = (spec: EntitySpec, id: string, date?: string): AppError =>
  new AppError('NOT_FOUND', RegistryErrorCode.NOT_FOUND, `No ${spec.singular} ${id}${date !== undefined ? ` valid on ${date}` : ''}`);

export const registryRoutes = (app: FastifyInstance, deps: { db: Db; clock: Clock }): void => {
  for (const spec of ENTITIES.values()) {
    const item = itemSchema(spec);
    const base = `/api/v1/${spec.name}`;
    const filterFields = Object.entries(spec.fields).filter(([, f]) => f.filter === true);
    const tags = ['registry'];

    app.get(
      base,
      {
        config: { access: spec.read },
        schema: {
          tags,
          summary: `List ${spec.name} valid on a date`,
          querystring: Type.Object(
            {
              asOf: Type.Optional(ZDate),
              q: Type.Optional(Type.String({ maxLength: 100, description: 'Substring of code or name' })),
              sort: Type.Optional(
                Type.Union(
                  [...Object.keys(spec.fields), 'validFrom'].flatMap((k) => [Type.Literal(k), Type.Literal(`-${k}`)]),
                  { description: 'Sort by a field (prefix - for descending); pages then go by offset' },
                ),
              ),
              offset: Type.Optional(
                Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Rows to skip (with sort, or instead of a cursor)' }),
              ),
              ...ZPageQuery,
              ...Object.fromEntries(filterFields.map(([k]) => [k, Type.Optional(Type.String({ maxLength: 64 }))])),
            },
            { additionalProperties: false },
          ),
          response: { 200: ZPage(item), 400: ZError },
        },
      },
      async (req) => {
        const q = req.query as Record<string, string | number | undefined>;
        const limit = typeof q.limit === 'number' ? q.limit : DEFAULT_PAGE_SIZE;
        const equals: Record<string, unknown> = {};
        for (const [k] of filterFields) {
          if (q[k] !== undefined) {
            equals[k] = q[k];
          }
        }
        const sortKey = typeof q.sort === 'string' ? q.sort : undefined;
        // A cursor is the last id (default order) or the next offset (sorted lists).
        const cursor = typeof q.cursor === 'string' ? decodeCursor(q.cursor) : undefined;
        const offset = typeof cursor === 'number' ? cursor : typeof q.offset === 'number' ? q.offset : undefined;
        const filter = {
          asOf: typeof q.asOf === 'string' ? q.asOf : isoDate(deps.clock.now()),
          equals,
          ...(typeof q.q === 'string' ? { q: q.q } : {}),
          ...(typeof cursor === 'string' ? { afterId: cursor } : {}),
          ...(sortKey !== undefined ? { sort: { column: columnOf(sortKey.replace(/^-/, '')), desc: sortKey.startsWith('-') } } : {}),
          ...(offset !== undefined ? { offset } : {}),
          limit,
          principal: req.principal,
        };
        const [rows, total] = await Promise.all([listVersionsAt(deps.db, spec, filter), countVersionsAt(deps.db, spec, filter)]);
        const items = rows.slice(0, limit);
        const more = rows.length > limit;
        const last = items[items.length - 1];
        const nextCursor =
          !more || last === undefined
            ? null
            : sortKey !== undefined || offset !== undefined
              ? encodeCursor((offset ?? 0) + limit)
              : encodeCursor(last.id);
        return { items: items.map((r) => presentVersion(spec, r)), nextCursor, total };
      },
    );

    app.get(
      `${base}/:id`,
      {
        config: { access: spec.read },
        schema: {
          tags,
          summary: `One ${spec.singular} as it was on a date (default today)`,
          params: ZId,
          querystring: Type.Object({ asOf: Type.Optional(ZDate) }, { additionalProperties: false }),
          response: { 200: item, 404: ZError },
        },
      },
      async (req) => {
        const { id } = req.params as { id: string };
        const { asOf } = req.query as { asOf?: string };
        const date = asOf ?? isoDate(deps.clock.now());
        const row = await findVersionAt(deps.db, spec, id, date, req.principal);
        if (row === undefined) {
          throw notFound(spec, id, date);
        }
        return presentVersion(spec, row);
      },
    );

    app.get(
      `${base}/:id/history`,
      {
        config: { access: spec.read },
        schema: {
          tags,
          summary: `Every version of one ${spec.singular}, oldest first`,
          params: ZId,
          response: { 200: Type.Object({ items: Type.Array(item) }), 404: ZError },
        },
      },
      async (req) => {
        const { id } = req.params as { id: string };
        const rows = await listVersions(deps.db, spec, id, req.principal);
        if (rows.length === 0) {
          throw notFound(spec, id);
        }
        return { items: rows.map((r) => presentVersion(spec, r)) };
      },
    );

    app.post(
      base,
      {
        config: { access: spec.write },
        schema: {
          tags,
          summary: `Register a ${spec.singular}`,
          body: bodySchema(spec, false),
          response: { 201: item, 400: ZError, 409: ZError },
        },
      },
      async (req, reply) => {
        const body = req.body as Record<string, unknown>;
        const created = await createEntity(deps, spec, {
          fields: fieldsFrom(spec, body),
          ...(typeof body.validFrom === 'string' ? { validFrom: body.validFrom } : {}),
          validTo: (body.validTo as string | null | undefined) ?? null,
          actor: actorOf(requirePrincipal(req)),
        });
        return reply.status(201).send(created);
      },
    );

    app.put(
      `${base}/:id`,
      {
        config: { access: spec.write },
        schema: {
          tags,
          summary: `Record a new version of a ${spec.singular} from validFrom on`,
          params: ZId,
          body: bodySchema(spec, true),
          response: { 200: item, 400: ZError, 404: ZError, 409: ZError },
        },
      },
      async (req) => {
        const { id } = req.params as { id: string };
        const body = req.body as Record<string, unknown>;
        return versionEntity(deps, spec, {
          id,
          fields: fieldsFrom(spec, body),
          validFrom: body.validFrom as string,
          ...(body.validTo !== undefined ? { validTo: body.validTo as string | null } : {}),
          actor: actorOf(requirePrincipal(req)),
        });
      },
    );
  }

  const ZCodePair = Type.Object({ portCode: Type.String(), customsCode: Type.String() });
  const ZResolution = Type.Object({
    date: ZDate,
    declared: ZCodePair,
    canonical: ZCodePair,
    viaAlias: Type.Boolean(),
    known: Type.Boolean(),
  });

  app.get(
    '/api/v1/codes/resolve',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['registry'],
        summary: 'Resolve a port code / customs code pair to its canonical regulatory code on a date',
        querystring: Type.Object(
          {
            portCode: Type.String({ pattern: '^[A-Za-z]{2}[A-Za-z2-9]{3}$' }),
            customsCode: Type.String({ pattern: '^[0-9]{4}$' }),
            date: Type.Optional(ZDate),
          },
          { additionalProperties: false },
        ),
        response: { 200: ZResolution, 400: ZError },
      },
    },
    async (req) => {
      const q = req.query as { portCode: string; customsCode: string; date?: string };
      return resolveCode(deps.db, { portCode: q.portCode.toUpperCase(), customsCode: q.customsCode }, q.date ?? isoDate(deps.clock.now()));
    },
  );

  app.get(
    '/api/v1/berths/:id/code',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['registry'],
        summary: 'The regulatory code a berth sits under on a date, and its canonical form',
        params: ZId,
        querystring: Type.Object({ date: Type.Optional(ZDate) }, { additionalProperties: false }),
        response: {
          200: Type.Intersect([
            ZResolution,
            Type.Object({ berthId: Type.String(), supervisionSiteId: Type.String(), supervisionSiteCode: Type.String() }),
          ]),
          404: ZError,
        },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const { date } = req.query as { date?: string };
      const d = date ?? isoDate(deps.clock.now());
      const r = await berthCode(deps.db, id, d);
      if (r === null) {
        throw new AppError('NOT_FOUND', RegistryErrorCode.NOT_FOUND, `No berth ${id} valid on ${d}`);
      }
      return r;
    },
  );

  const ZHs = Type.Object({
    code: Type.String(),
    level: Type.Integer(),
    parent: Type.Union([Type.String(), Type.Null()]),
    section: Type.String(),
    description: Type.String(),
    edition: Type.String(),
  });

  app.get(
    '/api/v1/hs-codes',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['registry'],
        summary: 'Browse the loaded HS nomenclature',
        querystring: Type.Object(
          {
            prefix: Type.Optional(Type.String({ pattern: '^[0-9]{1,10}$' })),
            q: Type.Optional(Type.String({ maxLength: 100 })),
            ...ZPageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: ZPage(ZHs), 400: ZError },
      },
    },
    async (req) => {
      const q = req.query as { prefix?: string; q?: string; limit?: number; cursor?: string };
      const limit = q.limit ?? DEFAULT_PAGE_SIZE;
      let qb = deps.db.selectFrom('hs_codes').selectAll();
      if (q.prefix !== undefined) {
        qb = qb.where('code', 'like', `${q.prefix}%`);
      }
      if (q.q !== undefined && q.q !== '') {
        qb = qb.where('description', 'ilike', `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      }
      if (q.cursor !== undefined) {
        qb = qb.where('code', '>', String(decodeCursor(q.cursor)));
      }
      const rows = await qb
        .orderBy('code')
        .limit(limit + 1)
        .execute();
      return pageOf(rows, limit, (r) => r.code);
    },
  );

  app.get(
    '/api/v1/hs-codes/:code',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['registry'],
        summary: 'One HS code, if it is in the loaded nomenclature',
        params: Type.Object({ code: Type.String({ maxLength: 16 }) }, { additionalProperties: false }),
        response: { 200: ZHs, 404: ZError },
      },
    },
    async (req) => {
      const { code } = req.params as { code: string };
      const row = await findHsCode(deps.db, code);
      if (row === undefined) {
        throw new AppError('NOT_FOUND', RegistryErrorCode.UNKNOWN_HS_CODE, `HS code ${code} is not in the loaded nomenclature`, [
          { path: '/params/code', message: 'is not in the loaded nomenclature' },
        ]);
      }
      return row;
    },
  );
};
