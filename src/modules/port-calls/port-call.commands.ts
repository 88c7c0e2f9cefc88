import { sql, type Insertable, type SqlBool, type Updateable } from 'kysely';
import type { Principal } from '../../auth/principal.ts';
import { actorOf } from '../../auth/principal.ts';
import { isoDate, type Clock } from '../../core/clock.ts';
import { validateImoNumber, validateUnLocode } from '../../core/codes.ts';
import { AppError, type ErrorDetail } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { PortCallsTable, PortOfCall } from '../../db/schema.ts';
import { inTransaction, type DbOrTx, type Tx } from '../../db/tx.ts';
import { appendEvent, type Actor } from '../../events/event-log.ts';
import { berthCode, resolveCode, validAt, type CodePair } from '../registry/index.ts';
import { PortCallErrorCode } from './port-call.errors.ts';
import { nextState, type PortCallCommand, type PortCallState } from './port-call.machine.ts';
import { presentCall, type PortCallView } from './port-call.presenter.ts';
import { lockCall, lockCallById, type PortCallRow } from './port-call.repository.ts';

export type Deps = { db: DbOrTx; clock: Clock };

const HOUR = 3_600_000;
/** Arrival pre-report due 24 h before ETA (domain.md §4; Frontier Health and Quarantine rules). */
export const PRE_ARRIVAL_HOURS = 24;
/** Ports of call that count for health screening (domain.md §4, PRODUCT.md C3). */
export const PORTS_OF_CALL_DAYS = 30;

export const CALL_PURPOSES = ['cargo', 'passengers', 'bunkering', 'repair', 'crew-change', 'supplies', 'shelter', 'other'] as const;
export const CALL_CARGO_TYPES = ['container', 'bulk', 'liquid-bulk', 'ro-ro', 'general', 'cruise'] as const;

const invalid = (path: string, message: string): AppError =>
  new AppError('INVALID_INPUT', PortCallErrorCode.INVALID_FIELD, `${path}: ${message}`, [{ path, message }]);

const invalidAll = (details: ErrorDetail[]): AppError =>
  new AppError('INVALID_INPUT', PortCallErrorCode.INVALID_FIELD, details.map((d) => `${d.path}: ${d.message}`).join('; '), details);

const notFound = (id: string): AppError => new AppError('NOT_FOUND', PortCallErrorCode.NOT_FOUND, `No port call ${id}`);

const audience = (r: Pick<PortCallRow, 'agent_org_id' | 'terminal_org_ids' | 'district_code'>) => ({
  orgIds: [...new Set([r.agent_org_id, ...r.terminal_org_ids])],
  districtCode: r.district_code,
});

export type FileCallInput = {
  portLocode: string;
  declaredCode: CodePair;
  vessel: { imo: string; name?: string; flag?: string; loaM?: number; draftM: number };
  voyage: string;
  lastPort: string;
  lastPortDeparture: string;
  nextPort?: string | null;
  portsOfCall?: PortOfCall[];
  eta: string;
  etd: string;
  purpose: (typeof CALL_PURPOSES)[number];
  cargoType: (typeof CALL_CARGO_TYPES)[number];
  cargoSummary?: string;
  crewCount: number;
  passengerCount?: number;
  dangerousGoods: boolean;
};

const time = (path: string, value: string): Date => {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) {
    throw invalid(path, 'must be an ISO 8601 date-time');
  }
  return d;
};

const locode = (path: string, value: string, details: ErrorDetail[]): string => {
  const r = validateUnLocode(value);
  if (!r.ok) {
    details.push({ path, message: r.reason });
    return value;
  }
  return r.value;
};

