/** The API's shapes for manifests, box visits and EDIFACT uploads (src/modules/cargo, the EDIFACT routes). */

/** Manifest kinds and China's message type for each (MANIFEST_KINDS in manifest.commands.ts). */
export const MANIFEST_KINDS = {
  'import-original': 'MT1101',
  'export-pre-stowage': 'MT2101',
  'export-arrival-report': 'MT3101',
  'export-loading': 'MT4101',
  'import-tally': 'MT5101',
  'export-tally': 'MT5102',
} as const;
export type ManifestKind = keyof typeof MANIFEST_KINDS;
export const MANIFEST_KIND_NAMES = Object.keys(MANIFEST_KINDS) as ManifestKind[];

export const MANIFEST_STATES = ['filed', 'amended', 'deleted'] as const;
export type ManifestState = (typeof MANIFEST_STATES)[number];

export type ManifestSummary = {
  id: string;
  kind: ManifestKind;
  portCallId: string;
  vessel: { name: string; imo: string; voyage: string };
  filerOrgId: string;
  documentNumber: string;
  state: ManifestState;
  version: number;
  filedAt: string;
  amendedAt: string | null;
  deletedAt: string | null;
  deadlineAt: string | null;
  late: boolean;
  bills: number;
  equipment: number;
};

export type GoodsItem = {
  seq?: number;
  description: string;
  hsCode: string;
  packages: number;
  packageType?: string | null;
  grossKg: number;
  netKg?: number | null;
  equipment?: string[];
};

export type Bill = {
  number: string;
  masterNumber?: string | null;
  shipper?: string | null;
  consignee?: string | null;
  notify?: string | null;
  placeOfLoading?: string | null;
  placeOfDischarge?: string | null;
  goods: GoodsItem[];
};

export type Equipment = {
  number: string;
  sizeType?: string | null;
  fullness: 'full' | 'empty';
  seals?: string[];
  grossKg?: number | null;
};

export type ManifestDocument = { documentNumber: string; bills: Bill[]; equipment: Equipment[] };

export type ManifestDetail = ManifestSummary & {
  document: ManifestDocument;
  versions: { version: number; recordedAt: string; recordedBy: string | null }[];
  deleteReason: string | null;
};

/** The seven flags of a box visit, in the order a box goes through them (import, then export, then the hold). */
export const FLAG_KEYS = ['discharged', 'customsReleased', 'terminalReleased', 'gatedOut', 'gatedIn', 'loaded', 'onHold'] as const;
export type FlagKey = (typeof FLAG_KEYS)[number];

/** The list's `flag` filter values (CONTAINER_FLAG_FILTERS in cargo.queries.ts), one per flag. */
export const FLAG_FILTERS: Record<FlagKey, string> = {
  discharged: 'discharged',
  customsReleased: 'customs-released',
  terminalReleased: 'terminal-released',
  gatedOut: 'gated-out',
  gatedIn: 'gated-in',
  loaded: 'loaded',
  onHold: 'on-hold',
};

export type ContainerTimes = {
  dischargedAt: string | null;
  loadedAt: string | null;
  gatedInAt: string | null;
  gatedOutAt: string | null;
  terminalReleasedAt: string | null;
  customsReleasedAt: string | null;
  customsHoldAt: string | null;
  customsHoldLiftedAt: string | null;
};

export type Container = {
  id: string;
  number: string;
  portCallId: string;
  vessel: { name: string; voyage: string };
  portLocode: string;
  direction: 'import' | 'export';
  sizeType: string | null;
  fullness: string | null;
  seals: string[];
  grossKg: number | null;
  manifestId: string | null;
  bills: string[];
  flags: Record<FlagKey, boolean>;
  times: Partial<ContainerTimes>;
  lastEventAt: string | null;
  lastLocation: string | null;
  eventCount: number;
  createdAt: string;
};

export type ContainerTimelineEntry = {
  seq: number;
  type: string;
  occurredAt: string;
  recordedAt: string;
  actorType: string;
  payload: unknown;
};

export type ContainerDetail = Container & { timeline: ContainerTimelineEntry[] };

// ----------------------------------------------------------------------------- EDIFACT uploads

export type EdiIssue = { code: string; segment: number | null; tag: string | null; message: string };

export const EDI_OUTCOMES = ['imported', 'partly-imported', 'duplicate', 'rejected', 'unsupported'] as const;

export type EdiRejection = { eventId: string | null; code: string; reason: string };

export type EdiOutcome = {
  status: (typeof EDI_OUTCOMES)[number];
  reason?: string | null;
  manifestId?: string | null;
  stowagePlanId?: string | null;
  /** Terminal events (COARRI, CODECO): what the ingest took, and why it refused the rest. */
  events?: { accepted: number; duplicates: number; rejected: number; rejections?: EdiRejection[] } | null;
};

export type EdiMessageResult = {
  ref: string;
  type: string;
  version: string;
  segmentCount: number;
  equipmentCount: number;
  ok: boolean;
  errors: EdiIssue[];
  warnings: EdiIssue[];
  /** Absent only from a server that reads without importing. */
  outcome?: EdiOutcome | null;
};

export type Interchange = {
  id: string;
  fileName: string | null;
  sizeBytes: number;
  receivedAt: string;
  ok: boolean;
  controlRef: string | null;
  errors: EdiIssue[];
  messages: EdiMessageResult[];
};

/** The server's upload limit (413 above it): checked in the browser first so a big file is not sent for nothing. */
export const EDIFACT_MAX_BYTES = 12 * 1_048_576;
