import type { DcsaPortCallRow, DcsaServiceRow, DcsaTerminalCallRow } from './dcsa.repository.ts';

// Absent, not null: the spec's optional properties are not nullable.
const opt = <K extends string, V>(key: K, v: V | null): { [P in K]?: V } => (v === null ? {} : ({ [key]: v } as { [P in K]?: V }));

export const presentPortCall = (r: DcsaPortCallRow) => ({
  portCallID: r.id,
  ...opt('portVisitReference', r.port_visit_reference),
  UNLocationCode: r.un_location_code.trimEnd(),
  vessel: r.vessel as Record<string, unknown>,
  omitted: r.omitted,
});

export const presentTerminalCall = (r: DcsaTerminalCallRow) => ({
  terminalCallID: r.id,
  portCallID: r.dcsa_port_call_id,
  ...opt('terminalCallReference', r.terminal_call_reference),
  ...opt('terminalCallSequenceNumber', r.terminal_call_sequence_number),
  carrierServiceName: r.carrier_service_name,
  carrierServiceCode: r.carrier_service_code,
  ...opt('universalServiceReference', r.universal_service_reference),
  ...opt('carrierImportVoyageNumber', r.carrier_import_voyage_number),
  ...opt('carrierExportVoyageNumber', r.carrier_export_voyage_number),
  ...opt('universalImportVoyageReference', r.universal_import_voyage_reference),
  ...opt('universalExportVoyageReference', r.universal_export_voyage_reference),
  omitted: r.omitted,
});

export const presentService = (r: DcsaServiceRow) => ({
  terminalCallID: r.terminal_call_id,
  portCallServiceID: r.id,
  portCallServiceTypeCode: r.type_code,
  portCallServiceEventTypeCode: r.event_type_code,
  ...opt('portCallPhaseTypeCode', r.phase_type_code),
  ...opt('facilityTypeCode', r.facility_type_code),
  portCallServiceLocation: r.location as Record<string, unknown>,
  ...opt('moves', r.moves as Record<string, unknown>[] | null),
  cancelled: r.cancelled,
  declined: r.declined,
});
