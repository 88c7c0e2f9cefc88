import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Principal } from '../../auth/principal.ts';
import { actorOf } from '../../auth/principal.ts';
import { isoDate, type Clock } from '../../core/clock.ts';
import { validateUnLocode } from '../../core/codes.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { QuarantineCasesTable } from '../../db/schema.ts';
import { inTransaction, type DbOrTx, type Tx } from '../../db/tx.ts';
import { appendEvent, type Actor } from '../../events/event-log.ts';
import { visibleTo } from '../../auth/scope.ts';
import { findCall, lockCallById, recordQuarantineOutcome, type PortCallRow } from '../port-calls/index.ts';
import { policyInForce } from '../policies/index.ts';
import { validAt } from '../registry/index.ts';
import { QuarantineErrorCode } from './quarantine.errors.ts';
import { nextQuarantineState, type QuarantineCommand, type QuarantineState } from './quarantine.machine.ts';
import {
  assess,
  certificateValidOn,
  severity,
  type AffectedMatch,
  type HealthQuestion,
  type QuarantineMode,
  type RuleSet,
} from './quarantine.rules.ts';

export type Deps = { db: DbOrTx; clock: Clock };
export type CaseRow = Selectable<QuarantineCasesTable>;

export const QUARANTINE_POLICY = 'quarantine-risk';
const HOUR = 3_600_000;
const DAY = 86_400_000;

export type DeclareInput = {
  healthDeclaration: { master: string; answers: Record<HealthQuestion, boolean>; illPersons?: number; remarks?: string };
  sanitationCertificate: { number: string; issuedOn: string; issuedAt: string } | null;
  crewHealth: { feverCount: number; illCount: number };
};

export type RemoteSession = {
  startedAt: string;
  temperatures: { person: string; celsius: number }[];
  medicalLog: { fileName: string; sha256: string; pages?: number } | null;
  video: { satisfactory: boolean; findings: string } | null;
};

const invalid = (path: string, message: string): AppError =>
  new AppError('INVALID_INPUT', QuarantineErrorCode.INVALID_FIELD, `${path}: ${message}`, [{ path, message }]);

const audienceOf = (r: { agent_org_id: string; district_code: string }) => ({ orgIds: [r.agent_org_id], districtCode: r.district_code });
/** Risk reasons are customs' own: the assessment event goes to the district only. */
const customsOnly = (r: { district_code: string }) => ({ orgIds: [] as string[], districtCode: r.district_code });

/** Ports of call (and the last port) left within the window before ETA that lie in an area on alert then. */
const affectedPortsOfCall = async (db: DbOrTx, call: PortCallRow, days: number): Promise<AffectedMatch[]> => {
  const visits = [...call.ports_of_call, { locode: call.last_port, departedAt: call.last_port_departure.toISOString() }].filter(
    (v, i, all) => all.findIndex((w) => w.locode === v.locode && w.departedAt === v.departedAt) === i,
  );
  const matches: AffectedMatch[] = [];
  for (const v of visits) {
    const departed = new Date(v.departedAt);
    if (call.eta.getTime() - departed.getTime() > days * DAY) {
      continue;
    }
    const date = isoDate(departed);
    const areas = await db
      .selectFrom('affected_areas')
      .select(['code', 'disease'])
      .where('code', 'in', [v.locode, v.locode.slice(0, 2)])
      .where(validAt(date))
      .execute();
    for (const a of areas) {
      matches.push({ locode: v.locode, areaCode: a.code, disease: a.disease, departedAt: v.departedAt });
    }
  }
  return matches;
};

/**
 * The agent's health declaration for a call (at most one), assessed at once against the rule set
 * in force: the case starts `assessed` with a proposed (and possibly forced) mode and its reasons.
 */
