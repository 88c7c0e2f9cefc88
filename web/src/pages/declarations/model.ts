/**
 * The declarations pages' rules, kept free of React so they can be tested: which actions the
 * machine offers in which status, the workbench's queue cards, the form's checks (mirroring the
 * server's declarationProblems, with the same paths), the body sent from the form, and where a
 * server error detail belongs on the form.
 */
import type { FieldError } from '../../api/client.ts';
import {
  CHANNELS,
  type Channel,
  type Declaration,
  type DeclarationInput,
  type DeclarationStatus,
  type Item,
  type QueueCount,
} from './types.ts';

// ----------------------------------------------------------------------------- the machine

/** Mirrors DECLARATION_COMMANDS (declarations.machine.ts): the server still decides, and its refusals are shown. */
export const MACHINE = {
  review: { by: 'customs', from: ['L', 'M'] },
  'order-inspection': { by: 'customs', from: ['J'] },
  'record-inspection': { by: 'customs', from: ['C'] },
  'assess-duty': { by: 'customs', from: ['J'] },
  'record-payment': { by: 'customs', from: ['T'] },
  release: { by: 'customs', from: ['J'] },
  close: { by: 'customs', from: ['P'] },
  return: { by: 'customs', from: ['L', 'J', 'M'] },
  reject: { by: 'customs', from: ['L', 'M'] },
  suspend: { by: 'customs', from: ['L', 'J', 'C', 'T', 'M'] },
  resume: { by: 'customs', from: ['H'] },
  amend: { by: 'declarant', from: ['L', 'Z', 'M'] },
  withdraw: { by: 'declarant', from: ['L', 'J', 'T', 'Z', 'M'] },
} as const satisfies Record<string, { by: 'customs' | 'declarant'; from: readonly DeclarationStatus[] }>;

export type Command = keyof typeof MACHINE;
export type OfficerCommand = { [K in Command]: (typeof MACHINE)[K]['by'] extends 'customs' ? K : never }[Command];

const OFFICER_ORDER: OfficerCommand[] = [
  'review',
  'order-inspection',
  'record-inspection',
  'assess-duty',
  'record-payment',
  'release',
  'close',
  'resume',
  'return',
  'suspend',
  'reject',
];

const admits = (command: Command, status: DeclarationStatus): boolean => (MACHINE[command].from as readonly string[]).includes(status);

/**
 * The officer's actions the declaration's status admits. Release is left out once it is
 * authorised and waits for the goods (the server answers 409 to a second one).
 */
export const officerActions = (d: Pick<Declaration, 'status' | 'releaseAuthorisedAt'>): OfficerCommand[] =>
  OFFICER_ORDER.filter((c) => admits(c, d.status) && !(c === 'release' && d.releaseAuthorisedAt !== null));

export type DeclarantAction = 'amend' | 'complete' | 'withdraw';

/** The declarant's actions now: amend while customs has not decided, the complete declaration after a summary, withdraw before release. */
export const declarantActions = (d: Pick<Declaration, 'status' | 'releaseAuthorisedAt' | 'procedure' | 'stage'>): DeclarantAction[] => {
  const out: DeclarantAction[] = [];
  if (admits('amend', d.status)) {
    out.push('amend');
  }
  if (d.procedure === 'two-step' && d.stage === 'summary' && !['D', 'E', 'R'].includes(d.status)) {
    out.push('complete');
  }
  if (admits('withdraw', d.status) && d.releaseAuthorisedAt === null) {
    out.push('withdraw');
  }
  return out;
};

export type ActionInputs = { reason: 'required' | 'optional' | 'none'; method: boolean; outcome: boolean; amount: boolean };

/** What an action asks the officer for: a reason for refusals and holds, the method, the outcome, the duty. */
export const actionInputs = (c: OfficerCommand): ActionInputs => ({
  reason: c === 'return' || c === 'reject' || c === 'suspend' ? 'required' : c === 'resume' ? 'optional' : 'none',
  method: c === 'order-inspection',
  outcome: c === 'record-inspection',
  amount: c === 'assess-duty',
});

