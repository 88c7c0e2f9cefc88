import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { rolesOnly } from '../../auth/access.ts';
import { requirePrincipal } from '../../auth/authenticate.ts';
import type { Principal } from '../../auth/principal.ts';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/client.ts';
import {
  cancelService,
  declineService,
  omitPortCall,
  omitTerminalCall,
  putPortCall,
  putService,
  putTerminalCall,
  putTimestamp,
  putVesselStatus,
  type Deps,
} from './dcsa.commands.ts';
import { derivedTimestamps, presentStored, type TimestampView } from './dcsa.derived.ts';
import { DcsaErrorCode, registerDcsaErrors } from './dcsa.errors.ts';
import { presentPortCall, presentService, presentTerminalCall } from './dcsa.presenter.ts';
import {
  findService,
  listPortCalls,
  listServices,
  listTerminalCalls,
  storedTimestamps,
  type DcsaServiceRow,
  type PortCallFilter,
  type ServiceFilter,
  type TerminalCallFilter,
  vesselStatuses,
} from './dcsa.repository.ts';
import {
  API_VERSION,
  CLASSIFIER_CODES,
  ZErrorResponse,
  ZHeaders,
  ZImo,
  ZMmsi,
  ZPortCall,
  ZPortCallBody,
  ZPortCallService,
  ZPortCallServiceBody,
  ZReason,
  ZTerminalCall,
  ZTerminalCallBody,
  ZTimestamp,
  ZTimestampBody,
  ZUnLocode,
  ZUuid,
  ZVesselStatus,
  ZVesselStatusBody,
} from './dcsa.schemas.ts';

export const DCSA_JIT_PREFIX = '/api/dcsa/jit/v2';

const CONSUMERS = rolesOnly('agent', 'admin');
const PROVIDERS = rolesOnly('terminal-operator', 'admin');
const EITHER_SIDE = rolesOnly('agent', 'terminal-operator', 'admin');
const READERS = rolesOnly('agent', 'terminal-operator', 'customs-officer', 'risk-analyst', 'admin');

const tags = ['dcsa-jit'];
const NO_EDGE_SPACE = '^\\S(?:.*\\S)?$';
const noContent = Type.Null({ description: 'Accepted' });
const errors = (...codes: number[]): Record<number, TSchema> => Object.fromEntries(codes.map((c) => [c, ZErrorResponse]));
const param = (name: string) => Type.Object({ [name]: ZUuid });
const query = (props: Record<string, TSchema>) =>
  Type.Object(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, Type.Optional(v)])), { additionalProperties: false });
const text = (maxLength: number) => Type.String({ maxLength, pattern: NO_EDGE_SPACE });

/** The spec makes at least one of these filters mandatory on a list. */
const requireFilter = (q: Record<string, unknown>, names: string[]): void => {
  if (!names.some((n) => q[n] !== undefined)) {
    throw new AppError('INVALID_INPUT', DcsaErrorCode.FILTER_REQUIRED, `Give at least one filter: ${names.join(', ')}`, [
      { path: `/query/${names[0] as string}`, message: `at least one of ${names.join(', ')} is required` },
    ]);
  }
};

/** Terminal calls and port calls of the services, for deriving provider timestamps. */
const chainsOf = async (db: Db, services: DcsaServiceRow[]) => {
  if (services.length === 0) {
    return [];
  }
  const tcs = await db
    .selectFrom('dcsa_terminal_calls')
    .selectAll()
    .where('id', 'in', [...new Set(services.map((s) => s.terminal_call_id))])
    .execute();
  const pcs = await db
    .selectFrom('dcsa_port_calls')
    .selectAll()
    .where('id', 'in', [...new Set(tcs.map((t) => t.dcsa_port_call_id))])
    .execute();
  return services.map((svc) => {
    const tc = tcs.find((t) => t.id === svc.terminal_call_id) as (typeof tcs)[number];
    return { svc, tc, pc: pcs.find((p) => p.id === tc.dcsa_port_call_id) as (typeof pcs)[number] };
  });
};

type TimestampQuery = { portCallServiceID?: string; timestampID?: string; classifierCode?: string };

