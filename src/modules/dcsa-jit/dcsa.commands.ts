import { createHash } from 'node:crypto';
import type { Static } from 'typebox';
import { actorOf, type Principal } from '../../auth/principal.ts';
import { canonicalJson } from '../../core/canonical-json.ts';
import { isoDate, type Clock } from '../../core/clock.ts';
import { validateImoNumber } from '../../core/codes.ts';
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/client.ts';
import { inTransaction, type Tx } from '../../db/tx.ts';
import { appendEvent } from '../../events/event-log.ts';
import { startCargoOperations } from '../port-calls/index.ts';
import { validAt } from '../registry/index.ts';
import { derivedTimestamps } from './dcsa.derived.ts';
import { DcsaErrorCode, invalid } from './dcsa.errors.ts';
import { linkedCallId } from './dcsa.link.ts';
import {
  findPortCall,
  findService,
  findTerminalCall,
  storedTimestamps,
  type DcsaPortCallRow,
  type ServiceChain,
} from './dcsa.repository.ts';
import type { ZPortCallBody, ZPortCallServiceBody, ZReason, ZTerminalCallBody, ZTimestampBody, ZVesselStatusBody } from './dcsa.schemas.ts';

export type Deps = { db: Db; clock: Clock };
export type PortCallBody = Static<typeof ZPortCallBody>;
export type TerminalCallBody = Static<typeof ZTerminalCallBody>;
export type ServiceBody = Static<typeof ZPortCallServiceBody>;
export type TimestampBody = Static<typeof ZTimestampBody>;
export type VesselStatusBody = Static<typeof ZVesselStatusBody>;
export type ReasonBody = Static<typeof ZReason>;

/** Negotiable through ERP-A (spec, PortCallService.portCallServiceTypeCode). */
export const NEGOTIABLE_SERVICES = [
  'BERTH',
  'CARGO_OPERATIONS',
  'PILOTAGE',
  'TOWAGE',
  'MOORING',
  'BUNKERING',
  'PILOT_BOARDING_PLACE',
  'ANCHORAGE',
  'SLUDGE',
];
/** Which event codes each service type takes (spec, PortCallService.portCallServiceEventTypeCode conditions). */
const EVENT_CODES_OF: Record<string, readonly string[]> = {
  BERTH: ['ARRI', 'DEPA'],
  SAFETY: ['DEPA'],
  ...Object.fromEntries(
    [
      'CARGO_OPERATIONS',
      'PILOTAGE',
      'TOWAGE',
      'MOORING',
      'BUNKERING',
      'ANCHORAGE',
      'SLUDGE',
      'SEA_PASSAGE',
      'DISCHARGE_CARGO_OPERATIONS',
      'LOADING_CARGO_OPERATIONS',
      'LASHING',
      'ANCHORAGE_OPERATIONS',
      'SHORE_POWER',
    ].map((t) => [t, ['STRT', 'CMPL']]),
  ),
  ...Object.fromEntries(
    [
      'PILOT_BOARDING_PLACE',
      'ALL_FAST',
      'GANGWAY_DOWN_AND_SECURE',
      'VESSEL_READY_FOR_CARGO_OPERATIONS',
      'VESSEL_READY_TO_SAIL',
      'MOVES',
    ].map((t) => [t, ['ARRI']]),
  ),
};
export const SERVICE_TYPES = Object.keys(EVENT_CODES_OF);

const hashOf = (body: unknown): string => createHash('sha256').update(canonicalJson(body)).digest('hex');
const notFound = (what: string, id: string): AppError => new AppError('NOT_FOUND', DcsaErrorCode.NOT_FOUND, `No ${what} ${id}`);
const closed = (message: string): AppError => new AppError('CONFLICT', DcsaErrorCode.CLOSED, message);
const samePath = (property: string, inBody: string, inPath: string): void => {
  if (inBody !== inPath) {
    throw invalid(property, `must equal the id in the path (${inPath})`);
  }
};

const audience = (pc: Pick<DcsaPortCallRow, 'owner_org_id' | 'terminal_org_ids' | 'district_code'>) => ({
  orgIds: [...new Set([pc.owner_org_id, ...pc.terminal_org_ids])],
  districtCode: pc.district_code,
});

