import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAllowed, type Access } from '../src/auth/access.ts';
import { ROLES, type Role } from '../src/auth/roles.ts';
import { containerCheckDigit, imoCheckDigit } from '../src/core/codes.ts';
import { inTransaction } from '../src/db/tx.ts';
import { SYSTEM_ACTOR } from '../src/events/event-log.ts';
import { openAlert } from '../src/modules/alerts/index.ts';
import { recordQuarantineOutcome } from '../src/modules/port-calls/index.ts';
import { HEALTH_QUESTIONS } from '../src/modules/quarantine/index.ts';
import { createEntity, ENTITIES, entitySpec, type EntityName } from '../src/modules/registry/index.ts';
import { loadReferenceData } from '../src/seed/load-reference-data.ts';
import {
  createTestApp,
  login,
  seedTenants,
  TEST_PASSWORD,
  type Tenant,
  type TenantOrgs,
  type TenantUsers,
  type TestContext,
} from './app.ts';

/**
 * Walks every route of the OpenAPI document × every role × a resource of the caller's own
 * tenant and of the other tenant, and checks the outcome the route's declared policy promises:
 * 401 without credentials, 403 for a role outside the policy, success on its own data, 404 on
 * another tenant's record, and no other tenant's identifiers in any list. A route without a
 * declared policy, or without a fixture here, fails.
 */

type Call = {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** The path names a record belonging to `owner` (so another tenant must get 404). */
  tenantRecord?: boolean;
};
type FixtureArgs = { role: Role; caller: Tenant; owner: Tenant; token: string };
type Fixture = (a: FixtureArgs) => Promise<Call>;

let ctx: TestContext;
let orgs: TenantOrgs;
let users: TenantUsers;
const tokens = { A: {}, B: {} } as Record<Tenant, Record<Role, string>>;
const enterpriseOf = {} as Record<Tenant, string>;
const anyIdOf = new Map<EntityName, string>();
/** Identifiers that must never appear in another tenant's responses. */
const markers = { A: new Set<string>(), B: new Set<string>() } as Record<Tenant, Set<string>>;
let counter = 0;
const next = (): number => {
  counter += 1;
  return counter;
};
const other = (t: Tenant): Tenant => (t === 'A' ? 'B' : 'A');
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const letters3 = (n: number): string => `${LETTERS[Math.floor(n / 676) % 26]}${LETTERS[Math.floor(n / 26) % 26]}${LETTERS[n % 26]}`;

const inject = (method: string, url: string, token: string | null, body?: unknown, query?: Record<string, string>) =>
  ctx.app.inject({
    method: method as 'GET',
    url,
    ...(query !== undefined ? { query } : {}),
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      // a Buffer body is a raw file (EDIFACT uploads)
      ...(Buffer.isBuffer(body) ? { 'content-type': 'application/edifact' } : {}),
    },
    ...(body !== undefined ? { payload: body as object } : {}),
  });

/** A fresh valid value for an entity's natural-key fields, so creates never clash. */
const uniqueValues = (name: EntityName): Record<string, unknown> => {
  const n = next() + 100;
  switch (name) {
    case 'customs-offices':
      return { code: String(7000 + n) };
    case 'regulatory-codes':
    case 'code-aliases':
      return { portCode: `CN${letters3(n)}` };
    case 'ports':
      return { locode: `CN${letters3(n)}` };
    case 'vessels': {
      const six = String(200000 + n);
      return { imo: `${six}${imoCheckDigit(six)}` };
    }
    case 'enterprises':
      return { customsRegCode: String(3700000000 + n) };
    case 'affected-areas':
      return { code: `ZZ${letters3(n)}` };
    default:
      return { code: `T${n}` };
  }
};

/** A body built from an existing record of the entity with new natural-key values. */
const entityBody = async (name: EntityName, extra: Record<string, unknown>): Promise<Record<string, unknown>> => {
  const id = anyIdOf.get(name) as string;
  const spec = entitySpec(name);
  const res = await inject('GET', `/api/v1/${name}/${id}`, tokens.A.admin);
  const current = res.json() as Record<string, unknown>;
  const body: Record<string, unknown> = {};
  for (const f of Object.keys(spec.fields)) {
    body[f] = current[f];
  }
  return { ...body, ...uniqueValues(name), ...extra };
};

const listFixture: Fixture = async () => ({});

const fixtures = new Map<string, Fixture>();
const def = (method: string, path: string, f: Fixture): void => {
  fixtures.set(`${method} ${path}`, f);
};

def('GET', '/healthz', listFixture);
def('GET', '/readyz', listFixture);
def('POST', '/api/v1/auth/login', async ({ role, owner }) => ({
  body: { username: users[owner][role].username, password: TEST_PASSWORD },
}));
def('GET', '/api/v1/me', listFixture);
def('GET', '/api/v1/organisations', listFixture);
def('GET', '/api/v1/organisations/{id}', async ({ role, owner }) => ({
  params: { id: users[owner][role].orgId },
  tenantRecord: true,
}));
def('POST', '/api/v1/organisations', async () => ({
  body: { code: `ORG-${next()}`, nameZh: '新组织', nameEn: 'New org', kind: 'agency' },
}));
def('GET', '/api/v1/users', listFixture);
def('POST', '/api/v1/users', async ({ owner }) => ({
  body: { orgId: orgs[owner].agency.id, username: `user-${next()}`, displayName: 'New', role: 'agent', password: 'long enough password' },
}));
def('GET', '/api/v1/api-keys', listFixture);
def('POST', '/api/v1/api-keys', async () => ({ body: { name: `key ${next()}` } }));
def('DELETE', '/api/v1/api-keys/{id}', async ({ role, owner }) => {
  const res = await inject('POST', '/api/v1/api-keys', tokens[owner][role], { name: `to revoke ${next()}` });
  return { params: { id: (res.json() as { id: string }).id }, tenantRecord: true };
});
def('GET', '/api/v1/events', listFixture);
def('GET', '/api/v1/webhooks', listFixture);
def('POST', '/api/v1/webhooks', async () => ({ body: { url: 'http://127.0.0.1:9/hook', eventTypes: ['*'] } }));
const ownedSubscription: Fixture = async ({ role, owner }) => {
  const res = await inject('POST', '/api/v1/webhooks', tokens[owner][role], {
    url: 'http://127.0.0.1:9/hook',
    eventTypes: ['registry.port-created'],
  });
  return { params: { id: (res.json() as { id: string }).id }, tenantRecord: true };
};
def('DELETE', '/api/v1/webhooks/{id}', ownedSubscription);
def('GET', '/api/v1/webhooks/{id}/deliveries', ownedSubscription);
def('GET', '/api/v1/codes/resolve', async () => ({ query: { portCode: 'CNQWG', customsCode: '4258', date: '2024-01-01' } }));
def('GET', '/api/v1/berths/{id}/code', async () => ({ params: { id: anyIdOf.get('berths') as string } }));
def('GET', '/api/v1/hs-codes', async () => ({ query: { prefix: '26' } }));
def('GET', '/api/v1/hs-codes/{code}', async () => ({ params: { code: '2601' } }));

