/** The API's shapes for declarations (src/modules/declarations/declarations.routes.ts, declarations.input.ts). */

/** Receipt codes (报关单回执) in the machine's order (DECLARATION_STATUSES in declarations.machine.ts). */
export const DECLARATION_STATUSES = ['L', 'J', 'C', 'T', 'P', 'R', 'E', 'Z', 'D', 'M', 'H'] as const;
export type DeclarationStatus = (typeof DECLARATION_STATUSES)[number];

/** Risk channels from the least to the most strict. */
export const CHANNELS = ['release', 'document-review', 'machine-scan', 'manual-inspection', 'machine-then-manual'] as const;
export type Channel = (typeof CHANNELS)[number];

export const PROCEDURES = ['standard', 'advance', 'two-step'] as const;
export type Procedure = (typeof PROCEDURES)[number];

export const DIRECTIONS = ['import', 'export'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const TRANSACTION_TERMS = ['CIF', 'CFR', 'FOB', 'EXW', 'FCA', 'CPT', 'CIP', 'DAP', 'DDP'] as const;

export type Item = {
  hsCode: string;
  description: string;
  quantity: number;
  unit: string;
  netKg: number;
  grossKg?: number;
  value: number;
  origin: string;
};

/** The body of POST /api/v1/declarations (ZDeclarationInput). */
export type DeclarationInput = {
  direction: Direction;
  procedure: Procedure;
  enterpriseCode: string;
  customsCode: string;
  ieCustomsCode?: string;
  transport: { mode: string; vesselName?: string; voyage?: string; billNumber: string; containerNumbers: string[] };
  tradeMode: string;
  transactionTerms: string;
  tradeCountry: string;
  packages: number;
  packageType: string;
  grossKg: number;
  netKg: number;
  currency: string;
  rebate?: boolean;
  licenceNumber?: string;
  items: Item[];
  summary?: { prohibitedOrRestricted: boolean; statutoryInspection: boolean; taxable: boolean };
  guarantee?: { number: string; amount: number; currency: string; issuer: string };
};

export type FiredRule = { ruleId: string; channel: Channel; reasonZh: string; reasonEn: string; detail: string };
export type Risk = {
  ruleSetVersion: number;
  channel: Channel;
  fired: FiredRule[];
  random: { creditClass: string; rate: number; draw: number; selected: boolean };
};

export type Declaration = {
  id: string;
  entryId: string | null;
  direction: Direction;
  procedure: Procedure;
  stage: string | null;
  status: DeclarationStatus;
  statusName: { zh: string; en: string };
  enterpriseCode: string;
  creditClass: string;
  customsCode: string;
  districtCode: string;
  portCallId: string | null;
  billNumber: string | null;
  manifestMatched: boolean;
  containerNumbers: string[];
  packages: number;
  grossKg: number;
  netKg: number;
  totalValue: number;
  currency: string;
  goodsArrivedAt: string | null;
  completeDueAt: string | null;
  releaseAuthorisedAt: string | null;
  releasedAt: string | null;
  closedAt: string | null;
  declaredAt: string;
  updatedAt: string;
  version: number;
  document: Partial<DeclarationInput> & Record<string, unknown>;
  /** Customs only: absent for a declarant. */
  channel?: Channel | null;
  risk?: Risk | null;
};

export type QueueCount = { status: string; channel: string | null; count: number };

export type HistoryEvent = {
  seq: number;
  type: string;
  occurredAt: string;
  actor: { type: string; id: string | null };
  payload: Record<string, unknown>;
};

export type ManifestMatch = {
  declared: { billNumber: string | null; grossKg: number; containerNumbers: string[] };
  manifests: {
    manifestId: string;
    kind: string;
    portCallId: string;
    portLocode: string;
    grossKg: number;
    equipment: string[];
    filedAt: string;
  }[];
  agrees: boolean;
  problems: { path: string; message: string }[];
};