/** CSM002: the agent's one report of an arriving vessel. Writes `port-call.pre-reported` (and the late flag). */
export const fileCall = async ({ db, clock }: Deps, principal: Principal, input: FileCallInput): Promise<PortCallView> => {
  const details: ErrorDetail[] = [];
  const imo = validateImoNumber(input.vessel.imo);
  if (!imo.ok) {
    details.push({ path: '/vessel/imo', message: imo.reason });
  }
  const portLocode = locode('/portLocode', input.portLocode, details);
  const lastPort = locode('/lastPort', input.lastPort, details);
  const nextPort = input.nextPort === undefined || input.nextPort === null ? null : locode('/nextPort', input.nextPort, details);
  const eta = time('/eta', input.eta);
  const etd = time('/etd', input.etd);
  const lastDeparture = time('/lastPortDeparture', input.lastPortDeparture);
  if (eta.getTime() <= lastDeparture.getTime()) {
    details.push({ path: '/eta', message: `must be after the last port's departure (${lastDeparture.toISOString()})` });
  }
  if (etd.getTime() <= eta.getTime()) {
    details.push({ path: '/etd', message: 'must be after the ETA' });
  }
  const portsOfCall = (input.portsOfCall ?? []).map((p, i) => {
    const departed = time(`/portsOfCall/${i}/departedAt`, p.departedAt);
    if (departed.getTime() > eta.getTime()) {
      details.push({ path: `/portsOfCall/${i}/departedAt`, message: 'must not be after the ETA' });
    }
    return { locode: locode(`/portsOfCall/${i}/locode`, p.locode, details), departedAt: departed.toISOString() };
  });
  if (details.length > 0) {
    throw invalidAll(details);
  }
  const imoNumber = imo.ok ? imo.value : input.vessel.imo;
  const date = isoDate(eta);

  return inTransaction(db, async (trx) => {
    const port = await trx
      .selectFrom('ports')
      .innerJoin('customs_offices', 'customs_offices.code', 'ports.customs_code')
      .select(['ports.id', 'ports.locode', 'customs_offices.district_code'])
      .where('ports.locode', '=', portLocode)
      .where(validAt(date, 'ports'))
      .where(validAt(date, 'customs_offices'))
      .executeTakeFirst();
    if (port === undefined) {
      throw invalid('/portLocode', `no port ${portLocode} is registered on ${date}`);
    }
    const code = await resolveCode(trx, input.declaredCode, date);
    if (!code.known) {
      throw invalid(
        '/declaredCode',
        `${input.declaredCode.portCode}/${input.declaredCode.customsCode} is not a regulatory code on ${date}`,
      );
    }
    const registered = await trx
      .selectFrom('vessels')
      .select(['name', 'flag', 'loa_m'])
      .where('imo', '=', imoNumber)
      .where(validAt(date))
      .executeTakeFirst();
    const name = input.vessel.name ?? registered?.name;
    const loa = input.vessel.loaM ?? registered?.loa_m;
    if (name === undefined) {
      throw invalid('/vessel/name', `required: IMO ${imoNumber} is not in the vessel registry`);
    }
    if (loa === undefined) {
      throw invalid('/vessel/loaM', `required: IMO ${imoNumber} is not in the vessel registry`);
    }
    // Terminals that could serve the call (in the port, handling its cargo) see it from the start,
    // so their planners can plan it; a berth elsewhere adds its terminal when planned or used.
    const candidates = await trx
      .selectFrom('terminals')
      .innerJoin('port_areas', 'port_areas.id', 'terminals.port_area_id')
      .select('terminals.operator_org_id')
      .distinct()
      .where('port_areas.port_id', '=', port.id)
      .where('terminals.operator_org_id', 'is not', null)
      .where(sql<SqlBool>`${input.cargoType} = any(terminals.cargo_types)`)
      .where(validAt(date, 'terminals'))
      .where(validAt(date, 'port_areas'))
      .execute();
    const now = clock.now();
    const late = eta.getTime() - now.getTime() < PRE_ARRIVAL_HOURS * HOUR;
    const row: Insertable<PortCallsTable> = {
      id: newId('portCall', now),
      agent_org_id: principal.orgId,
      terminal_org_ids: candidates.flatMap((c) => (c.operator_org_id === null ? [] : [c.operator_org_id])),
      district_code: port.district_code.trimEnd(),
      port_id: port.id,
      port_locode: port.locode.trimEnd(),
      declared_port_code: input.declaredCode.portCode,
      declared_customs_code: input.declaredCode.customsCode,
      vessel_imo: imoNumber,
      vessel_name: name,
      vessel_flag: input.vessel.flag ?? registered?.flag ?? null,
      loa_m: loa,
      draft_m: input.vessel.draftM,
      voyage: input.voyage,
      last_port: lastPort,
      last_port_departure: lastDeparture,
      next_port: nextPort,
      ports_of_call: JSON.stringify(portsOfCall),
      eta,
      etd,
      purpose: input.purpose,
      cargo_type: input.cargoType,
      cargo_summary: input.cargoSummary ?? '',
      crew_count: input.crewCount,
      passenger_count: input.passengerCount ?? 0,
      dangerous_goods: input.dangerousGoods,
      state: 'pre-reported',
      pre_reported_at: now,
      late_report: late,
      confirmed_at: null,
      arrived_at: null,
      arrival_place: null,
      planned_berth_id: null,
      planned_berth_start: null,
      planned_berth_end: null,
      berth_id: null,
      berthed_at: null,
      quarantine_mode: null,
      pratique_granted_at: null,
      cargo_ops_started_at: null,
      cargo_ops_completed_at: null,
      departure_reported_at: null,
      departed_at: null,
      cancelled_at: null,
      cancel_reason: null,
      created_at: now,
      updated_at: now,
    };
    const duplicate = await trx
      .selectFrom('port_calls')
      .select('id')
      .where('vessel_imo', '=', imoNumber)
      .where('voyage', '=', input.voyage)
      .where('state', '<>', 'cancelled')
      .executeTakeFirst();
    if (duplicate !== undefined) {
      throw new AppError('CONFLICT', PortCallErrorCode.DUPLICATE_VOYAGE, `IMO ${imoNumber} voyage ${input.voyage} is already reported`, [
        { path: '/voyage', message: 'already reported for this vessel' },
      ]);
    }
    const stored = await trx.insertInto('port_calls').values(row).returningAll().executeTakeFirstOrThrow();
    const view = presentCall(stored);
    const actor = actorOf(principal);
    await appendEvent(trx, clock, {
      type: 'port-call.pre-reported',
      aggregateType: 'port-call',
      aggregateId: stored.id,
      actor,
      payload: view,
      ...audience(stored),
    });
    if (late) {
      await appendEvent(trx, clock, {
        type: 'port-call.late-report-flagged',
        aggregateType: 'port-call',
        aggregateId: stored.id,
        actor: { type: 'rule', id: `pre-arrival-${PRE_ARRIVAL_HOURS}h` },
        payload: {
          eta: view.eta,
          reportedAt: view.preReportedAt,
          hoursBeforeEta: Math.round(((eta.getTime() - now.getTime()) / HOUR) * 10) / 10,
        },
        ...audience(stored),
      });
    }
    return view;
  });
};