for (const spec of ENTITIES.values()) {
  const base = `/api/v1/${spec.name}`;
  const record: Fixture = async ({ owner }) =>
    spec.name === 'enterprises'
      ? { params: { id: enterpriseOf[owner] }, tenantRecord: true }
      : { params: { id: anyIdOf.get(spec.name) as string } };
  def('GET', base, listFixture);
  def('GET', `${base}/{id}`, record);
  def('GET', `${base}/{id}/history`, record);
  def('POST', base, async () => ({ body: await entityBody(spec.name, { validFrom: '2025-01-01' }) }));
  def('PUT', `${base}/{id}`, async () => {
    const id = anyIdOf.get(spec.name) as string;
    const body = await entityBody(spec.name, {});
    // Keep the entity's own natural key: this is a new version of it, not a new entity.
    const current = (await inject('GET', `${base}/${id}`, tokens.A.admin)).json() as Record<string, unknown>;
    for (const f of spec.unique) {
      body[f] = current[f];
    }
    const day = String((next() % 27) + 1).padStart(2, '0');
    return { params: { id }, body: { ...body, validFrom: `2031-01-${day}` } };
  });
}

// Port calls: a fresh call of the owner's tenant, walked by its own agent and terminal to the
// state the step needs (roles the policy refuses get any id: they never reach the lookup).
const portOf = {} as Record<Tenant, { locode: string; code: { portCode: string; customsCode: string }; berths: [string, string] }>;
const anyCallOf = {} as Record<Tenant, string>;
const callBody = (t: Tenant): Record<string, unknown> => ({
  portLocode: portOf[t].locode,
  declaredCode: portOf[t].code,
  vessel: { imo: '1001037', draftM: 12 },
  voyage: `V${next()}`,
  lastPort: 'KRPUS',
  lastPortDeparture: '2026-11-02T00:00:00Z',
  eta: '2026-11-03T00:00:00Z',
  etd: '2026-11-05T00:00:00Z',
  purpose: 'cargo',
  cargoType: 'container',
  crewCount: 20,
  dangerousGoods: false,
});
const walk = async (owner: Tenant, to: string): Promise<string> => {
  const p = portOf[owner];
  const agent = tokens[owner].agent;
  const terminal = tokens[owner]['terminal-operator'];
  const res = await inject('POST', '/api/v1/port-calls', agent, callBody(owner));
  const id = (res.json() as { id: string }).id;
  markers[owner].add(id);
  const go = async (token: string, step: string, body: Record<string, unknown>): Promise<void> => {
    const r = await inject('POST', `/api/v1/port-calls/${id}/${step}`, token, body);
    if (r.statusCode !== 200) {
      throw new Error(`fixture step ${step}: ${r.statusCode} ${r.body}`);
    }
  };
  const order = ['pre-reported', 'arrived', 'berthed', 'pratique', 'cargo-started', 'departure-reported'];
  const reach = (state: string): boolean => order.indexOf(to) >= order.indexOf(state);
  if (reach('arrived')) {
    await go(terminal, 'berth-plan', { berthId: p.berths[0], start: '2026-11-03T02:00:00Z', end: '2026-11-04T02:00:00Z' });
    await go(agent, 'arrival', { at: '2026-11-03T00:00:00Z', place: 'anchorage' });
  }
  if (reach('berthed')) {
    await go(terminal, 'berthing', { at: '2026-11-03T02:00:00Z' });
  }
  if (reach('pratique')) {
    await inTransaction(ctx.db, (trx) =>
      recordQuarantineOutcome(trx, ctx.clock, id, SYSTEM_ACTOR, { mode: 'telecom', pratiqueGrantedAt: new Date('2026-11-03T01:00:00Z') }),
    );
  }
  if (reach('cargo-started')) {
    await go(terminal, 'cargo-operations/start', { at: '2026-11-03T03:00:00Z' });
  }
  if (to === 'departure-reported') {
    await go(agent, 'departure-report', { etd: '2026-11-04T06:00:00Z' });
  }
  return id;
};
const STEP_FIXTURES: [string, string, readonly Role[], (o: Tenant) => Record<string, unknown>][] = [
  ['confirmation', 'pre-reported', ['agent', 'admin'], () => ({})],
  ['arrival', 'pre-reported', ['agent', 'terminal-operator', 'admin'], () => ({ at: '2026-11-03T00:00:00Z', place: 'anchorage' })],
  [
    'berth-plan',
    'pre-reported',
    ['terminal-operator', 'admin'],
    (o) => ({ berthId: portOf[o].berths[1], start: '2026-11-03T02:00:00Z', end: '2026-11-03T20:00:00Z' }),
  ],
  ['berthing', 'arrived', ['terminal-operator', 'admin'], () => ({ at: '2026-11-03T02:00:00Z' })],
  ['berth-shifts', 'berthed', ['terminal-operator', 'admin'], (o) => ({ at: '2026-11-03T05:00:00Z', berthId: portOf[o].berths[1] })],
  ['cargo-operations/start', 'pratique', ['terminal-operator', 'admin'], () => ({ at: '2026-11-03T03:00:00Z' })],
  ['cargo-operations/complete', 'cargo-started', ['terminal-operator', 'admin'], () => ({ at: '2026-11-03T20:00:00Z' })],
  ['departure-report', 'berthed', ['agent', 'admin'], () => ({ etd: '2026-11-04T06:00:00Z' })],
  ['departure', 'departure-reported', ['agent', 'terminal-operator', 'admin'], () => ({ at: '2026-11-04T06:00:00Z' })],
  ['cancellation', 'pre-reported', ['agent', 'admin'], () => ({ reason: 'voyage omitted' })],
];
def('GET', '/api/v1/port-calls', listFixture);
def('GET', '/api/v1/port-calls/kpis', listFixture);
def('GET', '/api/v1/port-calls/{id}', async ({ owner }) => ({ params: { id: anyCallOf[owner] }, tenantRecord: true }));
// A new call is filed at the caller's own port: a call at another tenant's port is shared with it by design.
def('POST', '/api/v1/port-calls', async ({ caller }) => ({ body: callBody(caller) }));
for (const [step, state, roles, body] of STEP_FIXTURES) {
  def('POST', `/api/v1/port-calls/{id}/${step}`, async ({ role, owner }) => ({
    params: { id: roles.includes(role) ? await walk(owner, state) : anyCallOf[owner] },
    body: body(owner),
    tenantRecord: true,
  }));
}

