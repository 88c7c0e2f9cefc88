import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { rolesOnly } from '../../auth/access.ts';
import { requirePrincipal } from '../../auth/authenticate.ts';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor, ZPage, ZPageQuery } from '../../core/pagination.ts';
import type { Db } from '../../db/client.ts';
import { ZError } from '../../http/schemas.ts';
import { CargoErrorCode } from './cargo.errors.ts';
import {
  containerTimeline,
  CONTAINER_FLAG_FILTERS,
  findContainer,
  findManifest,
  listContainers,
  listManifests,
  manifestVersion,
} from './cargo.queries.ts';
import { CONTAINER_EVENT_KIND_NAMES, ingestContainerEvents, MAX_BATCH_EVENTS } from './container-events.ts';
import { containerIftsta, findInterchange, importInterchange, listInterchanges, MAX_EDIFACT_BYTES } from './edifact-import.ts';
import {
  amendManifest,
  deleteManifest,
  fileManifest,
  MANIFEST_KIND_NAMES,
  type FileManifestInput,
  type ManifestDocument,
} from './manifest.commands.ts';

const literals = (xs: readonly string[]) => Type.Union(xs.map((x) => Type.Literal(x)));
const ZTime = Type.String({ format: 'date-time' });
const ZNullableTime = Type.Union([ZTime, Type.Null()]);
const ZText = (max: number) => Type.String({ minLength: 1, maxLength: max });
const ZOptText = (max: number) => Type.Optional(Type.Union([ZText(max), Type.Null()]));
const ZContainerNumber = Type.String({
  minLength: 11,
  maxLength: 16,
  description: 'ISO 6346 container number with check digit, e.g. MSCU1234565',
});

const ZGoodsItem = Type.Object(
  {
    seq: Type.Optional(Type.Integer({ minimum: 1, maximum: 9999 })),
    description: ZText(512),
    hsCode: Type.String({ minLength: 2, maxLength: 14, description: 'HS code, 6 digits or more; must exist in the nomenclature' }),
    packages: Type.Integer({ minimum: 1, maximum: 10_000_000 }),
    packageType: Type.Optional(Type.String({ minLength: 1, maxLength: 8, description: 'UN/ECE Rec 21 code, e.g. CT (carton)' })),
    grossKg: Type.Number({ exclusiveMinimum: 0, maximum: 1e9 }),
    netKg: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 1e9 }), Type.Null()])),
    equipment: Type.Optional(Type.Array(ZContainerNumber, { maxItems: 500, description: 'Containers the item is stuffed in' })),
  },
  { additionalProperties: false },
);
const ZBill = Type.Object(
  {
    number: ZText(35),
    masterNumber: Type.Optional(
      Type.Union([ZText(35), Type.Null()], { description: 'For a house bill: its master bill, on this manifest' }),
    ),
    shipper: ZOptText(200),
    consignee: ZOptText(200),
    notify: ZOptText(200),
    placeOfLoading: Type.Optional(Type.Union([Type.String({ minLength: 5, maxLength: 6 }), Type.Null()])),
    placeOfDischarge: Type.Optional(Type.Union([Type.String({ minLength: 5, maxLength: 6 }), Type.Null()])),
    goods: Type.Array(ZGoodsItem, { minItems: 1, maxItems: 999 }),
  },
  { additionalProperties: false },
);
const ZEquipment = Type.Object(
  {
    number: ZContainerNumber,
    sizeType: Type.Optional(
      Type.Union([Type.String({ pattern: '^[0-9A-Z]{4}$', description: 'ISO 6346 size-type code, e.g. 22G1' }), Type.Null()]),
    ),
    fullness: literals(['full', 'empty']),
    seals: Type.Optional(Type.Array(ZText(35), { maxItems: 10 })),
    grossKg: Type.Optional(Type.Union([Type.Number({ exclusiveMinimum: 0, maximum: 100_000 }), Type.Null()])),
  },
  { additionalProperties: false },
);
const documentFields = {
  documentNumber: ZText(35),
  bills: Type.Array(ZBill, { maxItems: 5000 }),
  equipment: Type.Array(ZEquipment, { maxItems: 10_000 }),
};
const ZFileManifest = Type.Object(
  { kind: literals(MANIFEST_KIND_NAMES), portCallId: ZText(40), ...documentFields },
  { additionalProperties: false },
);
const ZAmendManifest = Type.Object(
  { expectedVersion: Type.Integer({ minimum: 1 }), reason: ZText(500), ...documentFields },
  { additionalProperties: false },
);