export type InspectionMethod = 'machine-scan' | 'manual' | 'machine-then-manual';

/** The inspection the risk channel calls for (the server's default is the same for scan and manual). */
export const defaultMethod = (channel: Channel | null | undefined): InspectionMethod =>
  channel === 'manual-inspection' ? 'manual' : channel === 'machine-then-manual' ? 'machine-then-manual' : 'machine-scan';

/** Commands that end or stop a declaration, asked for with a confirmation. */
export const DANGEROUS: readonly OfficerCommand[] = ['reject', 'return', 'suspend'];

// ----------------------------------------------------------------------------- the workbench

/** Statuses the officer's queues hold (declarationQueues on the server). */
export const QUEUE_STATUSES: readonly DeclarationStatus[] = ['L', 'M', 'J', 'C', 'T', 'H'];

/** The status cards: received and re-review wait for the same thing (review). */
export const STATUS_GROUPS: { key: string; statuses: DeclarationStatus[] }[] = [
  { key: 'awaiting-review', statuses: ['L', 'M'] },
  { key: 'reviewed', statuses: ['J'] },
  { key: 'inspection', statuses: ['C'] },
  { key: 'duty', statuses: ['T'] },
  { key: 'suspended', statuses: ['H'] },
];

export type Queue = { kind: 'channel'; channel: Channel } | { kind: 'status'; group: string };

export type QueueCard = { queue: Queue; key: string; count: number };

export const queueKey = (q: Queue): string => (q.kind === 'channel' ? `channel:${q.channel}` : `status:${q.group}`);

/** Counts by channel (every open status) and by status group (every channel). */
export const queueCards = (counts: QueueCount[]): { channels: QueueCard[]; statuses: QueueCard[] } => {
  const sum = (pred: (c: QueueCount) => boolean) => counts.filter(pred).reduce((s, c) => s + c.count, 0);
  return {
    channels: CHANNELS.map((channel) => {
      const queue: Queue = { kind: 'channel', channel };
      return { queue, key: queueKey(queue), count: sum((c) => c.channel === channel) };
    }),
    statuses: STATUS_GROUPS.map((g) => {
      const queue: Queue = { kind: 'status', group: g.key };
      return { queue, key: queueKey(queue), count: sum((c) => (g.statuses as string[]).includes(c.status)) };
    }),
  };
};

/** The list query of a queue (GET /api/v1/declarations). */
export const queueQuery = (q: Queue | null): { status: string; channel?: string } => {
  if (q === null || q.kind === 'channel') {
    return { status: QUEUE_STATUSES.join(','), ...(q === null ? {} : { channel: q.channel }) };
  }
  const group = STATUS_GROUPS.find((g) => g.key === q.group);
  return { status: (group?.statuses ?? QUEUE_STATUSES).join(',') };
};

/** Whole minutes since the declaration came in. */
export const ageMinutes = (declaredAt: string, now: Date): number =>
  Math.max(0, Math.floor((now.getTime() - Date.parse(declaredAt)) / 60_000));

// ----------------------------------------------------------------------------- ISO 6346

const LETTER_VALUES = (() => {
  const m = new Map<string, number>();
  let v = 10;
  for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') {
    if (v % 11 === 0) {
      v += 1; // multiples of 11 are skipped
    }
    m.set(ch, v);
    v += 1;
  }
  return m;
})();

export const containerCheckDigit = (first10: string): number => {
  let sum = 0;
  for (let i = 0; i < 10; i += 1) {
    const ch = first10[i] ?? '';
    const value = i < 4 ? (LETTER_VALUES.get(ch) ?? 0) : Number(ch);
    sum += value * 2 ** i;
  }
  return (sum % 11) % 10;
};