// Quarantine: a case on a fresh call of the owner's tenant, taken by its own officer to the state a step needs.
const NO_ANSWERS = Object.fromEntries(HEALTH_QUESTIONS.map((q) => [q, false]));
const healthBody = {
  healthDeclaration: { master: 'Master', answers: NO_ANSWERS },
  sanitationCertificate: { number: 'SC-1', issuedOn: '2026-06-01', issuedAt: 'CNTAO' },
  crewHealth: { feverCount: 0, illCount: 0 },
};
const anyCaseOf = {} as Record<Tenant, { caseId: string; callId: string }>;
const caseIn = async (owner: Tenant, mode: string | null, session = false): Promise<string> => {
  const callId = await walk(owner, 'pre-reported');
  const res = await inject('POST', `/api/v1/port-calls/${callId}/quarantine`, tokens[owner].agent, healthBody);
  const id = (res.json() as { id: string }).id;
  markers[owner].add(id);
  const officer = tokens[owner]['customs-officer'];
  if (mode !== null) {
    await inject('POST', `/api/v1/quarantine-cases/${id}/mode`, officer, { mode });
  }
  if (session) {
    await inject('POST', `/api/v1/quarantine-cases/${id}/remote-session`, officer, { at: '2026-11-03T00:00:00Z' });
  }
  return id;
};
const CASE_STEPS: [string, string | null, boolean, Record<string, unknown>][] = [
  ['mode', null, false, { mode: 'berth' }],
  ['remote-session', 'smart-remote', false, { at: '2026-11-03T00:00:00Z' }],
  ['remote-findings', 'smart-remote', true, { temperatures: [{ person: 'Master', celsius: 36.5 }] }],
  ['escalation', 'smart-remote', true, { reason: 'video unclear', at: '2026-11-03T01:00:00Z' }],
  ['boarding', 'anchorage', false, { at: '2026-11-03T00:00:00Z' }],
  ['pratique', 'telecom', false, { at: '2026-11-03T00:00:00Z' }],
];
const OFFICERS: readonly Role[] = ['customs-officer', 'admin'];
for (const [step, mode, session, body] of CASE_STEPS) {
  def('POST', `/api/v1/quarantine-cases/{id}/${step}`, async ({ role, owner }) => ({
    params: { id: OFFICERS.includes(role) ? await caseIn(owner, mode, session) : anyCaseOf[owner].caseId },
    body,
    tenantRecord: true,
  }));
}
def('POST', '/api/v1/port-calls/{id}/quarantine', async ({ role, owner }) => ({
  params: { id: (['agent', 'admin'] as Role[]).includes(role) ? await walk(owner, 'pre-reported') : anyCallOf[owner] },
  body: healthBody,
  tenantRecord: true,
}));
def('GET', '/api/v1/port-calls/{id}/quarantine', async ({ owner }) => ({ params: { id: anyCaseOf[owner].callId }, tenantRecord: true }));
def('GET', '/api/v1/quarantine-cases', listFixture);
def('GET', '/api/v1/quarantine-cases/{id}', async ({ owner }) => ({ params: { id: anyCaseOf[owner].caseId }, tenantRecord: true }));
def('GET', '/api/v1/quarantine/kpis', listFixture);
def('GET', '/api/v1/quarantine/rule-sets', listFixture);
def('GET', '/api/v1/quarantine/rule-sets/active', listFixture);
def('POST', '/api/v1/quarantine/rule-sets', async () => ({
  body: {
    document: ((await inject('GET', '/api/v1/quarantine/rule-sets/active', tokens.A.admin)).json() as { document: unknown }).document,
  },
}));

// Berth plans: proposed by the owner's terminal planner for the owner's port.
const anyPlanOf = {} as Record<Tenant, string>;
const planIn = async (owner: Tenant): Promise<string> => {
  const res = await inject('POST', '/api/v1/berth-plans', tokens[owner]['terminal-operator'], {
    portLocode: portOf[owner].locode,
    timeLimitSeconds: 1,
  });
  const id = (res.json() as { id: string }).id;
  markers[owner].add(id);
  return id;
};
def('POST', '/api/v1/berth-plans', async ({ caller }) => ({ body: { portLocode: portOf[caller].locode, timeLimitSeconds: 1 } }));
def('GET', '/api/v1/berth-plans', listFixture);
def('GET', '/api/v1/berth-plans/{id}', async ({ owner }) => ({ params: { id: anyPlanOf[owner] }, tenantRecord: true }));
const closureIn = async (owner: Tenant): Promise<string> => {
  const res = await inject('POST', '/api/v1/berth-closures', tokens[owner]['terminal-operator'], {
    berthId: portOf[owner].berths[1],
    startsAt: '2026-12-01T00:00:00Z',
    endsAt: '2026-12-01T06:00:00Z',
    reason: 'maintenance',
  });
  const id = (res.json() as { id: string }).id;
  markers[owner].add(id);
  return id;
};
def('POST', '/api/v1/berth-closures', async ({ caller }) => ({
  body: { berthId: portOf[caller].berths[1], startsAt: '2026-12-02T00:00:00Z', endsAt: '2026-12-02T06:00:00Z', reason: 'maintenance' },
}));
def('GET', '/api/v1/berth-closures', listFixture);
def('DELETE', '/api/v1/berth-closures/{id}', async ({ role, owner }) => ({
  params: { id: (['terminal-operator', 'admin'] as Role[]).includes(role) ? await closureIn(owner) : 'bclose_none' },
  tenantRecord: true,
}));
def('POST', '/api/v1/berth-plans/{id}/acceptance', async ({ role, owner }) => ({
  params: { id: (['terminal-operator', 'admin'] as Role[]).includes(role) ? await planIn(owner) : anyPlanOf[owner] },
  body: {},
  tenantRecord: true,
}));

