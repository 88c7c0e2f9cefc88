import type { Principal } from '../../auth/principal.ts';
import { actorOf } from '../../auth/principal.ts';
import { visibleTo } from '../../auth/scope.ts';
import { isoDate, type Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { inTransaction, type DbOrTx } from '../../db/tx.ts';
import { appendEvent } from '../../events/event-log.ts';
import { checkPlan, solve, type Assignment, type SolveStatus } from '../../optimisation/berth-allocation/index.ts';
import { requestedBerthTimes } from '../dcsa-jit/index.ts';
import { listCalls, planBerth, type PortCallRow } from '../port-calls/index.ts';
import { berthCode, resolveCode, validAt } from '../registry/index.ts';
import { buildInstance, toWindow, type PlanBerth, type PlanCall, type PlanningWindow, type Unfit } from './build-instance.ts';

export type Deps = { db: DbOrTx; clock: Clock };

export const BerthPlanErrorCode = {
  NOT_FOUND: 'berth-plan.not-found',
  ALREADY_ACCEPTED: 'berth-plan.already-accepted',
  INVALID_FIELD: 'berth-plan.invalid-field',
  NOT_YOUR_BERTH: 'berth-plan.not-your-berth',
} as const;

export type ProposalItem = {
  portCallId: string;
  vessel: { imo: string; name: string };
  berthId: string;
  berthCode: string;
  start: string;
  end: string;
  current: { berthId: string; start: string | null; end: string | null } | null;
};

export type ProposalDocument = {
  window: { origin: string; slotMinutes: number; hours: number };
  solver: { status: SolveStatus; seconds: number; seed: number; timeLimitSeconds: number };
  /** Σ weight × (completion − readiness), hours. */
  objectiveHours: number | null;
  lowerBoundHours: number | null;
  /** The same measure for the calls' current planned berths, when every call has a feasible one. */
  currentObjectiveHours: number | null;
  berths: { id: string; code: string; terminalId: string; area: { code: string; nameZh: string; nameEn: string } }[];
  items: ProposalItem[];
  unfit: (Unfit & { vessel: { imo: string; name: string } })[];
};

export type Proposal = {
  id: string;
  portLocode: string;
  status: 'proposed' | 'accepted';
  createdAt: string;
  acceptedAt: string | null;
} & ProposalDocument;

const PLANNABLE = ['pre-reported', 'confirmed', 'arrived'] as const;
const ALONGSIDE = ['berthed', 'departure-reported'] as const;
const pairText = (p: { portCode: string; customsCode: string }): string => `${p.portCode}/${p.customsCode}`;

/**
 * Proposes a berth plan for a port: the calls the planner may see that are not yet alongside, over the
 * berths the planner may plan (its own terminals; an administrator all), solved by the DBAP optimiser
 * (deterministic for its seed) and checked independently. The proposal is stored with its event.
 */
export const proposePlan = async (
  deps: Deps,
  principal: Principal,
  input: { portLocode: string; from?: Date; hours?: number; slotMinutes?: number; timeLimitSeconds?: number; seed?: number },
): Promise<Proposal> => {
  const { db, clock } = deps;
  const origin = input.from ?? clock.now();
  const hours = input.hours ?? 72;
  const window: PlanningWindow = {
    origin,
    slotMinutes: input.slotMinutes ?? 30,
    horizonSlots: Math.ceil((hours * 60) / (input.slotMinutes ?? 30)) * 3,
  };
  const date = isoDate(origin);
  const until = new Date(origin.getTime() + hours * 3_600_000);

  const port = await db.selectFrom('ports').select(['id']).where('locode', '=', input.portLocode).where(validAt(date)).executeTakeFirst();
  if (port === undefined) {
    throw new AppError('INVALID_INPUT', BerthPlanErrorCode.INVALID_FIELD, `portLocode: no port ${input.portLocode} on ${date}`, [
      { path: '/portLocode', message: `no port ${input.portLocode} is registered on ${date}` },
    ]);
  }
  let berthQuery = db
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
      'port_areas.code as area_code',
      'port_areas.name_zh as area_name_zh',
      'port_areas.name_en as area_name_en',
    ])
    .where('port_areas.port_id', '=', port.id)
    .where(validAt(date, 'berths'))
    .where(validAt(date, 'terminals'))
    .where(validAt(date, 'port_areas'));
  if (principal.role !== 'admin') {
    berthQuery = berthQuery.where('terminals.operator_org_id', '=', principal.orgId);
  }
  const berthRows = await berthQuery.orderBy('berths.code').execute();

  const visible = await listCalls(
    db,
    { states: [...PLANNABLE, ...ALONGSIDE], portLocode: input.portLocode, etaTo: until, limit: 1000 },
    principal,
  );
  const alongside = visible.filter((c) => (ALONGSIDE as readonly string[]).includes(c.state));
  const toPlan = visible.filter((c) => (PLANNABLE as readonly string[]).includes(c.state));

  const horizonEnd = new Date(origin.getTime() + window.horizonSlots * window.slotMinutes * 60_000);
  const closures =
    berthRows.length === 0
      ? []
      : await db
          .selectFrom('berth_closures')
          .select(['berth_id', 'starts_at', 'ends_at'])
          .where(
            'berth_id',
            'in',
            berthRows.map((b) => b.id),
          )
          .where('removed_at', 'is', null)
          .where('ends_at', '>', origin)
          .where('starts_at', '<', horizonEnd)
          .execute();
  const berths: PlanBerth[] = [];
  for (const b of berthRows) {
    const code = await berthCode(db, b.id, date);
    const busy = alongside.filter((c) => c.berth_id === b.id).map((c) => (c.planned_berth_end ?? c.etd).getTime());
    berths.push({
      id: b.id,
      lengthM: b.length_m,
      depthM: b.depth_m,
      cargoTypes: b.cargo_types,
      canonicalCode: code === null ? '' : pairText(code.canonical),
      freeFrom: busy.length === 0 ? null : new Date(Math.max(...busy)),
      closures: closures.filter((c) => c.berth_id === b.id).map((c) => ({ start: c.starts_at, end: c.ends_at })),
    });
  }
  // A carrier's requested berth time (DCSA JIT REQ) moves a ship's readiness later, never earlier than its ETA.
  const requested = await requestedBerthTimes(
    db,
    toPlan.map((c) => c.id),
  );
  const planCalls: PlanCall[] = [];
  const canonicalOf = new Map<string, string>();
  for (const c of toPlan) {
    const pair = { portCode: c.declared_port_code, customsCode: c.declared_customs_code.trimEnd() };
    // most calls share a handful of declared codes: resolve each once
    const canonical = canonicalOf.get(pairText(pair)) ?? pairText((await resolveCode(db, pair, date)).canonical);
    canonicalOf.set(pairText(pair), canonical);
    planCalls.push({
      id: c.id,
      readyAt: c.arrived_at ?? new Date(Math.max(c.eta.getTime(), requested.get(c.id)?.getTime() ?? 0)),
      stayMinutes: Math.max(30, (c.etd.getTime() - c.eta.getTime()) / 60_000),
      loaM: c.loa_m,
      draftM: c.draft_m,
      cargoType: c.cargo_type,
      canonicalCode: canonical,
      weight: 1,
    });
  }
  const { instance, calls, unfit, berthOf } = buildInstance(planCalls, berths, window);
  const timeLimitSeconds = input.timeLimitSeconds ?? 5;
  const seed = input.seed ?? 1;
  const result = await solve(instance, { timeLimitSeconds, seed });
  const check = checkPlan(instance, result.assignments);
  if (result.assignments.length > 0 && !check.feasible) {
    // The solver checks its own plans; this is the independent second look.
    throw new Error(`berth plan failed the independent check: ${check.violations.map((v) => v.message).join('; ')}`);
  }
  const byId = new Map(toPlan.map((c) => [c.id, c]));
  const hoursOf = (slots: number | null): number | null =>
    slots === null ? null : Math.round(((slots * window.slotMinutes) / 60) * 10) / 10;
  const items: ProposalItem[] = result.assignments.map((a: Assignment) => {
    const call = calls[a.ship] as PlanCall;
    const row = byId.get(call.id) as PortCallRow;
    const berth = berthRows[berthOf[a.berth] as number] as (typeof berthRows)[number];
    const w = toWindow(a, instance.handling[a.ship]?.[a.berth] ?? 0, window);
    return {
      portCallId: call.id,
      vessel: { imo: row.vessel_imo, name: row.vessel_name },
      berthId: berth.id,
      berthCode: berth.code,
      start: w.start.toISOString(),
      end: w.end.toISOString(),
      current:
        row.planned_berth_id === null
          ? null
          : {
              berthId: row.planned_berth_id,
              start: row.planned_berth_start?.toISOString() ?? null,
              end: row.planned_berth_end?.toISOString() ?? null,
            },
    };
  });
  const document: ProposalDocument = {
    window: { origin: origin.toISOString(), slotMinutes: window.slotMinutes, hours },
    solver: { status: result.status, seconds: Math.round(result.seconds * 100) / 100, seed, timeLimitSeconds },
    objectiveHours: hoursOf(result.objective),
    lowerBoundHours: hoursOf(result.lowerBound),
    currentObjectiveHours: hoursOf(currentObjective(calls, byId, berths, berthOf, window, instance)),
    berths: berthRows.map((b) => ({
      id: b.id,
      code: b.code,
      terminalId: b.terminal_id,
      area: { code: b.area_code, nameZh: b.area_name_zh, nameEn: b.area_name_en },
    })),
    items,
    unfit: unfit.map((u) => {
      const row = byId.get(u.callId) as PortCallRow;
      return { ...u, vessel: { imo: row.vessel_imo, name: row.vessel_name } };
    }),
  };
  return inTransaction(db, async (trx) => {
    const now = clock.now();
    const id = newId('berthPlan', now);
    await trx
      .insertInto('berth_plan_proposals')
      .values({
        id,
        org_id: principal.orgId,
        port_locode: input.portLocode,
        status: 'proposed',
        document: JSON.stringify(document),
        created_by: principal.id,
        created_at: now,
      })
      .execute();
    await appendEvent(trx, clock, {
      type: 'berth-plan.proposed',
      aggregateType: 'berth-plan',
      aggregateId: id,
      actor: actorOf(principal),
      orgIds: [principal.orgId],
      payload: {
        portLocode: input.portLocode,
        solver: document.solver,
        objectiveHours: document.objectiveHours,
        lowerBoundHours: document.lowerBoundHours,
        items: items.length,
        unfit: unfit.length,
      },
    });
    return { id, portLocode: input.portLocode, status: 'proposed', createdAt: now.toISOString(), acceptedAt: null, ...document };
  });
};