const listTimestamps = async (db: Db, q: TimestampQuery, p: Principal): Promise<Omit<TimestampView, 'at'>[]> => {
  let services: DcsaServiceRow[];
  if (q.portCallServiceID !== undefined) {
    services = await listServices(db, { portCallServiceID: q.portCallServiceID }, p);
  } else {
    const stored = await db
      .selectFrom('dcsa_timestamps')
      .select('port_call_service_id')
      .where('id', '=', q.timestampID as string)
      .executeTakeFirst();
    // A stored id names its service; a derived one (UUIDv5) can only be found among all visible services.
    services =
      stored !== undefined ? await listServices(db, { portCallServiceID: stored.port_call_service_id }, p) : await listServices(db, {}, p);
  }
  const stored = await storedTimestamps(
    db,
    services.map((s) => s.id),
  );
  const all = [...stored.map(presentStored), ...(await derivedTimestamps(db, await chainsOf(db, services), stored))]
    .filter((t) => q.timestampID === undefined || t.timestampID === q.timestampID)
    .filter((t) => q.classifierCode === undefined || t.classifierCode === q.classifierCode)
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.timestampID.localeCompare(b.timestampID));
  return all.map(({ at: _at, ...t }) => t);
};

type Put<B> = (deps: Deps, p: Principal, id: string, body: B) => Promise<void>;

/**
 * The DCSA Port Call (JIT) 2.0.0 interface, PortCluster as the Service Provider: every path of the
 * spec under DCSA_JIT_PREFIX, errors in the spec's ErrorResponse, the API-Version header on every answer.
 */