// Cargo: manifests are filed on a call of the owner's tenant whose berth the owner's terminal
// has planned, by the owner's agent (or, for the terminal's own kinds, by its terminal); each
// carries one fresh box, so the box visits and events are the owner's too.
const freshBox = (): string => {
  const first10 = `PCL${'U'}${String(100000 + next()).slice(-6)}`;
  return `${first10}${containerCheckDigit(first10)}`;
};
const cargoCallOf = {} as Record<Tenant, string>;
const anyManifestOf = {} as Record<Tenant, string>;
const anyBoxOf = {} as Record<Tenant, { id: string; number: string }>;
const manifestBody = (t: Tenant, role: Role) => ({
  kind: role === 'terminal-operator' ? 'export-arrival-report' : 'import-original',
  portCallId: cargoCallOf[t],
  documentNumber: `MF-${next()}`,
  bills: [],
  equipment: [{ number: freshBox(), fullness: 'full' }],
});
const manifestIn = async (owner: Tenant, role: Role = 'agent'): Promise<string> => {
  const res = await inject('POST', '/api/v1/manifests', tokens[owner][role], manifestBody(owner, role));
  if (res.statusCode !== 201) {
    throw new Error(`manifest fixture: ${res.statusCode} ${res.body}`);
  }
  const id = (res.json() as { id: string }).id;
  markers[owner].add(id);
  return id;
};
const FILER_ROLES: Role[] = ['agent', 'terminal-operator', 'admin'];
def('POST', '/api/v1/manifests', async ({ role, caller }) => ({ body: manifestBody(caller, role) }));
def('GET', '/api/v1/manifests', listFixture);
def('GET', '/api/v1/manifests/{id}', async ({ owner }) => ({ params: { id: anyManifestOf[owner] }, tenantRecord: true }));
def('GET', '/api/v1/manifests/{id}/versions/{version}', async ({ owner }) => ({
  params: { id: anyManifestOf[owner], version: '1' },
  tenantRecord: true,
}));
def('POST', '/api/v1/manifests/{id}/amendments', async ({ role, owner }) => {
  const id = FILER_ROLES.includes(role) ? await manifestIn(owner, role) : anyManifestOf[owner];
  const current = (await inject('GET', `/api/v1/manifests/${id}`, tokens[owner].admin)).json() as { document: Record<string, unknown> };
  return { params: { id }, body: { expectedVersion: 1, reason: 'fixture', ...current.document }, tenantRecord: true };
});
def('POST', '/api/v1/manifests/{id}/deletion', async ({ role, owner }) => ({
  params: { id: FILER_ROLES.includes(role) ? await manifestIn(owner, role) : anyManifestOf[owner] },
  body: { reason: 'fixture' },
  tenantRecord: true,
}));
def('GET', '/api/v1/containers', listFixture);
def('GET', '/api/v1/containers/{id}', async ({ owner }) => ({ params: { id: anyBoxOf[owner].id }, tenantRecord: true }));
def('POST', '/api/v1/container-events', async ({ role, caller }) => ({
  body: {
    events: [
      {
        eventId: `E-${next()}`,
        kind: role === 'customs-officer' ? 'customs-hold' : 'yard-move',
        containerNumber: anyBoxOf[caller].number,
        occurredAt: '2026-11-01T07:00:00Z',
      },
    ],
  },
}));

// EDIFACT: a small interchange of our own (a stowage plan of one fresh box), so every upload
// imports and stores something of the caller's organisation.
const baplie = (): Buffer => {
  const lines = [
    "UNB+UNOC:3+SENDER+PORTCLUSTER+261101:0800+1'",
    "UNH+1+BAPLIE:D:95B:UN:SMDG20'",
    "BGM++B1+9'",
    "TDT+20+V1+++++1001037:146:11:QILU DEMO EXPRESS'",
    "LOC+147+0010082::5'",
    `EQD+CN+${freshBox()}+22G1+++5'`,
    "UNT+6+1'",
    "UNZ+1+1'",
  ];
  return Buffer.from(lines.join(''));
};
// by uploader: the agent's own, and the terminal's (which customs of its district see too)
const anyInterchangeOf = {} as Record<Tenant, { agent: string; terminal: string }>;
def('POST', '/api/v1/edifact/interchanges', async () => ({ body: baplie() }));
def('GET', '/api/v1/edifact/interchanges', listFixture);
def('GET', '/api/v1/edifact/interchanges/{id}', async ({ role, owner }) => ({
  params: { id: role === 'agent' ? anyInterchangeOf[owner].agent : anyInterchangeOf[owner].terminal },
  tenantRecord: true,
}));
def('GET', '/api/v1/containers/{id}/iftsta', async ({ owner }) => ({ params: { id: anyBoxOf[owner].id }, tenantRecord: true }));

