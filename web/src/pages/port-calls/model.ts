/**
 * The port-call pages' rules, kept free of React so they can be tested: the step bar, which
 * actions the signed-in user may try in which state, the merged event timeline, cursor paging
 * behind the offset-paged DataTable, wall-clock times in the user's zone, and where a server
 * error detail belongs on a form.
 */
import type { FieldError } from '../../api/client.ts';
import type { FetchParams, FetchResult } from '../../components/table/types.ts';
import type { CallState, DomainEvent, PortCall } from './types.ts';

// ----------------------------------------------------------------------------- the step bar

/** The machine's way through a call, in order (cancelled is off the way). */
export const STEP_STATES = ['pre-reported', 'confirmed', 'arrived', 'berthed', 'departure-reported', 'departed'] as const;

export type StepBar = { current: number; status: 'process' | 'finish' | 'error' };

/** Where a call stands on the step bar; a cancelled call stops, in red, after the last step it reached. */
export const stepBar = (call: Pick<PortCall, 'state' | 'confirmedAt'>): StepBar => {
  if (call.state === 'cancelled') {
    return { current: call.confirmedAt === null ? 1 : 2, status: 'error' };
  }
  const i = (STEP_STATES as readonly string[]).indexOf(call.state);
  return { current: i, status: call.state === 'departed' ? 'finish' : 'process' };
};

// ----------------------------------------------------------------------------- actions

export type ActionKey =
  | 'confirmation'
  | 'arrival'
  | 'berth-plan'
  | 'berthing'
  | 'berth-shifts'
  | 'cargo-start'
  | 'cargo-complete'
  | 'departure-report'
  | 'departure'
  | 'cancellation';

type ActionDef = { key: ActionKey; path: string; from: readonly CallState[]; when?: (c: PortCall) => boolean };

/** Mirrors the server's machine (port-call.machine.ts): it still decides, and its refusals are shown. */
export const ACTIONS: readonly ActionDef[] = [
  { key: 'confirmation', path: 'confirmation', from: ['pre-reported'] },
  { key: 'arrival', path: 'arrival', from: ['pre-reported', 'confirmed'] },
  { key: 'berth-plan', path: 'berth-plan', from: ['pre-reported', 'confirmed', 'arrived', 'berthed'] },
  { key: 'berthing', path: 'berthing', from: ['arrived'] },
  { key: 'berth-shifts', path: 'berth-shifts', from: ['berthed'] },
  // Offered before pratique too: the server refuses (409 port-call.no-pratique) and raises the alarm.
  { key: 'cargo-start', path: 'cargo-operations/start', from: ['berthed'], when: (c) => c.cargoOpsStartedAt === null },
  {
    key: 'cargo-complete',
    path: 'cargo-operations/complete',
    from: ['berthed'],
    when: (c) => c.cargoOpsStartedAt !== null && c.cargoOpsCompletedAt === null,
  },
  { key: 'departure-report', path: 'departure-report', from: ['berthed'] },
  { key: 'departure', path: 'departure', from: ['departure-reported'] },
  { key: 'cancellation', path: 'cancellation', from: ['pre-reported', 'confirmed'] },
];

export const actionRoute = (a: Pick<ActionDef, 'path'>): string => `POST /api/v1/port-calls/:id/${a.path}`;

/** The actions this user's role may call (from /me's allowed routes) that the call's state admits now. */
export const availableActions = (call: PortCall, can: (route: string) => boolean): ActionDef[] =>
  ACTIONS.filter((a) => a.from.includes(call.state) && (a.when?.(call) ?? true) && can(actionRoute(a)));

// ----------------------------------------------------------------------------- the timeline

export type Tone = 'alarm' | 'warning' | 'success' | 'info';

export type TimelineItem = {
  key: string;
  seq: number;
  type: string;
  /** The i18n key of the event's title (portCalls.event.<type with dots as _>). */
  labelKey: string;
  at: string;
  tone: Tone;
  aggregate: 'port-call' | 'quarantine' | 'other';
  actor: string;
  actorType: string;
  actorId: string | null;
  payload: Record<string, unknown>;
};

