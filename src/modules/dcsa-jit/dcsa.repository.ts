import { sql, type Selectable, type SqlBool } from 'kysely';
import type { Principal } from '../../auth/principal.ts';
import { visibleTo } from '../../auth/scope.ts';
import type { DcsaPortCallServicesTable, DcsaPortCallsTable, DcsaTerminalCallsTable, DcsaTimestampsTable } from '../../db/schema.ts';
import type { DbOrTx } from '../../db/tx.ts';

export type DcsaPortCallRow = Selectable<DcsaPortCallsTable>;
export type DcsaTerminalCallRow = Selectable<DcsaTerminalCallsTable>;
export type DcsaServiceRow = Selectable<DcsaPortCallServicesTable>;
export type DcsaTimestampRow = Selectable<DcsaTimestampsTable>;

// Terminal calls, services, timestamps and vessel statuses carry no audience of their own: a
// caller sees them exactly when it sees their port call (one tenant rule, dcsa_port_calls).

export const findPortCall = (db: DbOrTx, id: string, p: Principal): Promise<DcsaPortCallRow | undefined> =>
  db.selectFrom('dcsa_port_calls').selectAll().where('id', '=', id).where(visibleTo('dcsa_port_calls', p)).executeTakeFirst();

export const findTerminalCall = async (
  db: DbOrTx,
  id: string,
  p: Principal,
): Promise<{ tc: DcsaTerminalCallRow; pc: DcsaPortCallRow } | undefined> => {
  const tc = await db
    .selectFrom('dcsa_terminal_calls')
    .innerJoin('dcsa_port_calls', 'dcsa_port_calls.id', 'dcsa_terminal_calls.dcsa_port_call_id')
    .selectAll('dcsa_terminal_calls')
    .where('dcsa_terminal_calls.id', '=', id)
    .where(visibleTo('dcsa_port_calls', p))
    .executeTakeFirst();
  if (tc === undefined) {
    return undefined;
  }
  const pc = await db.selectFrom('dcsa_port_calls').selectAll().where('id', '=', tc.dcsa_port_call_id).executeTakeFirstOrThrow();
  return { tc, pc };
};

export type ServiceChain = { svc: DcsaServiceRow; tc: DcsaTerminalCallRow; pc: DcsaPortCallRow };

export const findService = async (db: DbOrTx, id: string, p: Principal): Promise<ServiceChain | undefined> => {
  const svc = await db
    .selectFrom('dcsa_port_call_services')
    .innerJoin('dcsa_terminal_calls', 'dcsa_terminal_calls.id', 'dcsa_port_call_services.terminal_call_id')
    .innerJoin('dcsa_port_calls', 'dcsa_port_calls.id', 'dcsa_terminal_calls.dcsa_port_call_id')
    .selectAll('dcsa_port_call_services')
    .where('dcsa_port_call_services.id', '=', id)
    .where(visibleTo('dcsa_port_calls', p))
    .executeTakeFirst();
  if (svc === undefined) {
    return undefined;
  }
  const found = await findTerminalCall(db, svc.terminal_call_id, p);
  return found === undefined ? undefined : { svc, ...found };
};

export type PortCallFilter = {
  portCallID?: string;
  portVisitReference?: string;
  UNLocationCode?: string;
  vesselIMONumber?: string;
  vesselName?: string;
  MMSINumber?: string;
};

export const listPortCalls = (db: DbOrTx, f: PortCallFilter, p: Principal): Promise<DcsaPortCallRow[]> => {
  let q = db.selectFrom('dcsa_port_calls').selectAll().where(visibleTo('dcsa_port_calls', p));
  if (f.portCallID !== undefined) {
    q = q.where('id', '=', f.portCallID);
  }
  if (f.portVisitReference !== undefined) {
    q = q.where('port_visit_reference', '=', f.portVisitReference);
  }
  if (f.UNLocationCode !== undefined) {
    q = q.where('un_location_code', '=', f.UNLocationCode);
  }
  if (f.vesselIMONumber !== undefined) {
    q = q.where('vessel_imo', '=', f.vesselIMONumber);
  }
  if (f.MMSINumber !== undefined) {
    q = q.where('vessel_mmsi', '=', f.MMSINumber);
  }
  if (f.vesselName !== undefined) {
    q = q.where(sql<SqlBool>`vessel->>'name' = ${f.vesselName}`);
  }
  return q.orderBy('created_at').orderBy('id').execute();
};

