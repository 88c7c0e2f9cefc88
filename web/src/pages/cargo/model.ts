/**
 * The cargo pages' rules, kept free of React so they can be tested: how late a filing was, bills
 * as a master/house tree with their totals, which boxes a bill's goods are stuffed in, a box's
 * seven flags with their times, its timeline entries, and the per-message result of an upload.
 */
import type {
  Bill,
  Container,
  ContainerTimelineEntry,
  EdiMessageResult,
  EdiOutcome,
  Equipment,
  FlagKey,
  GoodsItem,
  ManifestDocument,
  ManifestSummary,
} from './types.ts';
import { FLAG_KEYS } from './types.ts';

// ----------------------------------------------------------------------------- late filings

/** Whole minutes from the deadline to the filing (positive: late), or null without a deadline. */
export const minutesLate = (m: Pick<ManifestSummary, 'filedAt' | 'deadlineAt'>): number | null =>
  m.deadlineAt === null ? null : Math.round((Date.parse(m.filedAt) - Date.parse(m.deadlineAt)) / 60_000);

/** A number of minutes as days, hours and minutes (of its absolute value), for "2 d 3 h 5 min". */
export const splitMinutes = (minutes: number): { days: number; hours: number; minutes: number } => {
  const m = Math.abs(Math.round(minutes));
  return { days: Math.floor(m / 1440), hours: Math.floor((m % 1440) / 60), minutes: m % 60 };
};

// ----------------------------------------------------------------------------- bills

export type BillTotals = { packages: number; grossKg: number; netKg: number | null; boxes: string[] };

const uniq = (xs: string[]): string[] => [...new Set(xs)];

/** The boxes a goods item or bill is stuffed in, each once, in first-mention order. */
export const boxesOfGoods = (goods: GoodsItem[]): string[] => uniq(goods.flatMap((g) => g.equipment ?? []));

export const billTotals = (bill: Bill): BillTotals => {
  const net = bill.goods.map((g) => g.netKg);
  return {
    packages: bill.goods.reduce((s, g) => s + g.packages, 0),
    grossKg: bill.goods.reduce((s, g) => s + g.grossKg, 0),
    // a net total only when every item gives one
    netKg: net.every((n): n is number => typeof n === 'number') ? net.reduce((s, n) => s + n, 0) : null,
    boxes: boxesOfGoods(bill.goods),
  };
};

export type BillRow = Bill & BillTotals & { key: string; house: boolean; children?: BillRow[] };

/**
 * Bills as a tree: each master (or stand-alone) bill with its house bills under it, in document
 * order. A house bill whose master is not on the manifest stays at the top (the server refuses
 * that, but an old version or another source might not).
 */
export const billTree = (bills: Bill[]): BillRow[] => {
  const numbers = new Set(bills.map((b) => b.number));
  const row = (b: Bill, house: boolean): BillRow => ({ ...b, ...billTotals(b), key: b.number, house });
  const housesOf = new Map<string, BillRow[]>();
  for (const b of bills) {
    const master = b.masterNumber ?? null;
    if (master !== null && master !== b.number && numbers.has(master)) {
      housesOf.set(master, [...(housesOf.get(master) ?? []), row(b, true)]);
    }
  }
  return bills
    .filter((b) => {
      const master = b.masterNumber ?? null;
      return master === null || master === b.number || !numbers.has(master);
    })
    .map((b) => {
      const houses = housesOf.get(b.number);
      return houses === undefined ? row(b, false) : { ...row(b, false), children: houses };
    });
};

export type GoodsRow = GoodsItem & { key: string; billNumber: string; masterNumber: string | null; index: number };

/** Every goods item of the manifest with its bill, bill by bill in document order. */
export const goodsRows = (bills: Bill[]): GoodsRow[] =>
  bills.flatMap((b) =>
    b.goods.map((g, i) => ({ ...g, key: `${b.number}#${i}`, billNumber: b.number, masterNumber: b.masterNumber ?? null, index: i })),
  );

/** Which bills' goods each box carries (a box on no bill is empty or unallocated). */
export const billsByBox = (doc: Pick<ManifestDocument, 'bills'>): Map<string, string[]> => {
  const out = new Map<string, string[]>();
  for (const b of doc.bills) {
    for (const n of boxesOfGoods(b.goods)) {
      const list = out.get(n) ?? [];
      if (!list.includes(b.number)) {
        list.push(b.number);
      }
      out.set(n, list);
    }
  }
  return out;
};

export type EquipmentRow = Equipment & { bills: string[]; containerId: string | null };

/**
 * The manifest's boxes with the bills they carry and the id of their box visit on the call (for
 * the link), when known. A number can have two visits on one call (in, then out again): the one
 * this manifest created wins.
 */