// DCSA Port Call (JIT) 2.0 under /api/dcsa/jit/v2: a chain (port call → terminal call → BERTH
// service → a REQ from the agent and an EST from the terminal) at the owner's port, sent by the
// owner's own agent and terminal. Final actions (omit, cancel, decline) get a fresh chain; the
// PUTs resend a record's own body (204, nothing changes), so another tenant must get 404.
const JIT = '/api/dcsa/jit/v2';
type JitChain = { pc: string; tc: string; svc: string; req: Record<string, unknown>; est: Record<string, unknown> };
const jitPortCall = (t: Tenant, id: string) => ({
  portCallID: id,
  UNLocationCode: portOf[t].locode,
  vessel: { vesselIMONumber: '1001037' },
});
const jitTerminalCall = (id: string, pc: string) => ({
  terminalCallID: id,
  portCallID: pc,
  carrierServiceName: 'Test Loop',
  carrierServiceCode: 'TL1',
});
const jitService = (t: Tenant, id: string, tc: string) => ({
  terminalCallID: tc,
  portCallServiceID: id,
  portCallServiceTypeCode: 'BERTH',
  portCallServiceEventTypeCode: 'ARRI',
  portCallServiceLocation: { UNLocationCode: portOf[t].locode },
});
const jitChain = async (owner: Tenant): Promise<JitChain> => {
  const [pc, tc, svc, req, est] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const send = async (token: string, path: string, body: unknown): Promise<void> => {
    const r = await inject('PUT', `${JIT}${path}`, token, body);
    if (r.statusCode !== 204) {
      throw new Error(`JIT fixture ${path}: ${r.statusCode} ${r.body}`);
    }
  };
  const chain: JitChain = {
    pc,
    tc,
    svc,
    req: { timestampID: req, portCallServiceID: svc, classifierCode: 'REQ', dateTime: '2026-11-03T08:00:00+08:00' },
    est: { timestampID: est, portCallServiceID: svc, classifierCode: 'EST', dateTime: '2026-11-03T09:00:00+08:00' },
  };
  await send(tokens[owner].agent, `/port-calls/${pc}`, jitPortCall(owner, pc));
  await send(tokens[owner].agent, `/terminal-calls/${tc}`, jitTerminalCall(tc, pc));
  await send(tokens[owner].agent, `/port-call-services/${svc}`, jitService(owner, svc, tc));
  await send(tokens[owner].agent, `/timestamps/${req}`, chain.req);
  await send(tokens[owner]['terminal-operator'], `/timestamps/${est}`, chain.est);
  for (const id of [pc, tc, svc, req, est]) {
    markers[owner].add(id);
  }
  return chain;
};
const anyJitOf = {} as Record<Tenant, JitChain>;
const anyJit = async (t: Tenant): Promise<JitChain> => (anyJitOf[t] ??= await jitChain(t));
const JIT_CONSUMERS: readonly Role[] = ['agent', 'admin'];
const JIT_EITHER: readonly Role[] = ['agent', 'terminal-operator', 'admin'];
const JIT_PROVIDERS: readonly Role[] = ['terminal-operator', 'admin'];
const defJit = (method: string, path: string, f: Fixture): void => {
  def(method, `${JIT}${path}`, f);
};
defJit('PUT', '/port-calls/{portCallID}', async ({ owner }) => {
  const { pc } = await anyJit(owner);
  return { params: { portCallID: pc }, body: jitPortCall(owner, pc), tenantRecord: true };
});
defJit('PUT', '/terminal-calls/{terminalCallID}', async ({ owner }) => {
  const { pc, tc } = await anyJit(owner);
  return { params: { terminalCallID: tc }, body: jitTerminalCall(tc, pc), tenantRecord: true };
});
defJit('PUT', '/port-call-services/{portCallServiceID}', async ({ owner }) => {
  const { tc, svc } = await anyJit(owner);
  return { params: { portCallServiceID: svc }, body: jitService(owner, svc, tc), tenantRecord: true };
});
defJit('PUT', '/timestamps/{timestampID}', async ({ role, owner }) => {
  const ts = role === 'agent' ? (await anyJit(owner)).req : (await anyJit(owner)).est;
  return { params: { timestampID: ts.timestampID as string }, body: ts, tenantRecord: true };
});
defJit('PUT', '/vessel-statuses/{portCallServiceID}', async ({ owner }) => {
  const { svc } = await anyJit(owner);
  return { params: { portCallServiceID: svc }, body: { portCallServiceID: svc, draft: 12.5, dimensionUnit: 'MTR' }, tenantRecord: true };
});
const finalJit =
  (roles: readonly Role[], pick: (c: JitChain) => Record<string, string>): Fixture =>
  async ({ role, owner }) => ({
    params: pick(roles.includes(role) ? await jitChain(owner) : await anyJit(owner)),
    body: { reason: 'access-policy fixture' },
    tenantRecord: true,
  });
defJit(
  'POST',
  '/port-calls/{portCallID}/omit',
  finalJit(JIT_EITHER, (c) => ({ portCallID: c.pc })),
);
defJit(
  'POST',
  '/terminal-calls/{terminalCallID}/omit',
  finalJit(JIT_EITHER, (c) => ({ terminalCallID: c.tc })),
);
defJit(
  'POST',
  '/port-call-services/{portCallServiceID}/cancel',
  finalJit(JIT_PROVIDERS, (c) => ({ portCallServiceID: c.svc })),
);
defJit(
  'POST',
  '/port-call-services/{portCallServiceID}/decline',
  finalJit(JIT_CONSUMERS, (c) => ({ portCallServiceID: c.svc })),
);
// Lists answer 200 with the caller's own records (filters are mandatory in the spec).
defJit('GET', '/port-calls', async ({ caller }) => ({ query: { UNLocationCode: portOf[caller].locode } }));
defJit('GET', '/terminal-calls', async ({ caller }) => ({ query: { portCallID: (await anyJit(caller)).pc } }));
defJit('GET', '/port-call-services', async ({ caller }) => ({ query: { terminalCallID: (await anyJit(caller)).tc } }));
defJit('GET', '/timestamps', async ({ caller }) => ({ query: { portCallServiceID: (await anyJit(caller)).svc } }));
defJit('GET', '/vessel-statuses', async ({ caller }) => ({ query: { portCallServiceID: (await anyJit(caller)).svc } }));

// Declarations: each tenant's trader declares a bill of a manifest on the tenant's own arrived call.
// A sensitive word in the description keeps each one in the officer's queue (received, L) under the
// demo risk rules, so amendments, withdrawals and officer actions have a declaration that allows them.
const DECLARANT_ROLES: Role[] = ['declarant', 'admin'];
const declBillOf = {} as Record<Tenant, { number: string; box: string }>;
const anyDeclarationOf = {} as Record<Tenant, string>;
const declarationBody = (t: Tenant, over: Record<string, unknown> = {}) => ({
  direction: 'import',
  procedure: 'standard',
  enterpriseCode: t === 'A' ? '3702990001' : '4101990001',
  customsCode: t === 'A' ? '4218' : '8801',
  transport: { mode: '2', billNumber: declBillOf[t].number, containerNumbers: [declBillOf[t].box] },
  tradeMode: '0110',
  transactionTerms: 'CIF',
  tradeCountry: 'KR',
  packages: 10,
  packageType: 'CT',
  grossKg: 1_000,
  netKg: 900,
  currency: 'CNY',
  items: [
    { hsCode: '1201900000', description: 'soybeans, dual-use test lot', quantity: 900, unit: 'KG', netKg: 900, value: 4_000, origin: 'KR' },
  ],
  ...over,
});
const declarationIn = async (owner: Tenant, over: Record<string, unknown> = {}): Promise<string> => {
  const res = await inject('POST', '/api/v1/declarations', tokens[owner].declarant, declarationBody(owner, over));
  if (res.statusCode !== 201) {
    throw new Error(`declaration fixture: ${res.statusCode} ${res.body}`);
  }
  const id = (res.json() as { id: string }).id;
  markers[owner].add(id);
  return id;
};
const declared =
  (roles: Role[], over: Record<string, unknown> = {}): ((a: FixtureArgs) => Promise<string>) =>
  async ({ role, owner }) =>
    roles.includes(role) ? await declarationIn(owner, over) : anyDeclarationOf[owner];
