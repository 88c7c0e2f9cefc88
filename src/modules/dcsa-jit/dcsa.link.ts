import type { DbOrTx } from '../../db/tx.ts';
import type { DcsaPortCallRow } from './dcsa.repository.ts';

/** The states after which a PortCluster call no longer takes a JIT port call. */
const CLOSED_STATES = ['departed', 'cancelled'];

/**
 * The PortCluster call a JIT port call stands for: the stored link, else the open call (not
 * departed or cancelled) of the same vessel IMO at the same UN/LOCODE filed by the consumer's own
 * organisation, earliest ETA first. A pure function of the data, so a read and the next write
 * agree on it; writes store it (dcsa.commands.ts).
 */
export const linkedCallId = async (
  db: DbOrTx,
  pc: Pick<DcsaPortCallRow, 'port_call_id' | 'vessel_imo' | 'un_location_code' | 'owner_org_id'>,
): Promise<string | null> => {
  if (pc.port_call_id !== null) {
    return pc.port_call_id;
  }
  if (pc.vessel_imo === null) {
    return null;
  }
  const row = await db
    .selectFrom('port_calls')
    .select('id')
    .where('vessel_imo', '=', pc.vessel_imo)
    .where('port_locode', '=', pc.un_location_code)
    .where('agent_org_id', '=', pc.owner_org_id)
    .where('state', 'not in', CLOSED_STATES)
    .orderBy('eta')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
};