const WARNINGS = new Set(['port-call.late-report-flagged', 'port-call.code-mismatch-flagged', 'port-call.cancelled']);
const SUCCESSES = new Set(['port-call.pratique-granted', 'port-call.departed', 'port-call.cargo-operations-completed']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const toneOf = (type: string, payload: Record<string, unknown>): Tone => {
  if (payload.alarm === true || type === 'port-call.cargo-operations-refused') {
    return 'alarm';
  }
  if (WARNINGS.has(type) || /escalat/.test(type)) {
    return 'warning';
  }
  if (SUCCESSES.has(type) || /pratique/.test(type)) {
    return 'success';
  }
  return 'info';
};

/** The events of a call and of its quarantine case as one timeline, oldest first (by log sequence), each once. */
export const timelineItems = (...lists: DomainEvent[][]): TimelineItem[] => {
  const bySeq = new Map<number, DomainEvent>();
  for (const e of lists.flat()) {
    bySeq.set(e.seq, e);
  }
  return [...bySeq.values()]
    .sort((a, b) => a.seq - b.seq)
    .map((e) => {
      const payload = isRecord(e.payload) ? e.payload : {};
      return {
        key: e.id,
        seq: e.seq,
        type: e.type,
        labelKey: `portCalls.event.${e.type.replaceAll('.', '_')}`,
        at: e.occurredAt,
        tone: toneOf(e.type, payload),
        aggregate: e.aggregateType === 'port-call' ? 'port-call' : /quarantine/.test(e.aggregateType) ? 'quarantine' : 'other',
        actor: e.actorId === null ? e.actorType : `${e.actorType}:${e.actorId}`,
        actorType: e.actorType,
        actorId: e.actorId,
        payload,
      };
    });
};

// ----------------------------------------------------------------------------- cursor paging

export type CursorPage<T> = { items: T[]; nextCursor: string | null; total?: number };

/**
 * The DataTable asks for offsets; cursor-paged lists answer page after page. This remembers the
 * cursor that starts each page (per query and page size), and walks forward from the nearest
 * known one when a page further on is asked for.
 */
export const cursorPager = <T>(
  fetchCursor: (query: Record<string, string>, limit: number, cursor: string | null) => Promise<CursorPage<T>>,
) => {
  const cursors = new Map<string, (string | null)[]>();
  return async (query: Record<string, string>, p: Pick<FetchParams, 'offset' | 'limit'>): Promise<FetchResult<T>> => {
    const key = `${JSON.stringify(Object.entries(query).sort())}|${p.limit}`;
    const starts = cursors.get(key) ?? [null];
    cursors.set(key, starts);
    const target = Math.floor(p.offset / p.limit);
    let index = Math.min(target, starts.length - 1);
    for (;;) {
      const cursor = starts[index] ?? null;
      const page = await fetchCursor(query, p.limit, cursor);
      if (page.nextCursor !== null) {
        starts[index + 1] = page.nextCursor;
      }
      if (index === target || page.nextCursor === null) {
        const total = page.total ?? index * p.limit + page.items.length + (page.nextCursor === null ? 0 : 1);
        return { items: index === target ? page.items : [], total };
      }
      index += 1;
    }
  };
};

// ----------------------------------------------------------------------------- times in the user's zone

const offsetMinutes = (date: Date, timeZone: string): number => {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(date);
  const n = (type: string): number => Number(parts.find((x) => x.type === type)?.value ?? '0');
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
};

/** 'YYYY-MM-DDTHH:mm' as a clock in `timeZone` shows it → the ISO 8601 UTC instant. */
export const wallToIso = (wall: string, timeZone: string): string => {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})/.exec(wall);
  if (m === null) {
    throw new Error(`not a date and time: ${wall}`);
  }
  const guess = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  // Two passes settle the offset even next to a daylight-saving change.
  let t = guess - offsetMinutes(new Date(guess), timeZone) * 60_000;
  t = guess - offsetMinutes(new Date(t), timeZone) * 60_000;
  return new Date(t).toISOString();
};