def('POST', '/api/v1/declarations', async ({ caller }) => ({ body: declarationBody(caller) }));
def('GET', '/api/v1/declarations', listFixture);
def('GET', '/api/v1/declarations/queues', listFixture);
def('GET', '/api/v1/declarations/kpis/clearance', listFixture);
for (const sub of ['', '/history', '/cusres', '/manifest-match']) {
  def('GET', `/api/v1/declarations/{id}${sub}`, async ({ owner }) => ({ params: { id: anyDeclarationOf[owner] }, tenantRecord: true }));
}
def('POST', '/api/v1/declarations/{id}/amendments', async (a) => ({
  params: { id: await declared(DECLARANT_ROLES)(a) },
  body: { document: declarationBody(a.owner) },
  tenantRecord: true,
}));
const twoStep = { procedure: 'two-step', summary: { prohibitedOrRestricted: false, statutoryInspection: false, taxable: false } };
def('POST', '/api/v1/declarations/{id}/complete-declaration', async (a) => ({
  params: { id: await declared(DECLARANT_ROLES, twoStep)(a) },
  body: { document: declarationBody(a.owner, twoStep) },
  tenantRecord: true,
}));
def('POST', '/api/v1/declarations/{id}/withdrawal', async (a) => ({
  params: { id: await declared(DECLARANT_ROLES)(a) },
  body: { reason: 'fixture' },
  tenantRecord: true,
}));
def('POST', '/api/v1/declarations/{id}/actions/{command}', async (a) => ({
  params: { id: await declared(['customs-officer', 'admin'])(a), command: 'review' },
  body: {},
  tenantRecord: true,
}));

// Risk rules: customs only; publishing and dry runs take the version in force as the draft.
const currentRiskRules = async (): Promise<unknown> =>
  ((await inject('GET', '/api/v1/risk/rule-sets/current', tokens.A.admin)).json() as { document: unknown }).document;
def('GET', '/api/v1/risk/rule-sets', listFixture);
def('GET', '/api/v1/risk/rule-sets/current', listFixture);
def('POST', '/api/v1/risk/rule-sets', async () => ({ body: { document: await currentRiskRules() } }));
def('POST', '/api/v1/risk/rule-sets/dry-run', async () => ({ body: { document: await currentRiskRules() } }));

// Customs instructions: about the tenant's own box, each newer than the last (older ones are refused).
const anyInstructionOf = {} as Record<Tenant, string>;
let sendSeconds = 0;
const instructionBody = (t: Tenant) => {
  sendSeconds += 1;
  return {
    scope: 'container',
    subject: anyBoxOf[t].number,
    portCallId: cargoCallOf[t],
    code: '2',
    sendTime: new Date(Date.UTC(2026, 9, 31, 0, 0, sendSeconds)).toISOString(),
  };
};
const instructionIn = async (owner: Tenant): Promise<string> => {
  const res = await inject('POST', '/api/v1/customs-instructions', tokens[owner]['customs-officer'], instructionBody(owner));
  if (res.statusCode !== 201) {
    throw new Error(`instruction fixture: ${res.statusCode} ${res.body}`);
  }
  const id = (res.json() as { id: string }).id;
  markers[owner].add(id);
  return id;
};
def('POST', '/api/v1/customs-instructions', async ({ caller }) => ({ body: instructionBody(caller) }));
def('GET', '/api/v1/customs-instructions', listFixture);
def('GET', '/api/v1/customs-instructions/{id}', async ({ owner }) => ({ params: { id: anyInstructionOf[owner] }, tenantRecord: true }));
def('POST', '/api/v1/customs-instructions/{id}/acknowledgement', async ({ role, owner }) => ({
  params: { id: (['terminal-operator', 'admin'] as Role[]).includes(role) ? await instructionIn(owner) : anyInstructionOf[owner] },
  body: { status: 'applied' },
  tenantRecord: true,
}));
def('POST', '/api/v1/gate-checks', async ({ caller }) => ({ body: { containerNumber: anyBoxOf[caller].number, move: 'gate-out' } }));

// Alerts: one per tenant naming every organisation of the tenant, so each role has it in its list.
const anyAlertOf = {} as Record<Tenant, string>;
const alertIn = async (owner: Tenant): Promise<string> => {
  const { id } = await inTransaction(ctx.db, (trx) =>
    openAlert(trx, ctx.clock, {
      ruleId: 'access-fixture',
      ruleVersion: null,
      severity: 'warning',
      subjectType: 'container',
      subjectId: `fixture-${next()}`,
      subjectLabel: 'fixture',
      districtCode: owner === 'A' ? '4200' : '8800',
      orgIds: Object.entries(orgs[owner])
        .filter(([kind]) => kind !== 'customs' && kind !== 'platform')
        .map(([, o]) => o.id),
      detail: {},
    }),
  );
  markers[owner].add(id);
  return id;
};
const ALERT_ACTORS: Role[] = ['customs-officer', 'terminal-operator', 'declarant', 'agent', 'admin'];
def('GET', '/api/v1/alerts', listFixture);
def('GET', '/api/v1/alerts/{id}', async ({ owner }) => ({ params: { id: anyAlertOf[owner] }, tenantRecord: true }));
def('POST', '/api/v1/alerts/{id}/acknowledgement', async ({ role, owner }) => ({
  params: { id: ALERT_ACTORS.includes(role) ? await alertIn(owner) : anyAlertOf[owner] },
  body: {},
  tenantRecord: true,
}));
def('POST', '/api/v1/alerts/{id}/resolution', async ({ role, owner }) => ({
  params: { id: ALERT_ACTORS.includes(role) ? await alertIn(owner) : anyAlertOf[owner] },
  body: { resolution: 'fixture' },
  tenantRecord: true,
}));
def('GET', '/api/v1/alerts/rules', listFixture);
def('POST', '/api/v1/alerts/rules', async () => ({
  body: {
    document: ((await inject('GET', '/api/v1/alerts/rules', tokens.A.admin)).json() as { items: { document: unknown }[] }).items.at(-1)
      ?.document,
  },
}));
def('POST', '/api/v1/alerts/evaluation', listFixture);

type Operation = { responses?: Record<string, unknown> };
/** The success a route promises is the one 2xx status its own schema declares. */
const successStatus = (op: Operation | undefined): number | undefined => {
  const ok = Object.keys(op?.responses ?? {}).filter((c) => /^2\d\d$/.test(c));
  return ok.length === 1 ? Number(ok[0]) : undefined;
};