const ZManifestSummary = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  portCallId: Type.String(),
  vessel: Type.Object({ name: Type.String(), imo: Type.String(), voyage: Type.String() }),
  filerOrgId: Type.String(),
  documentNumber: Type.String(),
  state: Type.String(),
  version: Type.Integer(),
  filedAt: ZTime,
  amendedAt: ZNullableTime,
  deletedAt: ZNullableTime,
  deadlineAt: ZNullableTime,
  late: Type.Boolean(),
  bills: Type.Integer(),
  equipment: Type.Integer(),
});
const ZDocument = Type.Object({ documentNumber: Type.String(), bills: Type.Array(Type.Unknown()), equipment: Type.Array(Type.Unknown()) });
const ZManifestDetail = Type.Intersect([
  ZManifestSummary,
  Type.Object({
    document: ZDocument,
    versions: Type.Array(Type.Object({ version: Type.Integer(), recordedAt: ZTime, recordedBy: Type.Union([Type.String(), Type.Null()]) })),
    deleteReason: Type.Union([Type.String(), Type.Null()]),
  }),
]);

const ZFlags = Type.Object({
  discharged: Type.Boolean(),
  customsReleased: Type.Boolean(),
  terminalReleased: Type.Boolean(),
  gatedOut: Type.Boolean(),
  gatedIn: Type.Boolean(),
  loaded: Type.Boolean(),
  onHold: Type.Boolean(),
});
const ZContainer = Type.Object({
  id: Type.String(),
  number: Type.String(),
  portCallId: Type.String(),
  vessel: Type.Object({ name: Type.String(), voyage: Type.String() }),
  portLocode: Type.String(),
  direction: Type.String(),
  sizeType: Type.Union([Type.String(), Type.Null()]),
  fullness: Type.Union([Type.String(), Type.Null()]),
  seals: Type.Array(Type.String()),
  grossKg: Type.Union([Type.Number(), Type.Null()]),
  manifestId: Type.Union([Type.String(), Type.Null()]),
  bills: Type.Array(Type.String()),
  flags: ZFlags,
  times: Type.Record(Type.String(), ZNullableTime),
  lastEventAt: ZNullableTime,
  lastLocation: Type.Union([Type.String(), Type.Null()]),
  eventCount: Type.Integer(),
  createdAt: ZTime,
});
const ZTimelineEntry = Type.Object({
  seq: Type.Integer(),
  type: Type.String(),
  occurredAt: ZTime,
  recordedAt: ZTime,
  actorType: Type.String(),
  payload: Type.Unknown(),
});

/** The shape of one batch item (documentation; items are checked one by one by the ingest). */
export const ZContainerEvent = Type.Object(
  {
    eventId: Type.String({ description: "The sender's own id of the event (idempotency key), 1 to 100 characters" }),
    kind: literals(CONTAINER_EVENT_KIND_NAMES),
    containerNumber: ZContainerNumber,
    occurredAt: ZTime,
    location: Type.Optional(Type.String({ description: 'Yard slot, stowage position, gate or UN/LOCODE, up to 35 characters' })),
    portCallId: Type.Optional(Type.String({ description: 'The call the box visit belongs to, when the number alone is ambiguous' })),
    vehicle: Type.Optional(Type.String({ description: 'Truck plate or vessel' })),
    seals: Type.Optional(Type.Array(Type.String(), { maxItems: 10 })),
    fullness: Type.Optional(literals(['full', 'empty'])),
  },
  { additionalProperties: false },
);
const ZIngestResult = Type.Object({
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Integer(),
  results: Type.Array(
    Type.Object({
      index: Type.Integer(),
      eventId: Type.Union([Type.String(), Type.Null()]),
      status: literals(['accepted', 'duplicate', 'rejected']),
      containerId: Type.Optional(Type.String()),
      eventSeq: Type.Optional(Type.Integer()),
      code: Type.Optional(Type.String()),
      path: Type.Optional(Type.String()),
      reason: Type.Optional(Type.String()),
    }),
  ),
});