/** An instant → 'YYYY-MM-DDTHH:mm' on a clock in `timeZone`. */
export const isoToWall = (iso: string, timeZone: string): string => {
  const d = new Date(iso);
  const local = new Date(d.getTime() + offsetMinutes(d, timeZone) * 60_000);
  return local.toISOString().slice(0, 16);
};

// ----------------------------------------------------------------------------- server errors on fields

export type FieldPath = string | (string | number)[];

/**
 * The form field a detail path belongs to: the path's last segment when the form has a field of
 * that name (`/vessel/imo` → imo), list rows by index (`/portsOfCall/0/locode`), aliases for
 * fields the form shows as one control (`/declaredCode/customsCode` → declaredCode); else null.
 */
export const fieldOfPath = (path: string, known: ReadonlySet<string>, aliases: Record<string, string> = {}): FieldPath | null => {
  const segs = path.split('/').filter((s) => s !== '');
  const [first, second, third] = segs;
  if (first !== undefined && second !== undefined && /^\d+$/.test(second) && known.has(first)) {
    return third === undefined ? first : [first, Number(second), third];
  }
  for (const seg of [...segs].reverse()) {
    const name = aliases[seg] ?? seg;
    if (known.has(name)) {
      return name;
    }
  }
  return null;
};

export type PlacedErrors = { fields: { name: FieldPath; errors: string[] }[]; general: string[] };

export const placeErrors = (
  details: FieldError[],
  known: ReadonlySet<string>,
  translate: (message: string) => string,
  aliases: Record<string, string> = {},
): PlacedErrors => {
  const byField = new Map<string, { name: FieldPath; errors: string[] }>();
  const general: string[] = [];
  for (const d of details) {
    const text = translate(d.message);
    const name = fieldOfPath(d.path, known, aliases);
    if (name === null) {
      const line = d.path === '' || d.path === '/' ? text : `${d.path}: ${text}`;
      if (!general.includes(line)) {
        general.push(line);
      }
      continue;
    }
    const k = JSON.stringify(name);
    const entry = byField.get(k) ?? { name, errors: [] };
    if (!entry.errors.includes(text)) {
      entry.errors.push(text);
    }
    byField.set(k, entry);
  }
  return { fields: [...byField.values()], general };
};

// ----------------------------------------------------------------------------- the code check

export type CodeCheck = {
  berthCode: string;
  declared: { portCode: string; customsCode: string } | null;
  berth: { portCode: string; customsCode: string } | null;
  canonical: { portCode: string; customsCode: string } | null;
  sameCanonical: boolean;
  redeclarationAvoided: boolean;
  /** The event the check comes from: the plan, the berthing or a shift. */
  source: 'port-call.berth-planned' | 'port-call.berthed' | 'port-call.berth-shifted';
};

const pair = (v: unknown): { portCode: string; customsCode: string } | null =>
  isRecord(v) && typeof v.portCode === 'string' && typeof v.customsCode === 'string'
    ? { portCode: v.portCode, customsCode: v.customsCode }
    : null;

/** The latest berth code check the server recorded (the plan, the berthing, a shift), or null before any. */
export const latestCodeCheck = (items: TimelineItem[]): CodeCheck | null => {
  for (const item of [...items].reverse()) {
    if (item.type !== 'port-call.berth-planned' && item.type !== 'port-call.berthed' && item.type !== 'port-call.berth-shifted') {
      continue;
    }
    const code = isRecord(item.payload.code) ? item.payload.code : {};
    return {
      berthCode: typeof item.payload.berthCode === 'string' ? item.payload.berthCode : '',
      declared: pair(code.declared),
      berth: pair(code.berth),
      canonical: pair(code.canonical),
      sameCanonical: code.sameCanonical !== false,
      redeclarationAvoided: code.redeclarationAvoided === true,
      source: item.type,
    };
  }
  return null;
};