export type Problem = { path: string; key: string; params?: Record<string, string | number> };

/** Why a container number is not a valid ISO 6346 one (owner, category U/J/Z, serial, check digit), or null. */
export const containerProblem = (raw: string): Omit<Problem, 'path'> | null => {
  const v = raw.toUpperCase().replace(/[\s-]+/g, '');
  if (!/^[A-Z]{3}[UJZ]\d{6}\d$/.test(v)) {
    return { key: 'declarations.check.containerFormat', params: { number: raw } };
  }
  const expected = containerCheckDigit(v.slice(0, 10));
  if (Number(v[10]) !== expected) {
    return { key: 'declarations.check.containerCheckDigit', params: { number: raw, expected } };
  }
  return null;
};

// ----------------------------------------------------------------------------- the form

export type ItemValues = Partial<Item>;
export type FormValues = {
  direction?: DeclarationInput['direction'];
  procedure?: DeclarationInput['procedure'];
  enterpriseCode?: string;
  customsCode?: string;
  ieCustomsCode?: string;
  licenceNumber?: string;
  rebate?: boolean;
  transport?: { mode?: string; vesselName?: string; voyage?: string; billNumber?: string; containerNumbers?: string[] };
  tradeMode?: string;
  transactionTerms?: string;
  tradeCountry?: string;
  packages?: number | null;
  packageType?: string;
  grossKg?: number | null;
  netKg?: number | null;
  currency?: string;
  items?: ItemValues[];
  summary?: { prohibitedOrRestricted?: boolean; statutoryInspection?: boolean; taxable?: boolean };
  guarantee?: { number?: string; amount?: number | null; currency?: string; issuer?: string };
};

const text = (s: string | undefined): string => (s ?? '').trim();
const upper = (s: string | undefined): string => text(s).toUpperCase();
const num = (n: number | null | undefined): number => (n === null || n === undefined ? Number.NaN : n);
const optional = (s: string | undefined): string | undefined => (text(s) === '' ? undefined : text(s));

/** The body of POST /api/v1/declarations from the form: trimmed, codes upper-cased, summary and guarantee only where they belong. */
export const declarationBody = (v: FormValues): DeclarationInput => {
  const twoStep = v.procedure === 'two-step';
  const summary = {
    prohibitedOrRestricted: v.summary?.prohibitedOrRestricted === true,
    statutoryInspection: v.summary?.statutoryInspection === true,
    taxable: v.summary?.taxable === true,
  };
  const vesselName = optional(v.transport?.vesselName);
  const voyage = optional(v.transport?.voyage);
  const ieCustomsCode = optional(v.ieCustomsCode);
  const licenceNumber = optional(v.licenceNumber);
  return {
    direction: v.direction ?? 'import',
    procedure: v.procedure ?? 'standard',
    enterpriseCode: upper(v.enterpriseCode),
    customsCode: text(v.customsCode),
    ...(ieCustomsCode === undefined ? {} : { ieCustomsCode }),
    transport: {
      mode: upper(v.transport?.mode) || '2',
      ...(vesselName === undefined ? {} : { vesselName }),
      ...(voyage === undefined ? {} : { voyage }),
      billNumber: text(v.transport?.billNumber),
      containerNumbers: (v.transport?.containerNumbers ?? []).map((c) => c.toUpperCase().replace(/[\s-]+/g, '')).filter((c) => c !== ''),
    },
    tradeMode: text(v.tradeMode),
    transactionTerms: v.transactionTerms ?? '',
    tradeCountry: upper(v.tradeCountry),
    packages: num(v.packages),
    packageType: upper(v.packageType),
    grossKg: num(v.grossKg),
    netKg: num(v.netKg),
    currency: upper(v.currency),
    ...(v.rebate === true ? { rebate: true } : {}),
    ...(licenceNumber === undefined ? {} : { licenceNumber }),
    items: (v.items ?? []).map((i) => ({
      hsCode: text(i.hsCode),
      description: text(i.description),
      quantity: num(i.quantity),
      unit: upper(i.unit),
      netKg: num(i.netKg),
      value: num(i.value),
      origin: upper(i.origin),
    })),
    ...(twoStep ? { summary } : {}),
    ...(twoStep && summary.taxable
      ? {
          guarantee: {
            number: text(v.guarantee?.number),
            amount: num(v.guarantee?.amount),
            currency: upper(v.guarantee?.currency),
            issuer: text(v.guarantee?.issuer),
          },
        }
      : {}),
  };
};