export const dcsaJitRoutes = (app: FastifyInstance, deps: { db: Db; clock: Clock }): void => {
  void app.register(
    async (scope) => {
      registerDcsaErrors(scope, deps.clock);
      scope.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload) => {
        reply.header('API-Version', API_VERSION);
        // Behind a JIT proxy the response names the parties the other way round (spec, components/headers).
        const sending = req.headers['request-sending-party'];
        const receiving = req.headers['request-receiving-party'];
        if (typeof receiving === 'string' && receiving.length <= 4096) {
          reply.header('Response-Sending-Party', receiving);
        }
        if (typeof sending === 'string' && sending.length <= 4096) {
          reply.header('Response-Receiving-Party', sending);
        }
        return payload;
      });

      const put = <B>(path: string, idName: string, access: ReturnType<typeof rolesOnly>, body: TSchema, summary: string, run: Put<B>) =>
        scope.put(
          path,
          {
            config: { access },
            schema: {
              tags,
              summary,
              headers: ZHeaders,
              params: param(idName),
              body,
              response: { 204: noContent, ...errors(400, 401, 403, 404, 409) },
            },
          },
          async (req, reply) => {
            const id = (req.params as Record<string, string>)[idName] as string;
            await run(deps, requirePrincipal(req), id, req.body as B);
            return reply.status(204).send();
          },
        );
      const post = (
        path: string,
        idName: string,
        access: ReturnType<typeof rolesOnly>,
        summary: string,
        run: Put<Record<string, unknown>>,
      ) =>
        scope.post(
          path,
          {
            config: { access },
            schema: {
              tags,
              summary,
              headers: ZHeaders,
              params: param(idName),
              body: ZReason,
              response: { 204: noContent, ...errors(400, 401, 403, 404, 409) },
            },
          },
          async (req, reply) => {
            const id = (req.params as Record<string, string>)[idName] as string;
            await run(deps, requirePrincipal(req), id, req.body as Record<string, unknown>);
            return reply.status(204).send();
          },
        );
      const get = (path: string, summary: string, q: TSchema, item: TSchema, run: (req: FastifyRequest) => Promise<unknown[]>) =>
        scope.get(
          path,
          {
            config: { access: READERS },
            schema: { tags, summary, headers: ZHeaders, querystring: q, response: { 200: Type.Array(item), ...errors(400, 401, 403) } },
          },
          async (req) => run(req),
        );

      put(
        '/port-calls/:portCallID',
        'portCallID',
        CONSUMERS,
        ZPortCallBody,
        'Create or update a Port Call (linked to the PortCluster call of the same vessel and port)',
        putPortCall,
      );
      post(
        '/port-calls/:portCallID/omit',
        'portCallID',
        EITHER_SIDE,
        'Omit a Port Call: its Terminal Calls are omitted and their services cancelled',
        omitPortCall,
      );
      get(
        '/port-calls',
        'Port Calls matching the filters (at least one)',
        query({
          portCallID: ZUuid,
          portVisitReference: Type.String({ maxLength: 50 }),
          UNLocationCode: ZUnLocode,
          vesselIMONumber: ZImo,
          vesselName: text(50),
          MMSINumber: ZMmsi,
        }),
        ZPortCall,
        async (req) => {
          const q = req.query as PortCallFilter;
          requireFilter(q, ['portCallID', 'portVisitReference', 'UNLocationCode', 'vesselIMONumber', 'vesselName', 'MMSINumber']);
          return (await listPortCalls(deps.db, q, requirePrincipal(req))).map(presentPortCall);
        },
      );

      put(
        '/terminal-calls/:terminalCallID',
        'terminalCallID',
        CONSUMERS,
        ZTerminalCallBody,
        'Create or update a Terminal Call',
        putTerminalCall,
      );
      post(
        '/terminal-calls/:terminalCallID/omit',
        'terminalCallID',
        EITHER_SIDE,
        'Omit a Terminal Call: its services are cancelled',
        omitTerminalCall,
      );
      get(
        '/terminal-calls',
        'Terminal Calls matching the filters (at least one of the call and service filters)',
        query({
          portCallID: ZUuid,
          terminalCallID: ZUuid,
          terminalCallReference: Type.String({ maxLength: 100 }),
          carrierServiceName: text(50),
          carrierServiceCode: text(11),
          universalServiceReference: Type.String({ pattern: '^SR\\d{5}[A-Z]$', minLength: 8, maxLength: 8 }),
          carrierImportVoyageNumber: text(50),
          carrierExportVoyageNumber: text(50),
          universalImportVoyageReference: Type.String({ pattern: '^\\d{2}[0-9A-Z]{2}[NEWSR]$', minLength: 5, maxLength: 5 }),
          universalExportVoyageReference: Type.String({ pattern: '^\\d{2}[0-9A-Z]{2}[NEWSR]$', minLength: 5, maxLength: 5 }),
        }),
        ZTerminalCall,
        async (req) => {
          const q = req.query as TerminalCallFilter;
          requireFilter(q, [
            'portCallID',
            'terminalCallID',
            'carrierServiceName',
            'carrierServiceCode',
            'universalServiceReference',
            'terminalCallReference',
          ]);
          return (await listTerminalCalls(deps.db, q, requirePrincipal(req))).map(presentTerminalCall);
        },
      );

      put(
        '/port-call-services/:portCallServiceID',
        'portCallServiceID',
        EITHER_SIDE,
        ZPortCallServiceBody,
        'Create or update a Port Call Service',
        putService,
      );
      post(
        '/port-call-services/:portCallServiceID/cancel',
        'portCallServiceID',
        PROVIDERS,
        'The Service Provider cancels a Port Call Service',
        cancelService,
      );
      post(
        '/port-call-services/:portCallServiceID/decline',
        'portCallServiceID',
        CONSUMERS,
        'The Service Consumer declines a Port Call Service',
        declineService,
      );
      get(
        '/port-call-services',
        'Port Call Services matching the filters (terminalCallID or portCallServiceID)',
        query({ terminalCallID: ZUuid, portCallServiceID: ZUuid, portCallServiceTypeCode: text(50) }),
        ZPortCallService,
        async (req) => {
          const q = req.query as ServiceFilter;
          requireFilter(q, ['terminalCallID', 'portCallServiceID']);
          return (await listServices(deps.db, q, requirePrincipal(req))).map(presentService);
        },
      );

      put(
        '/timestamps/:timestampID',
        'timestampID',
        EITHER_SIDE,
        ZTimestampBody,
        'Send a Timestamp (immutable; REQ from the consumer; EST, PLN, ACT from the provider; a cargo start ACT goes through the pratique interlock)',
        putTimestamp,
      );
      get(
        '/timestamps',
        "Timestamps matching the filters (timestampID or portCallServiceID): those received and the provider's own, derived from the PortCluster call",
        query({ portCallServiceID: ZUuid, timestampID: ZUuid, classifierCode: Type.Enum(CLASSIFIER_CODES) }),
        ZTimestamp,
        async (req) => {
          const q = req.query as TimestampQuery;
          requireFilter(q, ['timestampID', 'portCallServiceID']);
          return listTimestamps(deps.db, q, requirePrincipal(req));
        },
      );

      put(
        '/vessel-statuses/:portCallServiceID',
        'portCallServiceID',
        CONSUMERS,
        ZVesselStatusBody,
        'Send the Vessel Status for a Port Call Service',
        putVesselStatus,
      );
      get(
        '/vessel-statuses',
        'Vessel Statuses of a Port Call Service, newest first',
        Type.Object({ portCallServiceID: ZUuid }, { additionalProperties: false }),
        ZVesselStatus,
        async (req) => {
          const { portCallServiceID } = req.query as { portCallServiceID: string };
          if ((await findService(deps.db, portCallServiceID, requirePrincipal(req))) === undefined) {
            return [];
          }
          return vesselStatuses(deps.db, portCallServiceID);
        },
      );
    },
    { prefix: DCSA_JIT_PREFIX },
  );
};
