import type { PortCallRow } from './port-call.repository.ts';

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

/** The API's view of a call (also the payload of its events). */
export const presentCall = (r: PortCallRow) => ({
  id: r.id,
  state: r.state,
  agentOrgId: r.agent_org_id,
  portId: r.port_id,
  portLocode: r.port_locode,
  districtCode: r.district_code,
  declaredCode: { portCode: r.declared_port_code, customsCode: r.declared_customs_code.trimEnd() },
  vessel: { imo: r.vessel_imo, name: r.vessel_name, flag: r.vessel_flag, loaM: r.loa_m, draftM: r.draft_m },
  voyage: r.voyage,
  lastPort: r.last_port,
  lastPortDeparture: r.last_port_departure.toISOString(),
  nextPort: r.next_port,
  portsOfCall: r.ports_of_call,
  eta: r.eta.toISOString(),
  etd: r.etd.toISOString(),
  purpose: r.purpose,
  cargoType: r.cargo_type,
  cargoSummary: r.cargo_summary,
  crewCount: r.crew_count,
  passengerCount: r.passenger_count,
  dangerousGoods: r.dangerous_goods,
  preReportedAt: r.pre_reported_at.toISOString(),
  lateReport: r.late_report,
  confirmedAt: iso(r.confirmed_at),
  arrivedAt: iso(r.arrived_at),
  arrivalPlace: r.arrival_place,
  plannedBerth:
    r.planned_berth_id === null ? null : { berthId: r.planned_berth_id, start: iso(r.planned_berth_start), end: iso(r.planned_berth_end) },
  berthId: r.berth_id,
  berthedAt: iso(r.berthed_at),
  quarantineMode: r.quarantine_mode,
  pratiqueGrantedAt: iso(r.pratique_granted_at),
  cargoOpsStartedAt: iso(r.cargo_ops_started_at),
  cargoOpsCompletedAt: iso(r.cargo_ops_completed_at),
  departureReportedAt: iso(r.departure_reported_at),
  departedAt: iso(r.departed_at),
  cancelledAt: iso(r.cancelled_at),
  cancelReason: r.cancel_reason,
  redeclarations: r.redeclarations,
  redeclarationsAvoided: r.redeclarations_avoided,
  version: r.version,
});

export type PortCallView = ReturnType<typeof presentCall>;