/** A stored document back into the form (amend, complete declaration). */
export const formValuesOf = (doc: Partial<DeclarationInput>): FormValues => ({
  direction: doc.direction,
  procedure: doc.procedure,
  enterpriseCode: doc.enterpriseCode,
  customsCode: doc.customsCode,
  ieCustomsCode: doc.ieCustomsCode,
  licenceNumber: doc.licenceNumber,
  rebate: doc.rebate,
  transport: { ...doc.transport, containerNumbers: doc.transport?.containerNumbers ?? [] },
  tradeMode: doc.tradeMode,
  transactionTerms: doc.transactionTerms,
  tradeCountry: doc.tradeCountry,
  packages: doc.packages,
  packageType: doc.packageType,
  grossKg: doc.grossKg,
  netKg: doc.netKg,
  currency: doc.currency,
  items: doc.items ?? [],
  summary: doc.summary ?? { prohibitedOrRestricted: false, statutoryInspection: false, taxable: false },
  ...(doc.guarantee === undefined ? {} : { guarantee: doc.guarantee }),
});

/** Item weights must add up to the header's within this much (as the server allows for rounding per item). */
export const weightTolerance = (total: number): number => Math.max(0.5, total * 0.001);
const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/**
 * The checks across fields the server makes (declarationProblems), with its paths, so a problem
 * shows on its field before anything is sent. Required fields and formats are the form's rules.
 */
export const formProblems = (d: DeclarationInput): Problem[] => {
  const out: Problem[] = [];
  const items = d.items.filter((i) => Number.isFinite(i.netKg));
  if (Number.isFinite(d.netKg) && items.length === d.items.length && d.items.length > 0) {
    const sum = items.reduce((s, i) => s + i.netKg, 0);
    if (Math.abs(sum - d.netKg) > weightTolerance(d.netKg)) {
      out.push({ path: '/netKg', key: 'declarations.check.netSum', params: { sum: round3(sum), net: d.netKg } });
    }
  }
  if (Number.isFinite(d.netKg) && Number.isFinite(d.grossKg) && d.netKg > d.grossKg) {
    out.push({ path: '/grossKg', key: 'declarations.check.grossBelowNet', params: { gross: d.grossKg, net: d.netKg } });
  }
  d.items.forEach((item, k) => {
    if (item.hsCode !== '' && !/^\d{10}$/.test(item.hsCode)) {
      out.push({ path: `/items/${k}/hsCode`, key: 'declarations.check.hsCode' });
    }
  });
  const seen = new Set<string>();
  d.transport.containerNumbers.forEach((c, k) => {
    const p = containerProblem(c);
    if (p !== null) {
      out.push({ path: `/transport/containerNumbers/${k}`, ...p });
    } else if (seen.has(c)) {
      out.push({ path: `/transport/containerNumbers/${k}`, key: 'declarations.check.containerTwice', params: { number: c } });
    }
    seen.add(c);
  });
  if (d.procedure === 'two-step' && d.direction !== 'import') {
    out.push({ path: '/procedure', key: 'declarations.check.twoStepImport' });
  }
  return out;
};

// ----------------------------------------------------------------------------- errors on fields

export type FieldName = (string | number)[];