const fill = (path: string, params: Record<string, string> = {}): string =>
  path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const v = params[name];
    if (v === undefined) {
      throw new Error(`fixture gives no value for {${name}} in ${path}`);
    }
    return encodeURIComponent(v);
  });

beforeAll(async () => {
  ctx = await createTestApp();
  ({ orgs, users } = await seedTenants(ctx));
  await loadReferenceData({ db: ctx.db, clock: ctx.clock });
  for (const spec of ENTITIES.values()) {
    const row = await ctx.db.selectFrom(spec.table).select('id').orderBy('id').limit(1).executeTakeFirst();
    if (row !== undefined) {
      anyIdOf.set(spec.name, row.id);
    }
  }
  // Tenant B's customs district and one enterprise per tenant, owned by its trader organisation.
  for (const [code, district] of [
    ['8800', '8800'],
    ['8801', '8800'],
  ] as const) {
    await createEntity({ db: ctx.db, clock: ctx.clock }, entitySpec('customs-offices'), {
      fields: {
        code,
        nameZh: `关 ${code}`,
        nameEn: `Customs ${code}`,
        districtCode: district,
        parentCode: code === district ? null : district,
        kind: code === district ? 'district' : 'office',
      },
      validFrom: '2000-01-01',
      actor: SYSTEM_ACTOR,
    });
  }
  for (const [t, customsCode] of [
    ['A', '4218'],
    ['B', '8801'],
  ] as const) {
    const e = await createEntity({ db: ctx.db, clock: ctx.clock }, entitySpec('enterprises'), {
      fields: {
        customsRegCode: t === 'A' ? '3702990001' : '4101990001',
        nameZh: `${t} 贸易`,
        nameEn: `${t} Trading`,
        customsCreditClass: 'general',
        rebateClass: '2',
        customsCode,
        orgId: orgs[t].enterprise.id,
      },
      validFrom: '2000-01-01',
      actor: SYSTEM_ACTOR,
    });
    enterpriseOf[t] = String(e.id);
  }
  // A port per tenant whose terminal is the tenant's own: Qingdao's QQCT for A, a test port for B.
  await ctx.db.updateTable('terminals').set({ operator_org_id: orgs.A.terminal.id }).where('code', '=', 'QQCT').execute();
  const qqct = await ctx.db.selectFrom('berths').select('id').where('code', 'in', ['QQCT-01', 'QQCT-02']).orderBy('code').execute();
  portOf.A = { locode: 'CNTAO', code: { portCode: 'CNQGD', customsCode: '4218' }, berths: [qqct[0]?.id as string, qqct[1]?.id as string] };
  const make = async (name: EntityName, fields: Record<string, unknown>): Promise<string> =>
    String(
      (await createEntity({ db: ctx.db, clock: ctx.clock }, entitySpec(name), { fields, validFrom: '2000-01-01', actor: SYSTEM_ACTOR })).id,
    );
  await make('regulatory-codes', { portCode: 'CNBBX', customsCode: '8801', nameZh: 'B 口岸', nameEn: 'B port code' });
  const bPort = await make('ports', {
    locode: 'CNBBX',
    nameZh: 'B 港',
    nameEn: 'B port',
    kind: 'seaport',
    province: 'Test',
    lat: null,
    lon: null,
    customsCode: '8801',
  });
  const bArea = await make('port-areas', { portId: bPort, code: 'B-AREA', nameZh: 'B 港区', nameEn: 'B area', lat: null, lon: null });
  const bTerminal = await make('terminals', {
    portAreaId: bArea,
    code: 'B-CT',
    nameZh: 'B 码头',
    nameEn: 'B terminal',
    cargoTypes: ['container'],
    operatorOrgId: orgs.B.terminal.id,
  });
  const bSite = await make('supervision-sites', {
    code: 'B-SITE',
    nameZh: 'B 场所',
    nameEn: 'B site',
    kind: 'container-yard',
    portAreaId: bArea,
    portCode: 'CNBBX',
    customsCode: '8801',
  });
  const bBerths: string[] = [];
  for (const code of ['B-01', 'B-02']) {
    bBerths.push(
      await make('berths', {
        terminalId: bTerminal,
        code,
        nameZh: code,
        nameEn: code,
        lengthM: 400,
        depthM: 18,
        maxDwt: null,
        cargoTypes: ['container'],
        supervisionSiteId: bSite,
      }),
    );
  }
  portOf.B = { locode: 'CNBBX', code: { portCode: 'CNBBX', customsCode: '8801' }, berths: [bBerths[0] as string, bBerths[1] as string] };
  for (const t of ['A', 'B'] as const) {
    for (const role of ROLES) {
      tokens[t][role] = await login(ctx.app, users[t][role].username);
      // Platform administrators act for every tenant; their ids are attribution, not tenant data.
      if (role !== 'admin') {
        markers[t].add(users[t][role].id);
      }
    }
    for (const [kind, o] of Object.entries(orgs[t])) {
      if (kind !== 'platform') {
        markers[t].add(o.id);
      }
    }
    markers[t].add(enterpriseOf[t]);
  }
  for (const t of ['A', 'B'] as const) {
    anyCallOf[t] = await walk(t, 'pre-reported');
    const caseId = await caseIn(t, null);
    const row = await ctx.db.selectFrom('quarantine_cases').select('port_call_id').where('id', '=', caseId).executeTakeFirstOrThrow();
    anyCaseOf[t] = { caseId, callId: row.port_call_id };
    anyPlanOf[t] = await planIn(t);
    cargoCallOf[t] = await walk(t, 'arrived');
    anyManifestOf[t] = await manifestIn(t);
    const boxRow = await ctx.db
      .selectFrom('containers')
      .select(['id', 'number'])
      .where('manifest_id', '=', anyManifestOf[t])
      .executeTakeFirstOrThrow();
    anyBoxOf[t] = boxRow;
    markers[t].add(boxRow.id);
    const byTerminal = await inject('POST', '/api/v1/edifact/interchanges', tokens[t]['terminal-operator'], baplie());
    const byAgent = await inject('POST', '/api/v1/edifact/interchanges', tokens[t].agent, baplie());
    anyInterchangeOf[t] = { terminal: (byTerminal.json() as { id: string }).id, agent: (byAgent.json() as { id: string }).id };
    markers[t].add(anyInterchangeOf[t].terminal);
    markers[t].add(anyInterchangeOf[t].agent);
    const declBox = freshBox();
    declBillOf[t] = { number: `DB-${t}-${next()}`, box: declBox };
    const declManifest = await inject('POST', '/api/v1/manifests', tokens[t].agent, {
      kind: 'import-original',
      portCallId: cargoCallOf[t],
      documentNumber: `MF-DECL-${t}`,
      bills: [
        {
          number: declBillOf[t].number,
          goods: [{ description: 'soybeans', hsCode: '120190', packages: 10, grossKg: 1_000, netKg: 900, equipment: [declBox] }],
        },
      ],
      equipment: [{ number: declBox, fullness: 'full' }],
    });
    if (declManifest.statusCode !== 201) {
      throw new Error(`declaration manifest fixture: ${declManifest.statusCode} ${declManifest.body}`);
    }
    markers[t].add((declManifest.json() as { id: string }).id);
    anyDeclarationOf[t] = await declarationIn(t);
    anyInstructionOf[t] = await instructionIn(t);
    anyAlertOf[t] = await alertIn(t);
  }
}, 180_000);