type Change = Omit<Updateable<PortCallsTable>, 'id' | 'version' | 'created_at'>;
type Emitted = { type: string; payload: Record<string, unknown>; actor?: Actor; occurredAt?: Date };

/**
 * The one path every transition takes: lock the call as the caller sees it, check the machine
 * (and the caller's expected version), apply, bump the version, append the events — one transaction.
 */
const transition = async (
  { db, clock }: Deps,
  principal: Principal,
  id: string,
  command: PortCallCommand,
  expectedVersion: number | undefined,
  apply: (row: PortCallRow, trx: Tx) => Promise<{ change: Change; events: Emitted[] }>,
): Promise<PortCallView> =>
  inTransaction(db, async (trx) => {
    const row = await lockCall(trx, id, principal);
    if (row === undefined) {
      throw notFound(id);
    }
    if (expectedVersion !== undefined && expectedVersion !== row.version) {
      throw new AppError(
        'CONFLICT',
        PortCallErrorCode.STALE_VERSION,
        `Port call ${id} is at version ${row.version}, not ${expectedVersion}`,
        [{ path: '/expectedVersion', message: `current version is ${row.version}` }],
      );
    }
    const to = nextState(row.state as PortCallState, command);
    if (to === null) {
      throw new AppError(
        'INVALID_TRANSITION',
        PortCallErrorCode.INVALID_TRANSITION,
        `A ${row.state} port call cannot ${command.replaceAll('-', ' ')}`,
      );
    }
    const { change, events } = await apply(row, trx);
    const updated = await trx
      .updateTable('port_calls')
      .set({ ...change, state: to, version: row.version + 1, updated_at: clock.now() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    for (const e of events) {
      await appendEvent(trx, clock, {
        type: e.type,
        aggregateType: 'port-call',
        aggregateId: id,
        actor: e.actor ?? actorOf(principal),
        payload: { ...e.payload, state: updated.state, version: updated.version },
        ...audience(updated),
        ...(e.occurredAt !== undefined ? { occurredAt: e.occurredAt } : {}),
      });
    }
    return presentCall(updated);
  });

const atOrNow = (clock: Clock, at: string | undefined, path = '/at'): Date => (at === undefined ? clock.now() : time(path, at));

const notBefore = (path: string, at: Date, earlier: Date | null, what: string): void => {
  if (earlier !== null && at.getTime() < earlier.getTime()) {
    throw invalid(path, `must not be before ${what} (${earlier.toISOString()})`);
  }
};

type Common = { expectedVersion?: number };

/** CSM003: the confirmed arrival report, optionally with a new ETA/ETD. */
export const confirmCall = (deps: Deps, p: Principal, id: string, input: Common & { eta?: string; etd?: string }) =>
  transition(deps, p, id, 'confirm', input.expectedVersion, async (row) => {
    const eta = input.eta === undefined ? row.eta : time('/eta', input.eta);
    const etd = input.etd === undefined ? row.etd : time('/etd', input.etd);
    if (eta.getTime() <= row.last_port_departure.getTime()) {
      throw invalid('/eta', `must be after the last port's departure (${row.last_port_departure.toISOString()})`);
    }
    if (etd.getTime() <= eta.getTime()) {
      throw invalid('/etd', 'must be after the ETA');
    }
    const now = deps.clock.now();
    return {
      change: { confirmed_at: now, eta, etd },
      events: [{ type: 'port-call.confirmed', payload: { eta: eta.toISOString(), etd: etd.toISOString() } }],
    };
  });

/** CSM004: arrival at the anchorage or directly at the berth. */
export const recordArrival = (deps: Deps, p: Principal, id: string, input: Common & { at?: string; place: 'anchorage' | 'berth' }) =>
  transition(deps, p, id, 'arrive', input.expectedVersion, async (row) => {
    const at = atOrNow(deps.clock, input.at);
    notBefore('/at', at, row.last_port_departure, "the last port's departure");
    return {
      change: { arrived_at: at, arrival_place: input.place },
      events: [{ type: 'port-call.arrived', payload: { at: at.toISOString(), place: input.place }, occurredAt: at }],
    };
  });

type BerthFacts = {
  berthId: string;
  berthCode: string;
  terminalId: string;
  operatorOrgId: string | null;
  code: { declared: CodePair; berth: CodePair; canonical: CodePair; sameCanonical: boolean; redeclarationAvoided: boolean };
};

/**
 * A berth the call may use at `at`: it exists then, the caller may plan on it, and the ship
 * fits (length, depth, cargo type). Says whether its code is the declared one (§3).
 */
const checkBerth = async (trx: Tx, p: Principal, row: PortCallRow, berthId: string, at: Date, path: string): Promise<BerthFacts> => {
  const date = isoDate(at);
  const berth = await trx
    .selectFrom('berths')
    .innerJoin('terminals', 'terminals.id', 'berths.terminal_id')
    .innerJoin('port_areas', 'port_areas.id', 'terminals.port_area_id')
    .select([
      'berths.id',
      'berths.code',
      'berths.length_m',
      'berths.depth_m',
      'berths.cargo_types',
      'terminals.id as terminal_id',
      'terminals.operator_org_id',
      'port_areas.port_id',
    ])
    .where('berths.id', '=', berthId)
    .where(validAt(date, 'berths'))
    .where(validAt(date, 'terminals'))
    .where(validAt(date, 'port_areas'))
    .executeTakeFirst();
  if (berth === undefined) {
    throw invalid(path, `no berth ${berthId} is registered on ${date}`);
  }
  if (berth.port_id !== row.port_id) {
    throw invalid(path, `berth ${berth.code} is not in the port of call ${row.port_locode}`);
  }
  if (p.role === 'terminal-operator' && berth.operator_org_id !== p.orgId) {
    throw new AppError(
      'NOT_ALLOWED',
      PortCallErrorCode.NOT_YOUR_BERTH,
      `Berth ${berth.code} belongs to a terminal your organisation does not operate`,
      [{ path, message: 'not a berth of your terminal' }],
    );
  }
  const unfit: string[] = [];
  if (berth.length_m < row.loa_m) {
    unfit.push(`too short (${berth.length_m} m for a ${row.loa_m} m ship)`);
  }
  if (berth.depth_m < row.draft_m) {
    unfit.push(`too shallow (${berth.depth_m} m for a ${row.draft_m} m draft)`);
  }
  if (!berth.cargo_types.includes(row.cargo_type)) {
    unfit.push(`does not handle ${row.cargo_type} (handles ${berth.cargo_types.join(', ') || 'nothing listed'})`);
  }
  if (unfit.length > 0) {
    throw new AppError('UNPROCESSABLE', PortCallErrorCode.BERTH_UNSUITABLE, `Berth ${berth.code} is ${unfit.join('; ')}`, [
      { path, message: unfit.join('; ') },
    ]);
  }
  const declared = { portCode: row.declared_port_code, customsCode: row.declared_customs_code.trimEnd() };
  const [d, b] = await Promise.all([resolveCode(trx, declared, date), berthCode(trx, berthId, date)]);
  if (b === null) {
    throw invalid(path, `berth ${berth.code} has no supervision site on ${date}`);
  }
  const same = d.canonical.portCode === b.canonical.portCode && d.canonical.customsCode === b.canonical.customsCode;
  return {
    berthId,
    berthCode: berth.code,
    terminalId: berth.terminal_id,
    operatorOrgId: berth.operator_org_id,
    code: {
      declared,
      berth: b.declared,
      canonical: b.canonical,
      sameCanonical: same,
      redeclarationAvoided: same && (await crossedBeforeUnification(trx, declared, berthId, b.canonical, date)),
    },
  };
};

const samePair = (a: CodePair, b: CodePair): boolean => a.portCode === b.portCode && a.customsCode === b.customsCode;

/**
 * Whether using this berth under the declared code would have needed a re-declaration before the
 * codes were unified (§3: ~270 calls a year at Qianwan): for each alias onto the shared canonical
 * code, the berth and the declaration as they stood the day before the alias took effect.
 */
const crossedBeforeUnification = async (
  trx: Tx,
  declared: CodePair,
  berthId: string,
  canonical: CodePair,
  date: string,
): Promise<boolean> => {
  const aliases = await trx
    .selectFrom('code_aliases')
    .select('valid_from')
    .where('canonical_port_code', '=', canonical.portCode)
    .where('canonical_customs_code', '=', canonical.customsCode)
    .where(validAt(date))
    .execute();
  for (const a of aliases) {
    const dayBefore = isoDate(new Date(Date.parse(`${a.valid_from}T00:00:00Z`) - 86_400_000));
    const [then, berthThen] = await Promise.all([resolveCode(trx, declared, dayBefore), berthCode(trx, berthId, dayBefore)]);
    if (berthThen !== null && !samePair(then.canonical, berthThen.canonical)) {
      return true;
    }
  }
  return false;
};

const withTerminal = (row: PortCallRow, orgId: string | null): string[] =>
  orgId === null || row.terminal_org_ids.includes(orgId) ? row.terminal_org_ids : [...row.terminal_org_ids, orgId];

/** The terminal planner's berth window; a berth under another code is flagged before berthing. */
export const planBerth = (deps: Deps, p: Principal, id: string, input: Common & { berthId: string; start: string; end: string }) =>
  transition(deps, p, id, 'plan-berth', input.expectedVersion, async (row, trx) => {
    const start = time('/start', input.start);
    const end = time('/end', input.end);
    if (end.getTime() <= start.getTime()) {
      throw invalid('/end', 'must be after the start');
    }
    const facts = await checkBerth(trx, p, row, input.berthId, start, '/berthId');
    const events: Emitted[] = [
      {
        type: 'port-call.berth-planned',
        payload: {
          berthId: facts.berthId,
          berthCode: facts.berthCode,
          start: start.toISOString(),
          end: end.toISOString(),
          code: facts.code,
        },
      },
    ];
    if (!facts.code.sameCanonical) {
      events.push({
        type: 'port-call.code-mismatch-flagged',
        actor: { type: 'rule', id: 'one-regulatory-code' },
        payload: {
          berthId: facts.berthId,
          berthCode: facts.berthCode,
          code: facts.code,
          message:
            'The planned berth is under another regulatory code: berthing there needs a re-declaration (onward voyage, manifests re-uploaded)',
        },
      });
    }
    return {
      change: {
        planned_berth_id: facts.berthId,
        planned_berth_start: start,
        planned_berth_end: end,
        terminal_org_ids: withTerminal(row, facts.operatorOrgId),
      },
      events,
    };
  });

const codeCounts = (row: PortCallRow, facts: BerthFacts): Change => ({
  redeclarations: row.redeclarations + (facts.code.sameCanonical ? 0 : 1),
  redeclarations_avoided: row.redeclarations_avoided + (facts.code.redeclarationAvoided ? 1 : 0),
});

/** All fast at the berth (ATB): at the planned berth unless another is named. */
export const recordBerthing = (deps: Deps, p: Principal, id: string, input: Common & { berthId?: string; at?: string }) =>
  transition(deps, p, id, 'berth', input.expectedVersion, async (row, trx) => {
    const at = atOrNow(deps.clock, input.at);
    notBefore('/at', at, row.arrived_at, 'the arrival');
    const berthId = input.berthId ?? row.planned_berth_id;
    if (berthId === null) {
      throw invalid('/berthId', 'required: the call has no planned berth');
    }
    const facts = await checkBerth(trx, p, row, berthId, at, '/berthId');
    return {
      change: { berth_id: berthId, berthed_at: at, terminal_org_ids: withTerminal(row, facts.operatorOrgId), ...codeCounts(row, facts) },
      events: [
        {
          type: 'port-call.berthed',
          occurredAt: at,
          payload: {
            at: at.toISOString(),
            berthId,
            berthCode: facts.berthCode,
            code: facts.code,
            redeclaration: !facts.code.sameCanonical,
            redeclarationAvoided: facts.code.redeclarationAvoided,
          },
        },
      ],
    };
  });

/** A move to another berth while in port; counted as a re-declaration only across canonical codes. */
export const shiftBerth = (deps: Deps, p: Principal, id: string, input: Common & { berthId: string; at?: string }) =>
  transition(deps, p, id, 'shift-berth', input.expectedVersion, async (row, trx) => {
    const at = atOrNow(deps.clock, input.at);
    notBefore('/at', at, row.berthed_at, 'the berthing');
    if (input.berthId === row.berth_id) {
      throw invalid('/berthId', 'the ship is already at this berth');
    }
    const facts = await checkBerth(trx, p, row, input.berthId, at, '/berthId');
    return {
      change: { berth_id: input.berthId, terminal_org_ids: withTerminal(row, facts.operatorOrgId), ...codeCounts(row, facts) },
      events: [
        {
          type: 'port-call.berth-shifted',
          occurredAt: at,
          payload: {
            at: at.toISOString(),
            fromBerthId: row.berth_id,
            berthId: input.berthId,
            berthCode: facts.berthCode,
            code: facts.code,
            redeclaration: !facts.code.sameCanonical,
            redeclarationAvoided: facts.code.redeclarationAvoided,
          },
        },
      ],
    };
  });

/**
 * Start of cargo operations. Interlock (Frontier Health and Quarantine Law art. 7): refused before
 * pratique, and the refusal itself is recorded as an alarm event that customs sees.
 */
export const startCargoOperations = async (
  deps: Deps,
  p: Principal,
  id: string,
  input: Common & { at?: string },
): Promise<PortCallView> => {
  const at = atOrNow(deps.clock, input.at);
  try {
    return await transition(deps, p, id, 'start-cargo-operations', input.expectedVersion, async (row) => {
      notBefore('/at', at, row.berthed_at, 'the berthing');
      if (row.cargo_ops_started_at !== null) {
        throw invalid('/at', `cargo operations already started at ${row.cargo_ops_started_at.toISOString()}`);
      }
      if (row.pratique_granted_at === null || row.pratique_granted_at.getTime() > at.getTime()) {
        throw new AppError(
          'INVALID_TRANSITION',
          PortCallErrorCode.NO_PRATIQUE,
          row.pratique_granted_at === null
            ? 'Cargo operations cannot start: the ship has not been granted pratique (entry quarantine not finished)'
            : `Cargo operations cannot start before pratique (granted ${row.pratique_granted_at.toISOString()})`,
        );
      }
      return {
        change: { cargo_ops_started_at: at },
        events: [{ type: 'port-call.cargo-operations-started', occurredAt: at, payload: { at: at.toISOString() } }],
      };
    });
  } catch (e) {
    if (e instanceof AppError && e.code === PortCallErrorCode.NO_PRATIQUE) {
      await recordRefusal(deps, p, id, at, e.message);
    }
    throw e;
  }
};

/** The alarm for a refused start, in its own transaction: the refusal must outlive the failed command. */
const recordRefusal = async ({ db, clock }: Deps, p: Principal, id: string, at: Date, reason: string): Promise<void> => {
  await inTransaction(db, async (trx) => {
    const row = await lockCallById(trx, id);
    if (row === undefined) {
      return;
    }
    await appendEvent(trx, clock, {
      type: 'port-call.cargo-operations-refused',
      aggregateType: 'port-call',
      aggregateId: id,
      actor: actorOf(p),
      payload: { alarm: true, requestedAt: at.toISOString(), reason, state: row.state, berthId: row.berth_id },
      ...audience(row),
    });
  });
};

export const completeCargoOperations = (deps: Deps, p: Principal, id: string, input: Common & { at?: string }) =>
  transition(deps, p, id, 'complete-cargo-operations', input.expectedVersion, async (row) => {
    const at = atOrNow(deps.clock, input.at);
    if (row.cargo_ops_started_at === null) {
      throw invalid('/at', 'cargo operations have not started');
    }
    notBefore('/at', at, row.cargo_ops_started_at, 'the start of cargo operations');
    return {
      change: { cargo_ops_completed_at: at },
      events: [{ type: 'port-call.cargo-operations-completed', occurredAt: at, payload: { at: at.toISOString() } }],
    };
  });

/** CSM006: departure pre-report with the expected departure time. */
export const reportDeparture = (deps: Deps, p: Principal, id: string, input: Common & { etd: string }) =>
  transition(deps, p, id, 'report-departure', input.expectedVersion, async (row) => {
    const etd = time('/etd', input.etd);
    notBefore('/etd', etd, row.berthed_at, 'the berthing');
    return {
      change: { departure_reported_at: deps.clock.now(), etd },
      events: [{ type: 'port-call.departure-reported', payload: { etd: etd.toISOString() } }],
    };
  });

/** CSM007: the ship has left. */
export const recordDeparture = (deps: Deps, p: Principal, id: string, input: Common & { at?: string }) =>
  transition(deps, p, id, 'depart', input.expectedVersion, async (row) => {
    const at = atOrNow(deps.clock, input.at);
    notBefore('/at', at, row.cargo_ops_completed_at ?? row.berthed_at, 'the end of operations at the berth');
    return { change: { departed_at: at }, events: [{ type: 'port-call.departed', occurredAt: at, payload: { at: at.toISOString() } }] };
  });

export const cancelCall = (deps: Deps, p: Principal, id: string, input: Common & { reason: string }) =>
  transition(deps, p, id, 'cancel', input.expectedVersion, async () => ({
    change: { cancelled_at: deps.clock.now(), cancel_reason: input.reason },
    events: [{ type: 'port-call.cancelled', payload: { reason: input.reason } }],
  }));

/**
 * Called by the quarantine module inside its own transaction when it grants pratique (or assigns a
 * mode): the call carries the fact the cargo interlock checks.
 */
export const recordQuarantineOutcome = async (
  trx: Tx,
  clock: Clock,
  id: string,
  actor: Actor,
  outcome: { mode: string; pratiqueGrantedAt: Date | null },
): Promise<void> => {
  const row = await lockCallById(trx, id);
  if (row === undefined) {
    throw notFound(id);
  }
  const updated = await trx
    .updateTable('port_calls')
    .set({
      quarantine_mode: outcome.mode,
      pratique_granted_at: outcome.pratiqueGrantedAt,
      version: row.version + 1,
      updated_at: clock.now(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendEvent(trx, clock, {
    type: outcome.pratiqueGrantedAt === null ? 'port-call.quarantine-mode-set' : 'port-call.pratique-granted',
    aggregateType: 'port-call',
    aggregateId: id,
    actor,
    payload: {
      mode: outcome.mode,
      pratiqueGrantedAt: outcome.pratiqueGrantedAt?.toISOString() ?? null,
      state: updated.state,
      version: updated.version,
    },
    ...audience(updated),
  });
};