/** The objective of the calls' current planned windows, when each has one on a berth of this plan that the checker accepts. */
const currentObjective = (
  calls: PlanCall[],
  byId: Map<string, PortCallRow>,
  berths: PlanBerth[],
  berthOf: number[],
  w: PlanningWindow,
  instance: Parameters<typeof checkPlan>[0],
): number | null => {
  const assignments: Assignment[] = [];
  for (const [i, c] of calls.entries()) {
    const row = byId.get(c.id);
    const k = berths.findIndex((b) => b.id === row?.planned_berth_id);
    if (row === undefined || row.planned_berth_start === null || k < 0) {
      return null;
    }
    const start = Math.ceil((row.planned_berth_start.getTime() - w.origin.getTime()) / (w.slotMinutes * 60_000));
    // the open stretch of that berth the planned start falls in (none: the checker refuses the plan)
    const j = berthOf.findIndex(
      (kk, jj) => kk === k && (instance.berths[jj]?.opens ?? 0) <= start && start < (instance.berths[jj]?.closes ?? 0),
    );
    assignments.push({ ship: i, berth: j < 0 ? berthOf.indexOf(k) : j, start });
  }
  const check = checkPlan(instance, assignments);
  return check.feasible ? check.objective : null;
};

const presentRow = (r: {
  id: string;
  port_locode: string;
  status: string;
  document: unknown;
  created_at: Date;
  accepted_at: Date | null;
}): Proposal => ({
  id: r.id,
  portLocode: r.port_locode.trimEnd(),
  status: r.status as Proposal['status'],
  createdAt: r.created_at.toISOString(),
  acceptedAt: r.accepted_at?.toISOString() ?? null,
  ...(r.document as ProposalDocument),
});