afterAll(async () => ctx.close());

describe('access policy: every route × every role × own and other tenant', () => {
  it('every route in the OpenAPI document declares a policy and has a fixture', async () => {
    const doc = (await inject('GET', '/openapi.json', null)).json() as { paths: Record<string, Record<string, unknown>> };
    const declared = new Map(ctx.app.routeAccess.map((r) => [`${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`, r.access]));
    const missing: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) {
        const key = `${method.toUpperCase()} ${path}`;
        if (declared.get(key) === undefined) {
          missing.push(`${key}: no declared access policy`);
        }
        if (!fixtures.has(key)) {
          missing.push(`${key}: no fixture in access-policy.int.test.ts`);
        }
      }
    }
    expect(missing).toEqual([]);
    // Routes kept out of the document (the web app, the docs page, the document itself) must be public.
    const documented = new Set(Object.entries(doc.paths).flatMap(([p, ms]) => Object.keys(ms).map((m) => `${m.toUpperCase()} ${p}`)));
    const hiddenNotPublic = [...declared.entries()].filter(([k, a]) => !documented.has(k) && a?.kind !== 'public').map(([k]) => k);
    expect(hiddenNotPublic).toEqual([]);
  });

  it('gives each role exactly its declared outcome on its own and the other tenant', async () => {
    const doc = (await inject('GET', '/openapi.json', null)).json() as { paths: Record<string, Record<string, unknown>> };
    const declared = new Map(ctx.app.routeAccess.map((r) => [`${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`, r.access]));
    const failures: string[] = [];
    let checked = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const m of Object.keys(methods)) {
        const method = m.toUpperCase();
        const key = `${method} ${path}`;
        const access = declared.get(key) as Access;
        const fixture = fixtures.get(key) as Fixture;

        if (access.kind !== 'public') {
          const anon = await fixture({ role: 'admin', caller: 'A', owner: 'A', token: tokens.A.admin });
          const res = await inject(method, fill(path, anon.params), null, anon.body, anon.query);
          if (res.statusCode !== 401) {
            failures.push(`${key} without credentials: ${res.statusCode}, expected 401`);
          }
        }
        for (const role of ROLES) {
          for (const caller of ['A', 'B'] as const) {
            for (const owner of [caller, other(caller)]) {
              const token = tokens[caller][role];
              const call = await fixture({ role, caller, owner, token });
              const res = await inject(method, fill(path, call.params), access.kind === 'public' ? null : token, call.body, call.query);
              checked += 1;
              const who = `${key} as ${role}@${caller} on ${owner === caller ? 'own' : 'other'} tenant`;
              let expected: number;
              if (!isAllowed(access, role)) {
                expected = 403;
              } else if (call.tenantRecord === true && owner !== caller && role !== 'admin') {
                expected = 404;
              } else {
                const ok = successStatus((methods as Record<string, Operation>)[m]);
                if (ok === undefined) {
                  failures.push(`${key}: declares no single 2xx response`);
                  continue;
                }
                expected = ok;
              }
              if (res.statusCode !== expected) {
                failures.push(`${who}: ${res.statusCode}, expected ${expected} — ${res.body.slice(0, 200)}`);
                continue;
              }
              // Whatever it answers, a non-admin never sees the other tenant's identifiers.
              if (role !== 'admin' && access.kind !== 'public' && path !== '/api/v1/auth/login') {
                // An id the caller itself sent may be echoed back (e.g. in a 404 message).
                const sent = JSON.stringify([call.params, call.query, call.body]);
                const leaked = [...markers[other(caller)]].filter((id) => res.body.includes(id) && !sent.includes(id));
                if (leaked.length > 0) {
                  failures.push(`${who}: response leaks ${leaked.join(', ')}`);
                }
              }
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(1000);
  }, 300_000);

  it('an API key acts with its organisation and role, and is scoped the same way', async () => {
    const created = await inject('POST', '/api/v1/api-keys', tokens.A.declarant, { name: 'erp' });
    expect(created.statusCode).toBe(201);
    const key = (created.json() as { key: string }).key;
    const list = await ctx.app.inject({ url: '/api/v1/enterprises', headers: { 'x-api-key': key } });
    expect(list.statusCode).toBe(200);
    expect((list.json() as { items: { id: string }[] }).items.map((e) => e.id)).toEqual([enterpriseOf.A]);
    const other = await ctx.app.inject({ url: `/api/v1/enterprises/${enterpriseOf.B}`, headers: { 'x-api-key': key } });
    expect(other.statusCode).toBe(404);
    const revoke = await inject('DELETE', `/api/v1/api-keys/${(created.json() as { id: string }).id}`, tokens.A.declarant);
    expect(revoke.statusCode).toBe(204);
    const after = await ctx.app.inject({ url: '/api/v1/enterprises', headers: { 'x-api-key': key } });
    expect(after.statusCode).toBe(401);
  });

  it('customs sees the enterprises of its district only', async () => {
    const a = (await inject('GET', '/api/v1/enterprises', tokens.A['customs-officer'])).json() as { items: { id: string }[] };
    const ids = a.items.map((e) => e.id);
    expect(ids).toContain(enterpriseOf.A);
    expect(ids).not.toContain(enterpriseOf.B);
    const b = (await inject('GET', '/api/v1/enterprises', tokens.B['customs-officer'])).json() as { items: { id: string }[] };
    expect(b.items.map((e) => e.id)).toEqual([enterpriseOf.B]);
  });
});