const ZEdiError = Type.Object({
  code: Type.String(),
  segment: Type.Union([Type.Integer(), Type.Null()], { description: 'Segment number in the interchange (UNB is 1)' }),
  tag: Type.Union([Type.String(), Type.Null()]),
  message: Type.String(),
});
const ZInterchange = Type.Object({
  id: Type.String(),
  fileName: Type.Union([Type.String(), Type.Null()]),
  sizeBytes: Type.Integer(),
  sha256: Type.String(),
  receivedAt: ZTime,
  ok: Type.Boolean({ description: 'The interchange is sound and every message mapped' }),
  controlRef: Type.Union([Type.String(), Type.Null()]),
  errors: Type.Array(ZEdiError),
  messages: Type.Array(
    Type.Object({
      ref: Type.String(),
      type: Type.String(),
      version: Type.String(),
      segmentCount: Type.Integer(),
      equipmentCount: Type.Integer(),
      kind: Type.String(),
      ok: Type.Boolean(),
      errors: Type.Array(ZEdiError),
      warnings: Type.Array(ZEdiError),
      outcome: Type.Object({
        status: literals(['imported', 'partly-imported', 'duplicate', 'rejected', 'unsupported']),
        reason: Type.Optional(Type.String()),
        manifestId: Type.Optional(Type.String()),
        stowagePlanId: Type.Optional(Type.String()),
        events: Type.Optional(
          Type.Object({
            accepted: Type.Integer(),
            duplicates: Type.Integer(),
            rejected: Type.Integer(),
            rejections: Type.Array(
              Type.Object({ eventId: Type.Union([Type.String(), Type.Null()]), code: Type.String(), reason: Type.String() }),
            ),
          }),
        ),
      }),
    }),
  ),
});

const ZParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false });
const READERS = rolesOnly('customs-officer', 'risk-analyst', 'agent', 'terminal-operator', 'admin');
const FILERS = rolesOnly('agent', 'terminal-operator', 'admin');
const EVENT_SENDERS = rolesOnly('terminal-operator', 'customs-officer', 'admin');
const EDI_SENDERS = rolesOnly('agent', 'terminal-operator', 'customs-officer', 'admin');
const EDI_READERS = rolesOnly('agent', 'terminal-operator', 'customs-officer', 'risk-analyst', 'admin');

const notFound = (what: 'manifest' | 'container', id: string) =>
  new AppError(
    'NOT_FOUND',
    what === 'manifest' ? CargoErrorCode.MANIFEST_NOT_FOUND : CargoErrorCode.CONTAINER_NOT_FOUND,
    `No ${what} ${id}`,
  );

type Key = { at: string; id: string };
const afterOf = (cursor: string | undefined): Key | undefined => {
  if (cursor === undefined) {
    return undefined;
  }
  const k = decodeCursor(cursor);
  try {
    const parsed = JSON.parse(String(k)) as Key;
    if (typeof parsed.at === 'string' && typeof parsed.id === 'string' && !Number.isNaN(Date.parse(parsed.at))) {
      return parsed;
    }
  } catch {
    // reported below
  }
  throw new AppError('INVALID_INPUT', CargoErrorCode.INVALID_FIELD, 'cursor is not one this server issued', [
    { path: '/query/cursor', message: 'is not a cursor this server issued' },
  ]);
};
const pageOut = <T extends { id: string }>(rows: T[], limit: number, at: (r: T) => string) => {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(JSON.stringify({ at: at(last), id: last.id })) : null,
  };
};