export const findProposal = async (db: DbOrTx, id: string, principal: Principal): Promise<Proposal> => {
  const row = await db
    .selectFrom('berth_plan_proposals')
    .selectAll()
    .where('id', '=', id)
    .where(visibleTo('berth_plan_proposals', principal))
    .executeTakeFirst();
  if (row === undefined) {
    throw new AppError('NOT_FOUND', BerthPlanErrorCode.NOT_FOUND, `No berth plan ${id}`);
  }
  return presentRow(row);
};

export const listProposals = async (db: DbOrTx, principal: Principal, portLocode?: string): Promise<Proposal[]> => {
  let qb = db.selectFrom('berth_plan_proposals').selectAll().where(visibleTo('berth_plan_proposals', principal));
  if (portLocode !== undefined) {
    qb = qb.where('port_locode', '=', portLocode);
  }
  return (await qb.orderBy('created_at', 'desc').limit(50).execute()).map(presentRow);
};

export type AcceptItem = { portCallId: string; berthId: string; start: string; end: string };
export type AcceptOutcome = { portCallId: string; ok: boolean; error?: { code: string; message: string } };

/**
 * The planner accepts the proposal, or an adjusted version of some of its lines: each line moves
 * that call's planned berth through the port-call command (checked again there, its own event).
 */
