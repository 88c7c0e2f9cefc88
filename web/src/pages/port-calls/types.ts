/** The API's shapes for port calls, quarantine cases and their events (src/modules/port-calls, src/modules/quarantine). */
export const CALL_STATES = ['pre-reported', 'confirmed', 'arrived', 'berthed', 'departure-reported', 'departed', 'cancelled'] as const;
export type CallState = (typeof CALL_STATES)[number];

export const CALL_PURPOSES = ['cargo', 'passengers', 'bunkering', 'repair', 'crew-change', 'supplies', 'shelter', 'other'] as const;
export const CALL_CARGO_TYPES = ['container', 'bulk', 'liquid-bulk', 'ro-ro', 'general', 'cruise'] as const;

export type CodePair = { portCode: string; customsCode: string };

export type PortCall = {
  id: string;
  state: CallState;
  portLocode: string;
  declaredCode: CodePair;
  vessel: { imo: string; name: string; flag: string | null; loaM: number; draftM: number };
  voyage: string;
  lastPort: string;
  lastPortDeparture: string;
  nextPort: string | null;
  portsOfCall: { locode: string; departedAt: string }[];
  eta: string;
  etd: string;
  purpose: string;
  cargoType: string;
  cargoSummary: string;
  crewCount: number;
  passengerCount: number;
  dangerousGoods: boolean;
  preReportedAt: string;
  lateReport: boolean;
  confirmedAt: string | null;
  arrivedAt: string | null;
  arrivalPlace: string | null;
  plannedBerth: { berthId: string; start: string | null; end: string | null } | null;
  berthId: string | null;
  berthedAt: string | null;
  quarantineMode: string | null;
  pratiqueGrantedAt: string | null;
  cargoOpsStartedAt: string | null;
  cargoOpsCompletedAt: string | null;
  departureReportedAt: string | null;
  departedAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  redeclarations: number;
  redeclarationsAvoided: number;
  version: number;
};

export const QUARANTINE_STATES = ['assessed', 'mode-assigned', 'remote-session', 'boarding', 'pratique-granted'] as const;
export type CaseState = (typeof QUARANTINE_STATES)[number];

/** Quarantine modes, least strict first, as the server ranks them (a forced mode admits only itself and stricter ones). */
export const QUARANTINE_MODES = ['telecom', 'smart-remote', 'berth', 'onboard', 'anchorage'] as const;
export type QuarantineMode = (typeof QUARANTINE_MODES)[number];

/** The nine questions of the Maritime Declaration of Health (IHR 2005, Annex 8), in its order. */
export const MDH_QUESTIONS = [
  'deaths',
  'infectiousDisease',
  'illPassengersAboveNormal',
  'illPersonsNow',
  'medicalPractitionerConsulted',
  'infectionCondition',
  'sanitaryMeasureApplied',
  'stowaways',
  'sickAnimal',
] as const;
export type MdhQuestion = (typeof MDH_QUESTIONS)[number];

export type RiskReason = { ruleId: string; points: number; forceMode: string | null; reasonZh: string; reasonEn: string };

export type QuarantineCase = {
  id: string;
  portCallId: string;
  state: CaseState;
  vessel: { imo: string; name: string };
  portLocode: string;
  eta: string;
  declaredAt: string;
  lateDeclaration: boolean;
  proposedMode: string | null;
  forcedMode: string | null;
  mode: string | null;
  healthDeclaration: {
    /** The declaration's header (master, …) as the server keeps it. */
    header?: Record<string, unknown>;
    answers: Partial<Record<MdhQuestion, boolean>>;
    illPersons?: number;
    remarks?: string;
  };
  sanitationCertificate: { number: string; issuedOn: string | null; issuedAt: string | null } | null;
  crewHealth: { feverCount: number; illCount: number };
  assessment: { ruleSetVersion: number | null; score: number | null; reasons: RiskReason[] } | null;
  startedAt: string | null;
  remoteSession: {
    startedAt: string;
    temperatures: { person: string; celsius: number }[];
    medicalLog: { fileName: string; sha256: string; pages?: number | null } | null;
    video: { satisfactory: boolean; findings: string } | null;
  } | null;
  escalatedAt: string | null;
  escalationReason: string | null;
  certificateNo: string | null;
  certificateIssuedAt: string | null;
  pratiqueGrantedAt: string | null;
  durationMinutes: number | null;
  version: number;
};

export type QuarantineKpis = {
  cases: number;
  granted: number;
  medianDurationMinutes: number | null;
  meanDurationMinutes: number | null;
  remoteShare: number | null;
  escalationRate: number | null;
  hoursSavedBeforeBerthing: number | null;
  byMode: Record<string, number>;
};

export type DomainEvent = {
  seq: number;
  id: string;
  type: string;
  aggregateType: string;
  aggregateId: string;
  actorType: string;
  actorId: string | null;
  occurredAt: string;
  payload: unknown;
};