export type TerminalCallFilter = {
  portCallID?: string;
  terminalCallID?: string;
  terminalCallReference?: string;
  carrierServiceName?: string;
  carrierServiceCode?: string;
  universalServiceReference?: string;
  carrierImportVoyageNumber?: string;
  carrierExportVoyageNumber?: string;
  universalImportVoyageReference?: string;
  universalExportVoyageReference?: string;
};

const TERMINAL_CALL_COLUMNS: Record<keyof TerminalCallFilter, keyof DcsaTerminalCallRow> = {
  portCallID: 'dcsa_port_call_id',
  terminalCallID: 'id',
  terminalCallReference: 'terminal_call_reference',
  carrierServiceName: 'carrier_service_name',
  carrierServiceCode: 'carrier_service_code',
  universalServiceReference: 'universal_service_reference',
  carrierImportVoyageNumber: 'carrier_import_voyage_number',
  carrierExportVoyageNumber: 'carrier_export_voyage_number',
  universalImportVoyageReference: 'universal_import_voyage_reference',
  universalExportVoyageReference: 'universal_export_voyage_reference',
};

export const listTerminalCalls = (db: DbOrTx, f: TerminalCallFilter, p: Principal): Promise<DcsaTerminalCallRow[]> => {
  let q = db
    .selectFrom('dcsa_terminal_calls')
    .innerJoin('dcsa_port_calls', 'dcsa_port_calls.id', 'dcsa_terminal_calls.dcsa_port_call_id')
    .selectAll('dcsa_terminal_calls')
    .where(visibleTo('dcsa_port_calls', p));
  for (const [key, column] of Object.entries(TERMINAL_CALL_COLUMNS)) {
    const v = f[key as keyof TerminalCallFilter];
    if (v !== undefined) {
      q = q.where(`dcsa_terminal_calls.${column}`, '=', v);
    }
  }
  return q.orderBy('dcsa_terminal_calls.created_at').orderBy('dcsa_terminal_calls.id').execute();
};

export type ServiceFilter = { terminalCallID?: string; portCallServiceID?: string; portCallServiceTypeCode?: string };

export const listServices = (db: DbOrTx, f: ServiceFilter, p: Principal): Promise<DcsaServiceRow[]> => {
  let q = db
    .selectFrom('dcsa_port_call_services')
    .innerJoin('dcsa_terminal_calls', 'dcsa_terminal_calls.id', 'dcsa_port_call_services.terminal_call_id')
    .innerJoin('dcsa_port_calls', 'dcsa_port_calls.id', 'dcsa_terminal_calls.dcsa_port_call_id')
    .selectAll('dcsa_port_call_services')
    .where(visibleTo('dcsa_port_calls', p));
  if (f.terminalCallID !== undefined) {
    q = q.where('dcsa_port_call_services.terminal_call_id', '=', f.terminalCallID);
  }
  if (f.portCallServiceID !== undefined) {
    q = q.where('dcsa_port_call_services.id', '=', f.portCallServiceID);
  }
  if (f.portCallServiceTypeCode !== undefined) {
    q = q.where('dcsa_port_call_services.type_code', '=', f.portCallServiceTypeCode);
  }
  return q.orderBy('dcsa_port_call_services.created_at').orderBy('dcsa_port_call_services.id').execute();
};

/** Stored timestamps of the given services (already checked visible by the caller). */
export const storedTimestamps = (db: DbOrTx, serviceIds: string[]): Promise<DcsaTimestampRow[]> =>
  serviceIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('dcsa_timestamps')
        .selectAll()
        .where('port_call_service_id', 'in', serviceIds)
        .orderBy('created_at')
        .orderBy('id')
        .execute();

/** Vessel statuses of a service, newest first (the caller has checked the service is visible). */
export const vesselStatuses = async (db: DbOrTx, serviceId: string): Promise<unknown[]> =>
  (
    await db
      .selectFrom('dcsa_vessel_statuses')
      .select('status')
      .where('port_call_service_id', '=', serviceId)
      .orderBy('seq', 'desc')
      .execute()
  ).map((r) => r.status);
