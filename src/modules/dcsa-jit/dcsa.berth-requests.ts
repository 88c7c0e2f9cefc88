import type { DbOrTx } from '../../db/tx.ts';
import { linkedCallId } from './dcsa.link.ts';

/**
 * The requested berth time of each PortCluster call, for the berth optimiser: the consumer's
 * latest REQ on a BERTH/ARRI service of a JIT port call linked to it (stored or by the link rule),
 * ignoring omitted calls and cancelled or declined services. Unscoped: the caller decides who sees it.
 */
export const requestedBerthTimes = async (db: DbOrTx, portCallIds: string[]): Promise<Map<string, Date>> => {
  const out = new Map<string, Date>();
  if (portCallIds.length === 0) {
    return out;
  }
  const calls = await db.selectFrom('port_calls').select(['id', 'vessel_imo']).where('id', 'in', portCallIds).execute();
  if (calls.length === 0) {
    return out;
  }
  const candidates = await db
    .selectFrom('dcsa_port_calls')
    .selectAll()
    .where('omitted', '=', false)
    .where((eb) =>
      eb.or([
        eb('port_call_id', 'in', portCallIds),
        eb.and([
          eb('port_call_id', 'is', null),
          eb(
            'vessel_imo',
            'in',
            calls.map((c) => c.vessel_imo.trimEnd()),
          ),
        ]),
      ]),
    )
    .execute();
  const wanted = new Set(portCallIds);
  const callOf = new Map<string, string>();
  for (const pc of candidates) {
    const callId = await linkedCallId(db, pc);
    if (callId !== null && wanted.has(callId)) {
      callOf.set(pc.id, callId);
    }
  }
  if (callOf.size === 0) {
    return out;
  }
  const requests = await db
    .selectFrom('dcsa_timestamps')
    .innerJoin('dcsa_port_call_services', 'dcsa_port_call_services.id', 'dcsa_timestamps.port_call_service_id')
    .innerJoin('dcsa_terminal_calls', 'dcsa_terminal_calls.id', 'dcsa_port_call_services.terminal_call_id')
    .select(['dcsa_terminal_calls.dcsa_port_call_id', 'dcsa_timestamps.date_time'])
    .where('dcsa_terminal_calls.dcsa_port_call_id', 'in', [...callOf.keys()])
    .where('dcsa_terminal_calls.omitted', '=', false)
    .where('dcsa_port_call_services.type_code', '=', 'BERTH')
    .where('dcsa_port_call_services.event_type_code', '=', 'ARRI')
    .where('dcsa_port_call_services.cancelled', '=', false)
    .where('dcsa_port_call_services.declined', '=', false)
    .where('dcsa_timestamps.classifier_code', '=', 'REQ')
    .orderBy('dcsa_timestamps.created_at')
    .orderBy('dcsa_timestamps.id')
    .execute();
  for (const r of requests) {
    // later rows overwrite earlier ones: the latest request stands
    out.set(callOf.get(r.dcsa_port_call_id) as string, r.date_time);
  }
  return out;
};