export const acceptProposal = async (
  deps: Deps,
  principal: Principal,
  id: string,
  items: AcceptItem[] | undefined,
): Promise<{ proposal: Proposal; outcomes: AcceptOutcome[] }> => {
  const proposal = await findProposal(deps.db, id, principal);
  if (proposal.status === 'accepted') {
    throw new AppError('CONFLICT', BerthPlanErrorCode.ALREADY_ACCEPTED, `Berth plan ${id} was accepted at ${proposal.acceptedAt ?? ''}`);
  }
  const lines = items ?? proposal.items.map(({ portCallId, berthId, start, end }) => ({ portCallId, berthId, start, end }));
  const outcomes: AcceptOutcome[] = [];
  for (const line of lines) {
    try {
      await planBerth(deps, principal, line.portCallId, { berthId: line.berthId, start: line.start, end: line.end });
      outcomes.push({ portCallId: line.portCallId, ok: true });
    } catch (e) {
      if (!(e instanceof AppError)) {
        throw e;
      }
      outcomes.push({ portCallId: line.portCallId, ok: false, error: { code: e.code, message: e.message } });
    }
  }
  await inTransaction(deps.db, async (trx) => {
    const now = deps.clock.now();
    await trx
      .updateTable('berth_plan_proposals')
      .set({ status: 'accepted', accepted_at: now, accepted_by: principal.id })
      .where('id', '=', id)
      .execute();
    await appendEvent(trx, deps.clock, {
      type: 'berth-plan.accepted',
      aggregateType: 'berth-plan',
      aggregateId: id,
      actor: actorOf(principal),
      orgIds: [principal.orgId],
      payload: { lines: lines.length, adjusted: items !== undefined, outcomes },
    });
  });
  return { proposal: await findProposal(deps.db, id, principal), outcomes };
};