export const declareHealth = async ({ db, clock }: Deps, principal: Principal, callId: string, input: DeclareInput): Promise<CaseRow> => {
  if (input.sanitationCertificate !== null) {
    const at = validateUnLocode(input.sanitationCertificate.issuedAt);
    if (!at.ok) {
      throw invalid('/sanitationCertificate/issuedAt', at.reason);
    }
  }
  return inTransaction(db, async (trx) => {
    const visible = await findCall(trx, callId, principal);
    if (visible === undefined) {
      throw new AppError('NOT_FOUND', QuarantineErrorCode.CALL_NOT_FOUND, `No port call ${callId}`);
    }
    const call = (await lockCallById(trx, callId)) as PortCallRow;
    if (!['pre-reported', 'confirmed', 'arrived'].includes(call.state)) {
      throw new AppError('INVALID_TRANSITION', QuarantineErrorCode.INVALID_TRANSITION, `A ${call.state} call takes no health declaration`);
    }
    const existing = await trx.selectFrom('quarantine_cases').select('id').where('port_call_id', '=', callId).executeTakeFirst();
    if (existing !== undefined) {
      throw new AppError('CONFLICT', QuarantineErrorCode.ALREADY_DECLARED, `Call ${callId} already has quarantine case ${existing.id}`);
    }
    const now = clock.now();
    const policy = await policyInForce<RuleSet>(trx, QUARANTINE_POLICY, now);
    const rules = policy.document;
    const cert = input.sanitationCertificate;
    if (cert !== null && new Date(`${cert.issuedOn}T00:00:00Z`).getTime() > now.getTime()) {
      throw invalid('/sanitationCertificate/issuedOn', 'must not be in the future');
    }
    const late = call.eta.getTime() - now.getTime() < rules.lateDeclarationHours * HOUR;
    const assessment = assess(rules, {
      answers: input.healthDeclaration.answers,
      affected: await affectedPortsOfCall(trx, call, rules.portsOfCallDays),
      sanitationCertificateValid: cert !== null && certificateValidOn(cert.issuedOn, call.eta, rules.sanitationCertificateMonths),
      lateDeclaration: late,
      feverCount: input.crewHealth.feverCount,
      illCount: input.crewHealth.illCount,
      passengers: call.passenger_count,
      dangerousGoods: call.dangerous_goods,
      cargoType: call.cargo_type,
    });
    // The declaration's header is the call's own data: the agent reports once.
    const declaration = {
      header: {
        shipName: call.vessel_name,
        imo: call.vessel_imo,
        flag: call.vessel_flag,
        voyage: call.voyage,
        portOfArrival: call.port_locode,
        eta: call.eta.toISOString(),
        lastPort: call.last_port,
        crewCount: call.crew_count,
        passengerCount: call.passenger_count,
        master: input.healthDeclaration.master,
      },
      answers: input.healthDeclaration.answers,
      illPersons: input.healthDeclaration.illPersons ?? 0,
      remarks: input.healthDeclaration.remarks ?? '',
    };
    const row: Insertable<QuarantineCasesTable> = {
      id: newId('quarantineCase', now),
      port_call_id: callId,
      agent_org_id: call.agent_org_id,
      district_code: call.district_code,
      state: 'assessed',
      health_declaration: JSON.stringify(declaration),
      crew_health: JSON.stringify(input.crewHealth),
      sanitation_certificate_no: cert?.number ?? null,
      sanitation_certificate_issued_on: cert?.issuedOn ?? null,
      sanitation_certificate_port: cert?.issuedAt ?? null,
      declared_at: now,
      late_declaration: late,
      rule_set_version: policy.version,
      risk_score: assessment.score,
      risk_reasons: JSON.stringify(assessment.reasons),
      proposed_mode: assessment.proposedMode,
      forced_mode: assessment.forcedMode,
      mode: null,
      assessed_at: now,
      started_at: null,
      remote_session: null,
      escalated_at: null,
      escalation_reason: null,
      certificate_no: null,
      certificate_issued_at: null,
      pratique_granted_at: null,
      created_at: now,
      updated_at: now,
    };
    const stored = await trx.insertInto('quarantine_cases').values(row).returningAll().executeTakeFirstOrThrow();
    const base = { aggregateType: 'quarantine-case', aggregateId: stored.id };
    await appendEvent(trx, clock, {
      ...base,
      type: 'quarantine.declared',
      actor: actorOf(principal),
      payload: {
        portCallId: callId,
        healthDeclaration: declaration,
        crewHealth: input.crewHealth,
        sanitationCertificate: cert,
        lateDeclaration: late,
      },
      ...audienceOf(stored),
    });
    await appendEvent(trx, clock, {
      ...base,
      type: 'quarantine.risk-assessed',
      actor: { type: 'rule', id: `${QUARANTINE_POLICY}@v${policy.version}` },
      payload: { portCallId: callId, ruleSetVersion: policy.version, ...assessment },
      ...customsOnly(stored),
    });
    return stored;
  });
};

type Change = Omit<Updateable<QuarantineCasesTable>, 'id' | 'version' | 'created_at'>;
type Emitted = { type: string; payload: Record<string, unknown>; occurredAt?: Date };