const record = (trx: Tx, clock: Clock, p: Principal, pc: DcsaPortCallRow, type: string, id: string, payload: Record<string, unknown>) =>
  appendEvent(trx, clock, { type, aggregateType: 'dcsa-jit', aggregateId: id, actor: actorOf(p), payload, ...audience(pc) });

/** Stores the link (and the call's terminals) once the PortCluster call exists; an event when it does. */
const storeLink = async (trx: Tx, clock: Clock, p: Principal, pc: DcsaPortCallRow): Promise<DcsaPortCallRow> => {
  if (pc.port_call_id !== null) {
    return pc;
  }
  const callId = await linkedCallId(trx, pc);
  if (callId === null) {
    return pc;
  }
  const call = await trx.selectFrom('port_calls').select('terminal_org_ids').where('id', '=', callId).executeTakeFirstOrThrow();
  const linked = await trx
    .updateTable('dcsa_port_calls')
    .set({ port_call_id: callId, terminal_org_ids: [...new Set([...pc.terminal_org_ids, ...call.terminal_org_ids])] })
    .where('id', '=', pc.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await record(trx, clock, p, linked, 'dcsa-jit.port-call-linked', pc.id, { portCallID: pc.id, portCallId: callId });
  return linked;
};

const lockPortCall = (trx: Tx, id: string) =>
  trx.selectFrom('dcsa_port_calls').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

/** PUT /port-calls/{portCallID}: create or update; an omitted port call no longer changes (409). */
export const putPortCall = async ({ db, clock }: Deps, p: Principal, id: string, body: PortCallBody): Promise<void> => {
  samePath('portCallID', body.portCallID, id);
  const { vessel } = body;
  if (vessel.vesselIMONumber === undefined && vessel.MMSINumber === undefined) {
    throw invalid('vessel.vesselIMONumber', 'at least one of vesselIMONumber or MMSINumber must be given');
  }
  if (vessel.vesselIMONumber?.length === 7) {
    const imo = validateImoNumber(vessel.vesselIMONumber);
    if (!imo.ok) {
      throw invalid('vessel.vesselIMONumber', imo.reason);
    }
  }
  const { omitted: _ignored, isFYI: _fyi, ...kept } = body;
  const hash = hashOf(kept);
  await inTransaction(db, async (trx) => {
    const today = isoDate(clock.now());
    const port = await trx
      .selectFrom('ports')
      .innerJoin('customs_offices', 'customs_offices.code', 'ports.customs_code')
      .select(['ports.id', 'customs_offices.district_code'])
      .where('ports.locode', '=', body.UNLocationCode)
      .where(validAt(today, 'ports'))
      .where(validAt(today, 'customs_offices'))
      .executeTakeFirst();
    if (port === undefined) {
      throw invalid('UNLocationCode', `${body.UNLocationCode} is not a port of this cluster`);
    }
    const terminals = await trx
      .selectFrom('terminals')
      .innerJoin('port_areas', 'port_areas.id', 'terminals.port_area_id')
      .select('terminals.operator_org_id')
      .distinct()
      .where('port_areas.port_id', '=', port.id)
      .where('terminals.operator_org_id', 'is not', null)
      .where(validAt(today, 'terminals'))
      .where(validAt(today, 'port_areas'))
      .execute();
    const terminalOrgs = terminals.flatMap((t) => (t.operator_org_id === null ? [] : [t.operator_org_id]));
    const fields = {
      un_location_code: body.UNLocationCode,
      port_visit_reference: body.portVisitReference ?? null,
      vessel_imo: vessel.vesselIMONumber ?? null,
      vessel_mmsi: vessel.MMSINumber ?? null,
      vessel: JSON.stringify(vessel),
      district_code: port.district_code.trimEnd(),
      body_hash: hash,
      updated_at: clock.now(),
    };
    const existing = await lockPortCall(trx, id);
    let row: DcsaPortCallRow;
    if (existing === undefined) {
      row = await trx
        .insertInto('dcsa_port_calls')
        .values({
          id,
          owner_org_id: p.orgId,
          terminal_org_ids: terminalOrgs,
          port_call_id: null,
          omit_reason: null,
          created_at: clock.now(),
          ...fields,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await record(trx, clock, p, row, 'dcsa-jit.port-call-received', id, { ...kept, isFYI: body.isFYI ?? false });
    } else {
      if ((await findPortCall(trx, id, p)) === undefined) {
        throw notFound('port call', id);
      }
      if (existing.omitted) {
        throw closed(`Port call ${id} has been omitted and cannot be updated`);
      }
      if (existing.body_hash === hash) {
        await storeLink(trx, clock, p, existing);
        return;
      }
      const moved = existing.un_location_code.trimEnd() !== body.UNLocationCode || existing.vessel_imo !== fields.vessel_imo;
      row = await trx
        .updateTable('dcsa_port_calls')
        .set({
          ...fields,
          ...(moved ? { port_call_id: null } : {}),
          terminal_org_ids: [...new Set([...(moved ? [] : existing.terminal_org_ids), ...terminalOrgs])],
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await record(trx, clock, p, row, 'dcsa-jit.port-call-updated', id, { ...kept, isFYI: body.isFYI ?? false });
    }
    await storeLink(trx, clock, p, row);
  });
};

const terminalCallExists = async (trx: Tx, id: string): Promise<boolean> =>
  (await trx.selectFrom('dcsa_terminal_calls').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
const serviceExists = async (trx: Tx, id: string): Promise<boolean> =>
  (await trx.selectFrom('dcsa_port_call_services').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;

/** PUT /terminal-calls/{terminalCallID}: under a port call the caller sees (else 400, as the spec says). */
export const putTerminalCall = async ({ db, clock }: Deps, p: Principal, id: string, body: TerminalCallBody): Promise<void> => {
  samePath('terminalCallID', body.terminalCallID, id);
  const { omitted: _ignored, isFYI: _fyi, ...kept } = body;
  const hash = hashOf(kept);
  await inTransaction(db, async (trx) => {
    // Someone else's record under this id is a 404 before anything about the body is said.
    if ((await terminalCallExists(trx, id)) && (await findTerminalCall(trx, id, p)) === undefined) {
      throw notFound('terminal call', id);
    }
    const pc = await findPortCall(trx, body.portCallID, p);
    if (pc === undefined) {
      throw invalid('portCallID', `no port call ${body.portCallID}`);
    }
    await lockPortCall(trx, pc.id);
    const existing = await trx.selectFrom('dcsa_terminal_calls').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (existing !== undefined && existing.dcsa_port_call_id !== pc.id) {
      throw invalid('portCallID', `terminal call ${id} belongs to port call ${existing.dcsa_port_call_id}`);
    }
    if (pc.omitted) {
      throw closed(`Port call ${pc.id} has been omitted`);
    }
    if (existing?.omitted === true) {
      throw closed(`Terminal call ${id} has been omitted and cannot be updated`);
    }
    const linked = await storeLink(trx, clock, p, pc);
    if (existing?.body_hash === hash) {
      return;
    }
    const fields = {
      terminal_call_reference: body.terminalCallReference ?? null,
      terminal_call_sequence_number: body.terminalCallSequenceNumber ?? null,
      carrier_service_name: body.carrierServiceName,
      carrier_service_code: body.carrierServiceCode,
      universal_service_reference: body.universalServiceReference ?? null,
      carrier_import_voyage_number: body.carrierImportVoyageNumber ?? null,
      carrier_export_voyage_number: body.carrierExportVoyageNumber ?? null,
      universal_import_voyage_reference: body.universalImportVoyageReference ?? null,
      universal_export_voyage_reference: body.universalExportVoyageReference ?? null,
      body_hash: hash,
      updated_at: clock.now(),
    };
    if (existing === undefined) {
      await trx
        .insertInto('dcsa_terminal_calls')
        .values({ id, dcsa_port_call_id: pc.id, omit_reason: null, created_at: clock.now(), ...fields })
        .execute();
    } else {
      await trx.updateTable('dcsa_terminal_calls').set(fields).where('id', '=', id).execute();
    }
    const type = existing === undefined ? 'dcsa-jit.terminal-call-received' : 'dcsa-jit.terminal-call-updated';
    await record(trx, clock, p, linked, type, id, { ...kept, isFYI: body.isFYI ?? false });
  });
};

const checkService = (body: ServiceBody): void => {
  const allowed = EVENT_CODES_OF[body.portCallServiceTypeCode];
  if (allowed === undefined) {
    throw invalid('portCallServiceTypeCode', `unknown service type; one of ${SERVICE_TYPES.join(', ')}`);
  }
  if (!allowed.includes(body.portCallServiceEventTypeCode)) {
    throw invalid('portCallServiceEventTypeCode', `${body.portCallServiceTypeCode} takes ${allowed.join(' or ')}`);
  }
  if (body.moves !== undefined && body.portCallServiceTypeCode !== 'MOVES') {
    throw invalid('moves', 'only a MOVES service carries moves');
  }
  (body.moves ?? []).forEach((m, i) => {
    if (m.carrierCode !== undefined && m.carrierCodeListProvider === undefined) {
      throw invalid(`moves.${i}.carrierCodeListProvider`, 'required with a carrierCode');
    }
    if (m.totalUnits !== undefined && (m.loadUnits !== undefined || m.dischargeUnits !== undefined)) {
      throw invalid(`moves.${i}.totalUnits`, 'either totalUnits or loadUnits/dischargeUnits, not both');
    }
  });
};

const openChain = (c: ServiceChain): void => {
  if (c.pc.omitted) {
    throw closed(`Port call ${c.pc.id} has been omitted`);
  }
  if (c.tc.omitted) {
    throw closed(`Terminal call ${c.tc.id} has been omitted`);
  }
  if (c.svc.cancelled) {
    throw closed(`Port call service ${c.svc.id} has been cancelled`);
  }
  if (c.svc.declined) {
    throw closed(`Port call service ${c.svc.id} has been declined`);
  }
};

/** PUT /port-call-services/{portCallServiceID}. */
export const putService = async ({ db, clock }: Deps, p: Principal, id: string, body: ServiceBody): Promise<void> => {
  samePath('portCallServiceID', body.portCallServiceID, id);
  checkService(body);
  const { cancelled: _c, declined: _d, isFYI: _fyi, ...kept } = body;
  const hash = hashOf(kept);
  await inTransaction(db, async (trx) => {
    if ((await serviceExists(trx, id)) && (await findService(trx, id, p)) === undefined) {
      throw notFound('port call service', id);
    }
    const parent = await findTerminalCall(trx, body.terminalCallID, p);
    if (parent === undefined) {
      throw invalid('terminalCallID', `no terminal call ${body.terminalCallID}`);
    }
    await lockPortCall(trx, parent.pc.id);
    const existing = await trx.selectFrom('dcsa_port_call_services').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (existing !== undefined) {
      const chain = await findService(trx, id, p);
      if (chain === undefined) {
        throw notFound('port call service', id);
      }
      if (existing.terminal_call_id !== parent.tc.id) {
        throw invalid('terminalCallID', `service ${id} belongs to terminal call ${existing.terminal_call_id}`);
      }
      openChain(chain);
      if (existing.body_hash === hash) {
        await storeLink(trx, clock, p, parent.pc);
        return;
      }
    } else if (parent.pc.omitted || parent.tc.omitted) {
      throw closed(`Terminal call ${parent.tc.id} (or its port call) has been omitted`);
    }
    const linked = await storeLink(trx, clock, p, parent.pc);
    const fields = {
      type_code: body.portCallServiceTypeCode,
      event_type_code: body.portCallServiceEventTypeCode,
      phase_type_code: body.portCallPhaseTypeCode ?? null,
      facility_type_code: body.facilityTypeCode ?? null,
      location: JSON.stringify(body.portCallServiceLocation),
      moves: body.moves === undefined ? null : JSON.stringify(body.moves),
      body_hash: hash,
      updated_at: clock.now(),
    };
    if (existing === undefined) {
      await trx
        .insertInto('dcsa_port_call_services')
        .values({ id, terminal_call_id: parent.tc.id, cancel_reason: null, decline_reason: null, created_at: clock.now(), ...fields })
        .execute();
    } else {
      await trx.updateTable('dcsa_port_call_services').set(fields).where('id', '=', id).execute();
    }
    const type = existing === undefined ? 'dcsa-jit.service-received' : 'dcsa-jit.service-updated';
    await record(trx, clock, p, linked, type, id, { ...kept, isFYI: body.isFYI ?? false });
  });
};

const isCargoStart = (c: ServiceChain, body: TimestampBody): boolean =>
  body.classifierCode === 'ACT' && c.svc.type_code === 'CARGO_OPERATIONS' && c.svc.event_type_code === 'STRT';

/**
 * PUT /timestamps/{timestampID}. Immutable and idempotent: the same body again changes nothing, a
 * different body under the same id is a 409. A provider's actual start of cargo operations goes
 * through the port call's own command, so the pratique interlock (and its alarm) holds here too.
 */
export const putTimestamp = async (deps: Deps, p: Principal, id: string, body: TimestampBody): Promise<void> => {
  const { db, clock } = deps;
  samePath('timestampID', body.timestampID, id);
  if (p.role === 'agent' && body.classifierCode !== 'REQ') {
    throw new AppError(
      'NOT_ALLOWED',
      DcsaErrorCode.NOT_YOUR_SIDE,
      `classifierCode: a Service Consumer sends REQ only, not ${body.classifierCode}`,
      [{ path: '/classifierCode', message: 'a Service Consumer sends REQ only' }],
    );
  }
  if (p.role === 'terminal-operator' && body.classifierCode === 'REQ') {
    throw new AppError('NOT_ALLOWED', DcsaErrorCode.NOT_YOUR_SIDE, 'classifierCode: REQ is sent by the Service Consumer only', [
      { path: '/classifierCode', message: 'the Service Provider sends EST, PLN or ACT' },
    ]);
  }
  const at = new Date(body.dateTime);
  const { isFYI, ...kept } = body;
  const hash = hashOf(kept);
  const chain = await findService(db, body.portCallServiceID, p);
  const existing = await db.selectFrom('dcsa_timestamps').selectAll().where('id', '=', id).executeTakeFirst();
  if (existing !== undefined) {
    const mine = chain !== undefined && existing.port_call_service_id === chain.svc.id;
    if (!mine && (await findService(db, existing.port_call_service_id, p)) === undefined) {
      throw notFound('timestamp', id);
    }
    if (existing.body_hash === hash) {
      return;
    }
    throw new AppError('CONFLICT', DcsaErrorCode.TIMESTAMP_CHANGED, `Timestamp ${id} exists with another body; timestamps are immutable`);
  }
  if (chain === undefined) {
    throw invalid('portCallServiceID', `no port call service ${body.portCallServiceID}`);
  }
  openChain(chain);
  const type = chain.svc.type_code;
  if (body.classifierCode !== 'ACT' && !NEGOTIABLE_SERVICES.includes(type)) {
    throw invalid('classifierCode', `${type} takes actuals (ACT) only`);
  }
  if (body.classifierCode === 'ACT' && type === 'MOVES') {
    throw invalid('classifierCode', 'MOVES takes no timestamps');
  }
  if (body.portCallServiceLocation !== undefined && body.classifierCode !== 'REQ') {
    throw invalid('portCallServiceLocation', 'only a requested (REQ) timestamp may carry a location');
  }
  if (body.replyToTimestampID !== undefined) {
    const stored = await storedTimestamps(db, [chain.svc.id]);
    const known = [...stored, ...(await derivedTimestamps(db, [chain], stored))].some((t) =>
      'timestampID' in t ? t.timestampID === body.replyToTimestampID : t.id === body.replyToTimestampID,
    );
    if (!known) {
      throw invalid('replyToTimestampID', `no timestamp ${body.replyToTimestampID} on port call service ${chain.svc.id}`);
    }
  }
  let sourceEventId: string | null = null;
  if (p.role !== 'agent' && isCargoStart(chain, body)) {
    const callId = await linkedCallId(db, chain.pc);
    if (callId === null) {
      throw new AppError(
        'CONFLICT',
        DcsaErrorCode.CLOSED,
        `Port call ${chain.pc.id} is not linked to a PortCluster port call: cargo operations cannot be recorded`,
      );
    }
    // Its own transactions: a refusal writes the alarm, which must outlive the refused request.
    await startCargoOperations({ db, clock }, p, callId, { at: at.toISOString() });
    const started = await db
      .selectFrom('events')
      .select('id')
      .where('aggregate_id', '=', callId)
      .where('type', '=', 'port-call.cargo-operations-started')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    sourceEventId = started.id;
  }
  await inTransaction(db, async (trx) => {
    const pc = await storeLink(trx, clock, p, (await lockPortCall(trx, chain.pc.id)) as DcsaPortCallRow);
    const inserted = await trx
      .insertInto('dcsa_timestamps')
      .values({
        id,
        port_call_service_id: chain.svc.id,
        reply_to_timestamp_id: body.replyToTimestampID ?? null,
        classifier_code: body.classifierCode,
        date_time: at,
        date_time_text: body.dateTime,
        location: body.portCallServiceLocation === undefined ? null : JSON.stringify(body.portCallServiceLocation),
        delay_reason_code: body.delayReasonCode ?? null,
        remark: body.remark ?? null,
        is_fyi: isFYI ?? false,
        sender_org_id: p.orgId,
        source_event_id: sourceEventId,
        body_hash: hash,
        created_at: clock.now(),
      })
      // a concurrent resend may have won: the same body is then a no-op, another a 409
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('body_hash')
      .executeTakeFirst();
    if (inserted === undefined) {
      const winner = await trx.selectFrom('dcsa_timestamps').select('body_hash').where('id', '=', id).executeTakeFirstOrThrow();
      if (winner.body_hash !== hash) {
        throw new AppError(
          'CONFLICT',
          DcsaErrorCode.TIMESTAMP_CHANGED,
          `Timestamp ${id} exists with another body; timestamps are immutable`,
        );
      }
      return;
    }
    await record(trx, clock, p, pc, 'dcsa-jit.timestamp-received', id, { ...kept, isFYI: isFYI ?? false, portCallId: pc.port_call_id });
  });
};

/** PUT /vessel-statuses/{portCallServiceID}: every status is kept, newest first when read. */
export const putVesselStatus = async ({ db, clock }: Deps, p: Principal, serviceId: string, body: VesselStatusBody): Promise<void> => {
  samePath('portCallServiceID', body.portCallServiceID, serviceId);
  const drafts = [body.draft, body.airDraft, body.aftDraft, body.forwardDraft].some((d) => d !== undefined);
  if (drafts && body.dimensionUnit === undefined) {
    throw invalid('dimensionUnit', 'required when a draft is given');
  }
  await inTransaction(db, async (trx) => {
    const chain = await findService(trx, serviceId, p);
    if (chain === undefined) {
      throw notFound('port call service', serviceId);
    }
    openChain(chain);
    const { isFYI, ...status } = body;
    await trx
      .insertInto('dcsa_vessel_statuses')
      .values({ port_call_service_id: serviceId, status: JSON.stringify(status), sender_org_id: p.orgId, created_at: clock.now() })
      .execute();
    await record(trx, clock, p, chain.pc, 'dcsa-jit.vessel-status-received', serviceId, { ...status, isFYI: isFYI ?? false });
  });
};

/**
 * POST /port-calls/{id}/omit. Final; as the provider we omit its terminal calls and cancel their
 * services with it (spec, omit-port-call). Omitting again changes nothing.
 */
export const omitPortCall = async ({ db, clock }: Deps, p: Principal, id: string, body: ReasonBody): Promise<void> => {
  await inTransaction(db, async (trx) => {
    const pc = await findPortCall(trx, id, p);
    if (pc === undefined) {
      throw notFound('port call', id);
    }
    await lockPortCall(trx, id);
    if (pc.omitted) {
      return;
    }
    const reason = body.reason ?? null;
    const now = clock.now();
    await trx.updateTable('dcsa_port_calls').set({ omitted: true, omit_reason: reason, updated_at: now }).where('id', '=', id).execute();
    const terminalCalls = await trx
      .updateTable('dcsa_terminal_calls')
      .set({ omitted: true, omit_reason: reason, updated_at: now })
      .where('dcsa_port_call_id', '=', id)
      .where('omitted', '=', false)
      .returning('id')
      .execute();
    const services = await cancelServicesOf(
      trx,
      now,
      (await trx.selectFrom('dcsa_terminal_calls').select('id').where('dcsa_port_call_id', '=', id).execute()).map((t) => t.id),
      reason,
    );
    await record(trx, clock, p, pc, 'dcsa-jit.port-call-omitted', id, {
      reason,
      isFYI: body.isFYI ?? false,
      terminalCallsOmitted: terminalCalls.map((t) => t.id),
      servicesCancelled: services,
    });
  });
};

const cancelServicesOf = async (trx: Tx, now: Date, terminalCallIds: string[], reason: string | null): Promise<string[]> =>
  terminalCallIds.length === 0
    ? []
    : (
        await trx
          .updateTable('dcsa_port_call_services')
          .set({ cancelled: true, cancel_reason: reason, updated_at: now })
          .where('terminal_call_id', 'in', terminalCallIds)
          .where('cancelled', '=', false)
          .where('declined', '=', false)
          .returning('id')
          .execute()
      ).map((s) => s.id);

/** POST /terminal-calls/{id}/omit: final; its services are cancelled with it. */
export const omitTerminalCall = async ({ db, clock }: Deps, p: Principal, id: string, body: ReasonBody): Promise<void> => {
  await inTransaction(db, async (trx) => {
    const found = await findTerminalCall(trx, id, p);
    if (found === undefined) {
      throw notFound('terminal call', id);
    }
    await lockPortCall(trx, found.pc.id);
    if (found.tc.omitted) {
      return;
    }
    const reason = body.reason ?? null;
    const now = clock.now();
    await trx
      .updateTable('dcsa_terminal_calls')
      .set({ omitted: true, omit_reason: reason, updated_at: now })
      .where('id', '=', id)
      .execute();
    const services = await cancelServicesOf(trx, now, [id], reason);
    await record(trx, clock, p, found.pc, 'dcsa-jit.terminal-call-omitted', id, {
      reason,
      isFYI: body.isFYI ?? false,
      servicesCancelled: services,
    });
  });
};

/** Cancel (by the provider) or decline (by the consumer): final either way; the same again changes nothing. */
const closeService = async ({ db, clock }: Deps, p: Principal, id: string, body: ReasonBody, how: 'cancel' | 'decline'): Promise<void> => {
  await inTransaction(db, async (trx) => {
    const chain = await findService(trx, id, p);
    if (chain === undefined) {
      throw notFound('port call service', id);
    }
    await lockPortCall(trx, chain.pc.id);
    const { svc } = chain;
    if ((how === 'cancel' && svc.cancelled) || (how === 'decline' && svc.declined)) {
      return;
    }
    if (svc.cancelled || svc.declined) {
      throw closed(`Port call service ${id} has already been ${svc.cancelled ? 'cancelled' : 'declined'}`);
    }
    const reason = body.reason ?? null;
    await trx
      .updateTable('dcsa_port_call_services')
      .set(
        how === 'cancel'
          ? { cancelled: true, cancel_reason: reason, updated_at: clock.now() }
          : { declined: true, decline_reason: reason, updated_at: clock.now() },
      )
      .where('id', '=', id)
      .execute();
    const type = how === 'cancel' ? 'dcsa-jit.service-cancelled' : 'dcsa-jit.service-declined';
    await record(trx, clock, p, chain.pc, type, id, { reason, isFYI: body.isFYI ?? false });
  });
};

export const cancelService = (deps: Deps, p: Principal, id: string, body: ReasonBody) => closeService(deps, p, id, body, 'cancel');
export const declineService = (deps: Deps, p: Principal, id: string, body: ReasonBody) => closeService(deps, p, id, body, 'decline');
