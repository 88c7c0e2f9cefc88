import { createHash } from 'node:crypto';
import type { DbOrTx } from '../../db/tx.ts';
import { linkedCallId } from './dcsa.link.ts';
import type { DcsaPortCallRow, DcsaServiceRow, DcsaTerminalCallRow, DcsaTimestampRow } from './dcsa.repository.ts';

/** Namespace of our provider timestamp ids (a fixed random UUID). */
const NAMESPACE = Buffer.from('6b1f3c2e8d4a4f0b9e5a7c1d2f3e4a5b', 'hex');

/** RFC 9562 UUIDv5 (SHA-1, name-based): the same event and service always give the same timestampID. */
export const uuidV5 = (name: string): string => {
  const h = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x50;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
};

type Rule = { type: string; event: string; classifier: 'PLN' | 'ACT'; at: string; remark: (p: Record<string, unknown>) => string };

/**
 * What the provider says on a JIT service when the PortCluster call moves (spec, PortCallService
 * and Timestamp): the berth plan is the PLN answer to the consumer's REQ; berthing, cargo operations
 * and departure are actuals; the outbound sea passage starts at departure.
 */
export const PROVIDER_RULES: Record<string, Rule[]> = {
  'port-call.berth-planned': [
    { type: 'BERTH', event: 'ARRI', classifier: 'PLN', at: 'start', remark: (p) => `Berth ${String(p.berthCode)} planned` },
    { type: 'BERTH', event: 'DEPA', classifier: 'PLN', at: 'end', remark: (p) => `Berth ${String(p.berthCode)} planned` },
  ],
  'port-call.arrived': [{ type: 'ANCHORAGE', event: 'STRT', classifier: 'ACT', at: 'at', remark: () => 'Arrived' }],
  'port-call.berthed': [
    { type: 'BERTH', event: 'ARRI', classifier: 'ACT', at: 'at', remark: (p) => `All fast at berth ${String(p.berthCode)}` },
    { type: 'ALL_FAST', event: 'ARRI', classifier: 'ACT', at: 'at', remark: (p) => `All fast at berth ${String(p.berthCode)}` },
  ],
  'port-call.cargo-operations-started': [
    { type: 'CARGO_OPERATIONS', event: 'STRT', classifier: 'ACT', at: 'at', remark: () => 'Cargo operations started' },
  ],
  'port-call.cargo-operations-completed': [
    { type: 'CARGO_OPERATIONS', event: 'CMPL', classifier: 'ACT', at: 'at', remark: () => 'Cargo operations completed' },
  ],
  'port-call.departed': [
    { type: 'BERTH', event: 'DEPA', classifier: 'ACT', at: 'at', remark: () => 'Departed' },
    { type: 'SEA_PASSAGE', event: 'STRT', classifier: 'ACT', at: 'at', remark: () => 'Departed' },
  ],
};

export type TimestampView = {
  timestampID: string;
  replyToTimestampID?: string;
  portCallServiceID: string;
  classifierCode: string;
  dateTime: string;
  portCallServiceLocation?: unknown;
  delayReasonCode?: string;
  remark?: string;
  /** Ordering only, not sent. */
  at: Date;
};

export const presentStored = (t: DcsaTimestampRow): TimestampView => ({
  timestampID: t.id,
  ...(t.reply_to_timestamp_id !== null ? { replyToTimestampID: t.reply_to_timestamp_id } : {}),
  portCallServiceID: t.port_call_service_id,
  classifierCode: t.classifier_code,
  dateTime: t.date_time_text,
  ...(t.location !== null ? { portCallServiceLocation: t.location } : {}),
  ...(t.delay_reason_code !== null ? { delayReasonCode: t.delay_reason_code } : {}),
  ...(t.remark !== null ? { remark: t.remark } : {}),
  at: t.created_at,
});

type Chain = { svc: DcsaServiceRow; tc: DcsaTerminalCallRow; pc: DcsaPortCallRow };

/**
 * The provider timestamps the PortCluster call's events imply for these services, derived when
 * read: nothing is written, the ids are UUIDv5 of (event, service, classifier) and a PLN replies to
 * the latest REQ stored before the event was recorded, so every read gives the same answer. An
 * event a stored timestamp already stands for (the terminal's own cargo ACT) is not derived again.
 */
export const derivedTimestamps = async (db: DbOrTx, chains: Chain[], stored: DcsaTimestampRow[]): Promise<TimestampView[]> => {
  const byPortCall = new Map<string, Chain[]>();
  for (const c of chains) {
    byPortCall.set(c.pc.id, [...(byPortCall.get(c.pc.id) ?? []), c]);
  }
  const out: TimestampView[] = [];
  for (const group of byPortCall.values()) {
    const callId = await linkedCallId(db, (group[0] as Chain).pc);
    if (callId === null) {
      continue;
    }
    const events = await db
      .selectFrom('events')
      .select(['id', 'type', 'payload', 'recorded_at'])
      .where('aggregate_type', '=', 'port-call')
      .where('aggregate_id', '=', callId)
      .where('type', 'in', Object.keys(PROVIDER_RULES))
      .orderBy('seq')
      .execute();
    for (const e of events) {
      const payload = e.payload as Record<string, unknown>;
      for (const rule of PROVIDER_RULES[e.type] ?? []) {
        if (rule.type === 'ANCHORAGE' && payload.place !== 'anchorage') {
          continue;
        }
        const at = payload[rule.at];
        if (typeof at !== 'string') {
          continue;
        }
        for (const { svc } of group) {
          if (svc.type_code !== rule.type || svc.event_type_code !== rule.event) {
            continue;
          }
          if (stored.some((t) => t.port_call_service_id === svc.id && t.source_event_id === e.id)) {
            continue;
          }
          const requests = stored.filter(
            (t) => t.port_call_service_id === svc.id && t.classifier_code === 'REQ' && t.created_at.getTime() <= e.recorded_at.getTime(),
          );
          const replyTo = rule.classifier === 'PLN' ? requests[requests.length - 1] : undefined;
          out.push({
            timestampID: uuidV5(`${e.id}/${svc.id}/${rule.classifier}`),
            ...(replyTo !== undefined ? { replyToTimestampID: replyTo.id } : {}),
            portCallServiceID: svc.id,
            classifierCode: rule.classifier,
            dateTime: at,
            remark: rule.remark(payload),
            at: e.recorded_at,
          });
        }
      }
    }
  }
  return out;
};