/** Every officer step: lock the case as the caller sees it, check the machine, apply, event — one transaction. */
const step = async (
  { db, clock }: Deps,
  principal: Principal,
  id: string,
  command: QuarantineCommand,
  apply: (row: CaseRow, trx: Tx) => Promise<{ change: Change; events: Emitted[]; pratique?: { mode: string; at: Date | null } }>,
  expectedVersion?: number,
): Promise<CaseRow> =>
  inTransaction(db, async (trx) => {
    const row = await trx
      .selectFrom('quarantine_cases')
      .selectAll()
      .where('id', '=', id)
      .where(visibleTo('quarantine_cases', principal))
      .forUpdate()
      .executeTakeFirst();
    if (row === undefined) {
      throw new AppError('NOT_FOUND', QuarantineErrorCode.NOT_FOUND, `No quarantine case ${id}`);
    }
    if (expectedVersion !== undefined && expectedVersion !== row.version) {
      throw new AppError(
        'CONFLICT',
        QuarantineErrorCode.STALE_VERSION,
        `Quarantine case ${id} is at version ${row.version}, not ${expectedVersion}`,
        [{ path: '/expectedVersion', message: `current version is ${row.version}` }],
      );
    }
    const to = nextQuarantineState(row.state as QuarantineState, command, row.mode as QuarantineMode | null);
    if (to === null) {
      throw new AppError(
        'INVALID_TRANSITION',
        QuarantineErrorCode.INVALID_TRANSITION,
        `A ${row.state} case${row.mode === null ? '' : ` in ${row.mode} mode`} cannot ${command.replaceAll('-', ' ')}`,
      );
    }
    const { change, events, pratique } = await apply(row, trx);
    const updated = await trx
      .updateTable('quarantine_cases')
      .set({ ...change, state: to, version: row.version + 1, updated_at: clock.now() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const actor: Actor = actorOf(principal);
    for (const e of events) {
      await appendEvent(trx, clock, {
        type: e.type,
        aggregateType: 'quarantine-case',
        aggregateId: id,
        actor,
        payload: { ...e.payload, portCallId: row.port_call_id, state: updated.state, version: updated.version },
        ...audienceOf(updated),
        ...(e.occurredAt !== undefined ? { occurredAt: e.occurredAt } : {}),
      });
    }
    if (pratique !== undefined) {
      await recordQuarantineOutcome(trx, clock, row.port_call_id, actor, { mode: pratique.mode, pratiqueGrantedAt: pratique.at });
    }
    return updated;
  });

const at = (clock: Clock, value: string | undefined): Date => {
  if (value === undefined) {
    return clock.now();
  }
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) {
    throw invalid('/at', 'must be an ISO 8601 date-time');
  }
  return d;
};

const notBefore = (when: Date, earlier: Date | null, what: string): void => {
  if (earlier !== null && when.getTime() < earlier.getTime()) {
    throw invalid('/at', `must not be before ${what} (${earlier.toISOString()})`);
  }
};

/** The officer decides the mode: never less strict than a mode the rules force. */
export const assignMode = (
  deps: Deps,
  p: Principal,
  id: string,
  input: { mode: QuarantineMode; note?: string; expectedVersion?: number },
) =>
  step(
    deps,
    p,
    id,
    'assign-mode',
    async (row) => {
      const forced = row.forced_mode as QuarantineMode | null;
      if (forced !== null && severity(input.mode) < severity(forced)) {
        throw new AppError(
          'UNPROCESSABLE',
          QuarantineErrorCode.MODE_TOO_LENIENT,
          `The rules force ${forced} quarantine; ${input.mode} is less strict`,
          [{ path: '/mode', message: `must be ${forced} or stricter` }],
        );
      }
      const now = deps.clock.now();
      return {
        // radio pratique starts with the decision; the other modes when the session or boarding starts
        change: { mode: input.mode, started_at: input.mode === 'telecom' ? now : null },
        events: [
          {
            type: 'quarantine.mode-assigned',
            payload: {
              mode: input.mode,
              proposedMode: row.proposed_mode,
              forcedMode: forced,
              overridden: input.mode !== row.proposed_mode,
              note: input.note ?? '',
            },
          },
        ],
        pratique: { mode: input.mode, at: null },
      };
    },
    input.expectedVersion,
  );

export const startRemoteSession = (deps: Deps, p: Principal, id: string, input: { at?: string; expectedVersion?: number }) =>
  step(
    deps,
    p,
    id,
    'start-remote-session',
    async () => {
      const when = at(deps.clock, input.at);
      const session: RemoteSession = { startedAt: when.toISOString(), temperatures: [], medicalLog: null, video: null };
      return {
        change: { started_at: when, remote_session: JSON.stringify(session) },
        events: [{ type: 'quarantine.remote-session-started', payload: { at: session.startedAt }, occurredAt: when }],
      };
    },
    input.expectedVersion,
  );

export const recordRemoteFindings = (
  deps: Deps,
  p: Principal,
  id: string,
  input: {
    temperatures?: RemoteSession['temperatures'];
    medicalLog?: NonNullable<RemoteSession['medicalLog']>;
    video?: NonNullable<RemoteSession['video']>;
    expectedVersion?: number;
  },
) =>
  step(
    deps,
    p,
    id,
    'record-findings',
    async (row) => {
      const session = row.remote_session as RemoteSession;
      const next: RemoteSession = {
        ...session,
        temperatures: [...session.temperatures, ...(input.temperatures ?? [])],
        medicalLog: input.medicalLog ?? session.medicalLog,
        video: input.video ?? session.video,
      };
      return {
        change: { remote_session: JSON.stringify(next) },
        events: [
          {
            type: 'quarantine.remote-findings-recorded',
            payload: { temperatures: input.temperatures ?? [], medicalLog: input.medicalLog ?? null, video: input.video ?? null },
          },
        ],
      };
    },
    input.expectedVersion,
  );

/** The remote session cannot clear the ship: officers board it. */
export const escalate = (deps: Deps, p: Principal, id: string, input: { reason: string; at?: string; expectedVersion?: number }) =>
  step(
    deps,
    p,
    id,
    'escalate',
    async (row) => {
      const when = at(deps.clock, input.at);
      notBefore(when, row.started_at, 'the start of the remote session');
      return {
        change: { escalated_at: when, escalation_reason: input.reason },
        events: [{ type: 'quarantine.escalated', payload: { at: when.toISOString(), reason: input.reason }, occurredAt: when }],
      };
    },
    input.expectedVersion,
  );

export const startBoarding = (deps: Deps, p: Principal, id: string, input: { at?: string; expectedVersion?: number }) =>
  step(
    deps,
    p,
    id,
    'start-boarding',
    async () => {
      const when = at(deps.clock, input.at);
      return {
        change: { started_at: when },
        events: [{ type: 'quarantine.boarding-started', payload: { at: when.toISOString() }, occurredAt: when }],
      };
    },
    input.expectedVersion,
  );

/** What still stands between a remote session and a pass (empty when it may pass). */
export const remoteSessionGaps = (session: RemoteSession, feverCelsius: number): string[] => {
  const gaps: string[] = [];
  if (session.temperatures.length === 0) {
    gaps.push('no temperature screening recorded');
  }
  const fever = session.temperatures.filter((t) => t.celsius >= feverCelsius);
  if (fever.length > 0) {
    gaps.push(`fever screened (${fever.map((t) => `${t.person} ${t.celsius} °C`).join(', ')}): escalate to boarding`);
  }
  if (session.medicalLog === null) {
    gaps.push('no medical log uploaded');
  }
  if (session.video === null) {
    gaps.push('no video inspection recorded');
  } else if (!session.video.satisfactory) {
    gaps.push('video inspection not satisfactory: escalate to boarding');
  }
  return gaps;
};

/** Certificate and pratique: from that instant cargo operations may start (the port call records it). */
export const grantPratique = (
  deps: Deps,
  p: Principal,
  id: string,
  input: { at?: string; certificateNo?: string; expectedVersion?: number },
) =>
  step(
    deps,
    p,
    id,
    'grant-pratique',
    async (row, trx) => {
      const when = at(deps.clock, input.at);
      notBefore(when, row.started_at, 'the start of quarantine');
      if (row.state === 'remote-session') {
        const rules = (await policyInForce<RuleSet>(trx, QUARANTINE_POLICY, row.assessed_at ?? when)).document;
        const gaps = remoteSessionGaps(row.remote_session as RemoteSession, rules.feverCelsius);
        if (gaps.length > 0) {
          throw new AppError('UNPROCESSABLE', QuarantineErrorCode.SESSION_INCOMPLETE, `The remote session cannot pass: ${gaps.join('; ')}`);
        }
      }
      const call = await lockCallById(trx, row.port_call_id);
      const certificateNo =
        input.certificateNo ?? `${call?.port_locode ?? 'CN'}-${isoDate(when).replaceAll('-', '')}-${row.id.slice(-6).toUpperCase()}`;
      return {
        change: { certificate_no: certificateNo, certificate_issued_at: when, pratique_granted_at: when },
        events: [
          { type: 'quarantine.certificate-issued', payload: { certificateNo, at: when.toISOString() }, occurredAt: when },
          { type: 'quarantine.pratique-granted', payload: { at: when.toISOString(), mode: row.mode }, occurredAt: when },
        ],
        pratique: { mode: row.mode ?? 'telecom', at: when },
      };
    },
    input.expectedVersion,
  );