/** Every field of the form, items by '#'; what a detail path is matched against. */
export const FORM_FIELDS: ReadonlySet<string> = new Set([
  'direction',
  'procedure',
  'enterpriseCode',
  'customsCode',
  'ieCustomsCode',
  'licenceNumber',
  'rebate',
  'transport.mode',
  'transport.vesselName',
  'transport.voyage',
  'transport.billNumber',
  'transport.containerNumbers',
  'tradeMode',
  'transactionTerms',
  'tradeCountry',
  'packages',
  'packageType',
  'grossKg',
  'netKg',
  'currency',
  'items.#.hsCode',
  'items.#.description',
  'items.#.quantity',
  'items.#.unit',
  'items.#.netKg',
  'items.#.value',
  'items.#.origin',
  'summary.prohibitedOrRestricted',
  'summary.statutoryInspection',
  'summary.taxable',
  'guarantee.number',
  'guarantee.amount',
  'guarantee.currency',
  'guarantee.issuer',
]);

/** Paths that name a group the form shows as several controls: the error goes on the first one. */
const GROUP_FIELDS: Record<string, string> = { summary: 'summary.taxable', guarantee: 'guarantee.number' };

/**
 * The form field a detail path belongs to: the longest prefix of the path that is a field
 * (`/transport/containerNumbers/2` → transport.containerNumbers, `/items/0/hsCode` →
 * items.0.hsCode); a new version's body nests the document (`/document/netKg`). Null: no field.
 */
export const fieldOfPath = (path: string): FieldName | null => {
  let segs = path.split('/').filter((s) => s !== '');
  if (segs[0] === 'document' && segs.length > 1) {
    segs = segs.slice(1);
  }
  for (let n = segs.length; n > 0; n -= 1) {
    const part = segs.slice(0, n);
    const pattern = part.map((s) => (/^\d+$/.test(s) ? '#' : s)).join('.');
    const name = FORM_FIELDS.has(pattern) ? pattern : GROUP_FIELDS[pattern];
    if (name !== undefined) {
      let i = 0;
      return name.split('.').map((s) => {
        const seg = part[i];
        i += 1;
        return s === '#' ? Number(seg) : s;
      });
    }
  }
  return null;
};

export type Placed = { fields: { name: FieldName; errors: string[] }[]; general: string[] };

/** Details on their fields (several on one field kept together, each once); the rest as general lines. */
export const placeDetails = (details: FieldError[]): Placed => {
  const byField = new Map<string, { name: FieldName; errors: string[] }>();
  const general: string[] = [];
  for (const d of details) {
    const name = fieldOfPath(d.path);
    if (name === null) {
      const line = d.path === '' || d.path === '/' ? d.message : `${d.path}: ${d.message}`;
      if (!general.includes(line)) {
        general.push(line);
      }
      continue;
    }
    const key = name.join('.');
    const entry = byField.get(key) ?? { name, errors: [] };
    if (!entry.errors.includes(d.message)) {
      entry.errors.push(d.message);
    }
    byField.set(key, entry);
  }
  return { fields: [...byField.values()], general };
};

// ----------------------------------------------------------------------------- history

export type Tone = 'alarm' | 'warning' | 'success' | 'info';

const TONES: Record<string, Tone> = {
  'declaration.released': 'success',
  'declaration.release-authorised': 'success',
  'declaration.closed': 'success',
  'declaration.rejected': 'alarm',
  'declaration.suspended': 'alarm',
  'declaration.returned': 'warning',
  'declaration.inspection-ordered': 'warning',
  'declaration.withdrawn': 'warning',
};

export const eventTone = (type: string, payload: Record<string, unknown>): Tone =>
  type === 'declaration.inspection-recorded' && payload.outcome === 'discrepancy' ? 'alarm' : (TONES[type] ?? 'info');

/** The i18n key of an event's title: declarations.event.<type without its prefix>. */
export const eventLabelKey = (type: string): string => `declarations.event.${type.replace(/^declaration\./, '')}`;