export const cargoRoutes = (app: FastifyInstance, deps: { db: Db; clock: Clock }): void => {
  const tags = ['cargo'];

  app.post(
    '/api/v1/manifests',
    {
      bodyLimit: 8 * 1_048_576,
      config: { access: FILERS },
      schema: {
        tags,
        summary: 'File a manifest (MT1101 import original, MT2101 pre-stowage, MT3101 arrival report, MT4101 loading, MT5101/5102 tally)',
        body: ZFileManifest,
        response: { 201: ZManifestDetail, 400: ZError, 403: ZError, 409: ZError },
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req);
      const { id } = await fileManifest(deps, principal, req.body as FileManifestInput);
      return reply.status(201).send(await findManifest(deps.db, principal, id));
    },
  );

  app.get(
    '/api/v1/manifests',
    {
      config: { access: READERS },
      schema: {
        tags,
        summary: 'Manifests the caller may see (filers their own and those of calls they serve, customs its district), newest first',
        querystring: Type.Object(
          {
            portCallId: Type.Optional(Type.String({ maxLength: 40 })),
            kind: Type.Optional(literals(MANIFEST_KIND_NAMES)),
            late: Type.Optional(Type.Boolean({ description: 'Only filings after their deadline' })),
            q: Type.Optional(Type.String({ maxLength: 100, description: 'Substring of document number, bill number, vessel or voyage' })),
            includeDeleted: Type.Optional(Type.Boolean()),
            ...ZPageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: ZPage(ZManifestSummary), 400: ZError },
      },
    },
    async (req) => {
      const q = req.query as {
        portCallId?: string;
        kind?: string;
        late?: boolean;
        q?: string;
        includeDeleted?: boolean;
        limit?: number;
        cursor?: string;
      };
      const limit = q.limit ?? DEFAULT_PAGE_SIZE;
      const after = afterOf(q.cursor);
      const rows = await listManifests(deps.db, requirePrincipal(req), {
        ...(q.portCallId !== undefined ? { portCallId: q.portCallId } : {}),
        ...(q.kind !== undefined ? { kind: q.kind } : {}),
        ...(q.late !== undefined ? { late: q.late } : {}),
        ...(q.q !== undefined ? { q: q.q } : {}),
        ...(q.includeDeleted !== undefined ? { includeDeleted: q.includeDeleted } : {}),
        limit,
        ...(after !== undefined ? { after: { filedAt: new Date(after.at), id: after.id } } : {}),
      });
      return pageOut(rows, limit, (r) => r.filedAt);
    },
  );

  app.get(
    '/api/v1/manifests/:id',
    {
      config: { access: READERS },
      schema: {
        tags,
        summary: 'One manifest: bills, goods items, equipment and its version list',
        params: ZParams,
        response: { 200: ZManifestDetail, 404: ZError },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const m = await findManifest(deps.db, requirePrincipal(req), id);
      if (m === undefined) {
        throw notFound('manifest', id);
      }
      return m;
    },
  );

  app.get(
    '/api/v1/manifests/:id/versions/:version',
    {
      config: { access: READERS },
      schema: {
        tags,
        summary: 'A manifest as it was at one version (amendments keep history)',
        params: Type.Object(
          { id: Type.String({ minLength: 1, maxLength: 40 }), version: Type.Integer({ minimum: 1 }) },
          { additionalProperties: false },
        ),
        response: { 200: ZDocument, 404: ZError },
      },
    },
    async (req) => {
      const { id, version } = req.params as { id: string; version: number };
      const doc = await manifestVersion(deps.db, requirePrincipal(req), id, version);
      if (doc === undefined) {
        throw new AppError('NOT_FOUND', CargoErrorCode.MANIFEST_NOT_FOUND, `No version ${version} of manifest ${id}`);
      }
      return doc;
    },
  );

  app.post(
    '/api/v1/manifests/:id/amendments',
    {
      bodyLimit: 8 * 1_048_576,
      config: { access: FILERS },
      schema: {
        tags,
        summary: 'Amend a manifest: the new document replaces the current one; every version is kept',
        params: ZParams,
        body: ZAmendManifest,
        response: { 200: ZManifestDetail, 400: ZError, 404: ZError, 409: ZError },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const principal = requirePrincipal(req);
      await amendManifest(deps, principal, id, req.body as ManifestDocument & { expectedVersion: number; reason: string });
      return findManifest(deps.db, principal, id);
    },
  );

  app.post(
    '/api/v1/manifests/:id/deletion',
    {
      config: { access: FILERS },
      schema: {
        tags,
        summary: 'Delete a manifest, only before any of its boxes is discharged or loaded; recorded as an event',
        params: ZParams,
        body: Type.Object({ reason: ZText(500) }, { additionalProperties: false }),
        response: { 200: ZManifestDetail, 400: ZError, 404: ZError, 409: ZError },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const principal = requirePrincipal(req);
      await deleteManifest(deps, principal, id, req.body as { reason: string });
      return findManifest(deps.db, principal, id);
    },
  );

  app.get(
    '/api/v1/containers',
    {
      config: { access: READERS },
      schema: {
        tags,
        summary: 'Box visits the caller may see, by container number prefix, call, bill or flag',
        querystring: Type.Object(
          {
            number: Type.Optional(Type.String({ maxLength: 16 })),
            portCallId: Type.Optional(Type.String({ maxLength: 40 })),
            bill: Type.Optional(Type.String({ maxLength: 35 })),
            flag: Type.Optional(literals(Object.keys(CONTAINER_FLAG_FILTERS))),
            ...ZPageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: ZPage(ZContainer), 400: ZError },
      },
    },
    async (req) => {
      const q = req.query as { number?: string; portCallId?: string; bill?: string; flag?: string; limit?: number; cursor?: string };
      const limit = q.limit ?? DEFAULT_PAGE_SIZE;
      const after = afterOf(q.cursor);
      const rows = await listContainers(deps.db, requirePrincipal(req), {
        ...(q.number !== undefined ? { number: q.number } : {}),
        ...(q.portCallId !== undefined ? { portCallId: q.portCallId } : {}),
        ...(q.bill !== undefined ? { bill: q.bill } : {}),
        ...(q.flag !== undefined ? { flag: q.flag } : {}),
        limit,
        ...(after !== undefined ? { after: { createdAt: new Date(after.at), id: after.id } } : {}),
      });
      return pageOut(rows, limit, (r) => r.createdAt);
    },
  );

  app.get(
    '/api/v1/containers/:id',
    {
      config: { access: READERS },
      schema: {
        tags,
        summary: 'One box visit: its flags (computed from events) and its timeline of every event the caller may see',
        params: ZParams,
        response: { 200: Type.Intersect([ZContainer, Type.Object({ timeline: Type.Array(ZTimelineEntry) })]), 404: ZError },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const principal = requirePrincipal(req);
      const c = await findContainer(deps.db, principal, id);
      if (c === undefined) {
        throw notFound('container', id);
      }
      return { ...c, timeline: await containerTimeline(deps.db, principal, id) };
    },
  );

  app.get(
    '/api/v1/containers/:id/iftsta',
    {
      config: { access: READERS },
      schema: {
        tags,
        summary: "The box visit's statuses as one UN/EDIFACT IFTSTA interchange (D:00B), for subscribers' systems",
        params: ZParams,
        produces: ['application/edifact'],
        response: { 200: Type.String(), 404: ZError },
      },
    },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      const principal = requirePrincipal(req);
      if ((await findContainer(deps.db, principal, id)) === undefined) {
        throw notFound('container', id);
      }
      return reply.type('application/edifact').send(await containerIftsta(deps.db, deps.clock, principal, id));
    },
  );

  app.post(
    '/api/v1/container-events',
    {
      bodyLimit: 16 * 1_048_576,
      config: { access: EVENT_SENDERS },
      schema: {
        tags,
        summary: `Batch of terminal (discharge, load, gate-in, gate-out, yard-move, terminal-release) or customs (release, hold) events, up to ${MAX_BATCH_EVENTS}; each is accepted, a duplicate, or rejected with its reason`,
        description:
          'Each item is a ContainerEvent. Items are checked one by one: a bad item is rejected in `results` with its path and reason and the rest are still taken. A resend under the same eventId changes nothing (status duplicate). Out-of-order events are merged by event time.',
        body: Type.Object(
          {
            events: Type.Array(Type.Unknown({ description: `A container event: ${Object.keys(ZContainerEvent.properties).join(', ')}` }), {
              minItems: 1,
              maxItems: MAX_BATCH_EVENTS,
            }),
          },
          { additionalProperties: false },
        ),
        response: { 200: ZIngestResult, 400: ZError, 413: ZError },
      },
    },
    async (req) => ingestContainerEvents(deps, requirePrincipal(req), (req.body as { events: unknown[] }).events),
  );

  // EDIFACT arrives as a raw body; the parser lives in its own scope so no other route takes these types.
  void app.register((scope, _opts, done) => {
    for (const type of ['application/edifact', 'application/octet-stream', 'text/plain']) {
      scope.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: MAX_EDIFACT_BYTES }, (_req, body, next) => next(null, body));
    }
    scope.post(
      '/api/v1/edifact/interchanges',
      {
        bodyLimit: MAX_EDIFACT_BYTES,
        config: { access: EDI_SENDERS },
        schema: {
          tags,
          summary:
            'Upload one UN/EDIFACT interchange (CUSCAR, BAPLIE, COARRI, CODECO, IFTSTA): each message is mapped and imported or rejected with its reason',
          description: `Raw file as the body (Content-Type application/edifact, text/plain or application/octet-stream), at most ${MAX_EDIFACT_BYTES} bytes. A defective interchange (envelope, counts, syntax) imports nothing; errors name the segment number and tag.`,
          querystring: Type.Object(
            {
              fileName: Type.Optional(Type.String({ maxLength: 200 })),
              portCallId: Type.Optional(
                Type.String({
                  maxLength: 40,
                  description: 'The call a CUSCAR or BAPLIE belongs to, when vessel and voyage do not name it',
                }),
              ),
            },
            { additionalProperties: false },
          ),
          response: { 200: ZInterchange, 400: ZError, 413: ZError },
        },
      },
      async (req) => {
        const q = req.query as { fileName?: string; portCallId?: string };
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.from(typeof req.body === 'string' ? req.body : '');
        return importInterchange(deps, requirePrincipal(req), {
          bytes: body,
          fileName: q.fileName ?? null,
          portCallId: q.portCallId ?? null,
        });
      },
    );
    done();
  });

  app.get(
    '/api/v1/edifact/interchanges',
    {
      config: { access: EDI_READERS },
      schema: {
        tags,
        summary: "EDIFACT interchanges received (your organisation's; customs its district's), newest first, with each message's outcome",
        querystring: Type.Object({ ...ZPageQuery }, { additionalProperties: false }),
        response: { 200: ZPage(ZInterchange), 400: ZError },
      },
    },
    async (req) => {
      const q = req.query as { limit?: number; cursor?: string };
      const limit = q.limit ?? DEFAULT_PAGE_SIZE;
      const after = afterOf(q.cursor);
      const rows = await listInterchanges(
        deps.db,
        requirePrincipal(req),
        limit,
        after === undefined ? undefined : { at: new Date(after.at), id: after.id },
      );
      return pageOut(rows, limit, (r) => r.receivedAt);
    },
  );

  app.get(
    '/api/v1/edifact/interchanges/:id',
    {
      config: { access: EDI_READERS },
      schema: {
        tags,
        summary: 'One EDIFACT interchange received and what became of each message',
        params: ZParams,
        response: { 200: ZInterchange, 404: ZError },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const r = await findInterchange(deps.db, requirePrincipal(req), id);
      if (r === undefined) {
        throw new AppError('NOT_FOUND', CargoErrorCode.INTERCHANGE_NOT_FOUND, `No interchange ${id}`);
      }
      return r;
    },
  );
};