export const equipmentRows = (
  doc: ManifestDocument,
  manifestId: string,
  visits: Pick<Container, 'id' | 'number' | 'manifestId'>[],
): EquipmentRow[] => {
  const byBox = billsByBox(doc);
  const ids = new Map<string, string>();
  for (const v of visits) {
    if (!ids.has(v.number) || v.manifestId === manifestId) {
      ids.set(v.number, v.id);
    }
  }
  return doc.equipment.map((e) => ({ ...e, bills: byBox.get(e.number) ?? [], containerId: ids.get(e.number) ?? null }));
};

// ----------------------------------------------------------------------------- box flags

export type FlagView = { key: FlagKey; on: boolean; at: string | null; tone: 'success' | 'alarm' | 'off' };

/** The time that set each flag (the hold: when it was put on). */
const FLAG_TIME: Record<FlagKey, keyof Container['times']> = {
  discharged: 'dischargedAt',
  customsReleased: 'customsReleasedAt',
  terminalReleased: 'terminalReleasedAt',
  gatedOut: 'gatedOutAt',
  gatedIn: 'gatedInAt',
  loaded: 'loadedAt',
  onHold: 'customsHoldAt',
};

/** All seven flags of a box visit, on or off, with the time each was set; a hold that is on is an alarm. */
export const flagViews = (c: Pick<Container, 'flags' | 'times'>): FlagView[] =>
  FLAG_KEYS.map((key) => {
    const on = c.flags[key];
    return { key, on, at: c.times[FLAG_TIME[key]] ?? null, tone: !on ? 'off' : key === 'onHold' ? 'alarm' : 'success' };
  });

/** The flags that are on, for a compact list of tags. */
export const activeFlags = (c: Pick<Container, 'flags'>): FlagKey[] => FLAG_KEYS.filter((k) => c.flags[k]);

// ----------------------------------------------------------------------------- box timeline

export type BoxEvent = {
  key: string;
  type: string;
  /** The i18n key of the event's title (cargo.event.<type with dots as _>). */
  labelKey: string;
  at: string;
  recordedAt: string;
  /** Recorded more than a minute after it happened (sent late, or out of order). */
  recordedLater: boolean;
  tone: 'alarm' | 'success' | 'info';
  actorType: string;
  location: string | null;
  vehicle: string | null;
  senderEventId: string | null;
  /** 'api' or 'edifact': how the sender reported it. */
  source: string | null;
  /** On container.manifested: the manifest kind that listed the box. */
  manifestKind: string | null;
};

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const RELEASES = new Set([
  'container.customs-released',
  'container.terminal-released',
  'container.customs-hold-lifted',
  'container.gated-out',
]);

export const boxEvents = (timeline: ContainerTimelineEntry[]): BoxEvent[] =>
  timeline.map((e) => {
    const p = isRecord(e.payload) ? e.payload : {};
    return {
      key: String(e.seq),
      type: e.type,
      labelKey: `cargo.event.${e.type.replaceAll('.', '_')}`,
      at: e.occurredAt,
      recordedAt: e.recordedAt,
      recordedLater: Date.parse(e.recordedAt) - Date.parse(e.occurredAt) > 60_000,
      tone: e.type === 'container.customs-held' ? 'alarm' : RELEASES.has(e.type) ? 'success' : 'info',
      actorType: e.actorType,
      location: text(p.location),
      vehicle: text(p.vehicle),
      senderEventId: text(p.senderEventId),
      source: text(p.source),
      manifestKind: text(p.manifestKind),
    };
  });

// ----------------------------------------------------------------------------- EDIFACT results

export type MessageStatus = EdiOutcome['status'] | 'read';

/** What became of one message: the server's outcome when it gives one, else whether it was read cleanly. */
export const messageStatus = (m: Pick<EdiMessageResult, 'ok' | 'outcome'>): MessageStatus =>
  m.outcome?.status ?? (m.ok ? 'read' : 'rejected');

export const STATUS_COLORS: Record<MessageStatus, string> = {
  imported: 'green',
  'partly-imported': 'gold',
  duplicate: 'cyan',
  read: 'blue',
  rejected: 'red',
  unsupported: 'default',
};

/** How many messages ended each way, in a fixed order, leaving out the ways none ended. */
export const uploadSummary = (messages: Pick<EdiMessageResult, 'ok' | 'outcome'>[]): [MessageStatus, number][] => {
  const order: MessageStatus[] = ['imported', 'partly-imported', 'duplicate', 'read', 'rejected', 'unsupported'];
  const counts = new Map<MessageStatus, number>();
  for (const m of messages) {
    const s = messageStatus(m);
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return order.flatMap((s) => (counts.has(s) ? [[s, counts.get(s) ?? 0] as [MessageStatus, number]] : []));
};

/** Bytes as B, KB or MB (binary), for file sizes. */
export const formatBytes = (n: number): string =>
  n < 1024 ? `${n} B` : n < 1_048_576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1_048_576).toFixed(1)} MB`;
