/**
 * Shared pieces of the EDIFACT message mappings: the result type, errors that name a segment, and
 * readers for the segments every message uses (DTM, LOC, TDT, EQD, MEA, NAD, FTX, RFF), plus the
 * writer side (escaping, segments, the UNA/UNB…UNZ envelope).
 *
 * Element positions are 0-based after the tag, as in `component(seg, e, c)`. The mappers are lenient
 * on what does not change the meaning (unknown segments, absent optional ones, directory version) and
 * strict on what does (an equipment id per container EQD, dates that parse).
 */
import { component, isoDateTime, type EdiError, type EdiErrorCode, type Message, type Segment } from '../interchange.ts';

export type MappingErrorCode =
  | EdiErrorCode
  | 'edi.unsupported-message'
  | 'edi.wrong-message-type'
  | 'edi.missing-segment'
  | 'edi.missing-value'
  | 'edi.invalid-date'
  | 'edi.invalid-value'
  | 'edi.unknown-code'
  | 'edi.interchange-invalid'
  | 'edi.internal';

/** An EdiError whose code may also be one of the mapping codes above. */
export type MappingError = Omit<EdiError, 'code'> & { code: MappingErrorCode };

export type MapResult<T> = { ok: true; value: T; warnings: MappingError[] } | { ok: false; errors: MappingError[] };

export interface Vessel {
  name: string | null;
  /** Seven digits, only when the sender gives a valid-looking IMO number. */
  imo: string | null;
  callSign: string | null;
  voyage: string | null;
}

export type Fullness = 'full' | 'empty' | null;

/** Collects errors and warnings for one message; every entry names the segment number and tag. */
export class Issues {
  readonly errors: MappingError[] = [];
  readonly warnings: MappingError[] = [];

  error(code: MappingErrorCode, seg: Segment | null, text: string): void {
    this.errors.push(issue(code, seg, text));
  }

  warn(code: MappingErrorCode, seg: Segment | null, text: string): void {
    this.warnings.push(issue(code, seg, text));
  }

  /** The failed result (use when the message cannot be mapped at all). */
  fail(): { ok: false; errors: MappingError[] } {
    return { ok: false, errors: this.errors };
  }

  result<T>(value: T): MapResult<T> {
    return this.errors.length > 0 ? { ok: false, errors: this.errors } : { ok: true, value, warnings: this.warnings };
  }
}

/** An error in the reader's format: `segment 14 EQD: …`. */
export function issue(code: MappingErrorCode, seg: Segment | null, text: string): MappingError {
  const where = seg === null ? '' : `segment ${seg.index} ${seg.tag}: `;
  return { code, segment: seg?.index ?? null, tag: seg?.tag ?? null, message: `${where}${text}` };
}

/** Component value with surrounding spaces removed; null when empty. */
export function value(seg: Segment | undefined, e: number, c = 0): string | null {
  if (seg === undefined) {
    return null;
  }
  const v = component(seg, e, c).trim();
  return v === '' ? null : v;
}

/** Segments of the message between UNH and UNT. */
export function body(msg: Message): Segment[] {
  return msg.segments.filter((s) => s.tag !== 'UNH' && s.tag !== 'UNT');
}

/** Checks the UNH message type; the error names UNH. */
export function checkType(msg: Message, type: string, issues: Issues): boolean {
  if (msg.type !== type) {
    issues.error('edi.wrong-message-type', msg.segments[0] ?? null, `expected a ${type} message, got ${JSON.stringify(msg.type)}`);
    return false;
  }
  return true;
}

/**
 * Splits segments into what comes before the first trigger and groups that each start at a trigger
 * and run to the next trigger (or to a segment for which `stop` is true, which ends the last group).
 */
export function groups(segments: Segment[], isTrigger: (s: Segment) => boolean, stop: (s: Segment) => boolean = () => false) {
  const head: Segment[] = [];
  const list: Segment[][] = [];
  const tail: Segment[] = [];
  let current: Segment[] | null = null;
  let stopped = false;
  for (const s of segments) {
    if (stopped) {
      tail.push(s);
    } else if (isTrigger(s)) {
      current = [s];
      list.push(current);
    } else if (current !== null && stop(s)) {
      stopped = true;
      tail.push(s);
    } else if (current !== null) {
      current.push(s);
    } else {
      head.push(s);
    }
  }
  return { head, groups: list, tail };
}

/** A predicate for segments with one of these tags. */
export const isTag =
  (...tags: string[]) =>
  (s: Segment): boolean =>
    tags.includes(s.tag);

/** First segment with this tag whose first component of element 0 (the qualifier) is one of `qualifiers`. */
export function find(segments: Segment[], tag: string, ...qualifiers: string[]): Segment | undefined {
  return segments.find((s) => s.tag === tag && (qualifiers.length === 0 || qualifiers.includes(component(s, 0).trim())));
}

/** Like `find`, but qualifiers are tried in order of preference. */
export function findPreferred(segments: Segment[], tag: string, qualifiers: string[]): Segment | undefined {
  for (const q of qualifiers) {
    const s = find(segments, tag, q);
    if (s !== undefined) {
      return s;
    }
  }
  return undefined;
}

// DTM 2379 format codes (UNTDID): 101 YYMMDD, 102 CCYYMMDD, 201 YYMMDDHHMM, 203 CCYYMMDDHHMM,
// 204 CCYYMMDDHHMMSS, 301/303 as 201/203 followed by a time zone (ignored, read as UTC).
const DTM_FORMATS: Record<string, { len: number[]; date: number; time: boolean; seconds?: boolean }> = {
  '101': { len: [6], date: 6, time: false },
  '102': { len: [8], date: 8, time: false },
  '201': { len: [10], date: 6, time: true },
  '203': { len: [12], date: 8, time: true },
  '204': { len: [14], date: 8, time: true, seconds: true },
  '301': { len: [10, 11, 13, 14, 15], date: 6, time: true },
  '303': { len: [12, 13, 15, 16, 17], date: 8, time: true },
};
const BY_LENGTH: Record<number, string> = { 6: '101', 8: '102', 10: '201', 12: '203', 14: '204' };

/**
 * Reads DTM C507 (2005 qualifier : 2380 value : 2379 format) as an ISO UTC string, or says why not.
 * The format is guessed from the length when absent; a value whose length fits another known format
 * than the one declared (e.g. `20121124:203`) is read by its length, with a note for a warning.
 */
export function dtmIso(seg: Segment): { iso: string; note?: string } | { problem: string } {
  const raw = component(seg, 0, 1).trim();
  const given = component(seg, 0, 2).trim();
  if (raw === '') {
    return { problem: `DTM ${component(seg, 0, 0)} has no date` };
  }
  const declared = given === '' ? BY_LENGTH[raw.length] : given;
  if (declared === undefined || DTM_FORMATS[declared] === undefined) {
    return { problem: `date format ${JSON.stringify(given)} is not supported (value ${JSON.stringify(raw)})` };
  }
  const fits = (code: string): boolean => DTM_FORMATS[code]?.len.includes(raw.length) === true;
  const code = fits(declared) ? declared : BY_LENGTH[raw.length];
  if (code === undefined) {
    return { problem: `date ${JSON.stringify(raw)} does not match format ${declared}` };
  }
  const f = DTM_FORMATS[code] as (typeof DTM_FORMATS)[string];
  // 301/303 carry a time zone after the digits; it is ignored (read as UTC).
  const digits = code === '301' || code === '303' ? raw.slice(0, f.date + 4) : raw;
  if (!/^\d+$/.test(digits)) {
    return { problem: `date ${JSON.stringify(raw)} does not match format ${code}` };
  }
  const date = digits.slice(0, f.date);
  const time = f.time ? digits.slice(f.date, f.date + 4) : '0000';
  const iso = isoDateTime(date, time);
  if (iso === null) {
    return { problem: `date ${JSON.stringify(raw)} (format ${code}) is not a valid date and time` };
  }
  const note = code === declared ? undefined : `date ${JSON.stringify(raw)} does not fit its format ${declared}; read as ${code}`;
  let out = iso;
  if (f.seconds === true) {
    const ss = digits.slice(f.date + 4, f.date + 6);
    if (Number(ss) > 59) {
      return { problem: `date ${JSON.stringify(raw)} has ${ss} seconds` };
    }
    out = iso.replace(/:00Z$/, `:${ss}Z`);
  }
  return note === undefined ? { iso: out } : { iso: out, note };
}

/**
 * The first DTM among `segments` with one of `qualifiers` (in order of preference). An unparseable date
 * is an error naming the DTM; a missing one is `null`.
 */
export function dateOf(segments: Segment[], qualifiers: string[], issues: Issues): string | null {
  const seg = findPreferred(segments, 'DTM', qualifiers);
  if (seg === undefined) {
    return null;
  }
  const r = dtmIso(seg);
  if ('problem' in r) {
    issues.error('edi.invalid-date', seg, r.problem);
    return null;
  }
  if (r.note !== undefined) {
    issues.warn('edi.invalid-date', seg, r.note);
  }
  return r.iso;
}

/** LOC C517 3225 (a UN/LOCODE for ports, a bay-row-tier for stowage cells) of the first LOC with a qualifier. */
export function locOf(segments: Segment[], ...qualifiers: string[]): string | null {
  for (const q of qualifiers) {
    const v = value(find(segments, 'LOC', q), 1, 0);
    if (v !== null) {
      return v;
    }
  }
  return null;
}

const LOCODE = /^[A-Z]{2}[A-Z2-9]{3}$/;

/** Warns when a port is not shaped like a UN/LOCODE (the value is still returned as written). */
export function checkLocode(segments: Segment[], qualifiers: string[], issues: Issues): string | null {
  for (const q of qualifiers) {
    const seg = find(segments, 'LOC', q);
    const v = value(seg, 1, 0);
    if (v !== null) {
      if (!LOCODE.test(v)) {
        issues.warn('edi.invalid-value', seg ?? null, `LOC+${q} ${JSON.stringify(v)} is not a UN/LOCODE`);
      }
      return v;
    }
  }
  return null;
}

// 1131 code list qualifiers on TDT C222 8213 (UNTDID 1131): 146 means-of-transport identification
// (Lloyd's/IMO number), 103 call sign directory. Senders also write "IMO" there.
const IMO_LISTS = new Set(['146', 'IMO']);
const CALL_SIGN_LISTS = new Set(['103']);

/**
 * Vessel from TDT: 8028 conveyance reference (voyage), C222 8213 identification (IMO or call sign,
 * told apart by 1131 or, when absent, by shape), C222 8212 name.
 */
export function vesselOf(tdt: Segment | undefined, issues: Issues): Vessel {
  const id = value(tdt, 7, 0);
  const list = value(tdt, 7, 1);
  const name = value(tdt, 7, 3);
  const vessel: Vessel = { name, imo: null, callSign: null, voyage: value(tdt, 1, 0) };
  if (id === null) {
    return vessel;
  }
  const digits = id.replace(/^IMO\s*/i, '');
  const sevenDigits = /^\d{7}$/.test(digits);
  if (list !== null && IMO_LISTS.has(list.toUpperCase())) {
    if (sevenDigits) {
      vessel.imo = digits;
    } else {
      issues.warn('edi.invalid-value', tdt ?? null, `IMO number ${JSON.stringify(id)} is not 7 digits; ignored`);
    }
  } else if (list !== null && CALL_SIGN_LISTS.has(list)) {
    vessel.callSign = id;
  } else if (sevenDigits) {
    vessel.imo = digits;
  } else {
    vessel.callSign = id;
  }
  return vessel;
}

/** The main-carriage TDT (8051 = 20), else the first TDT. */
export function mainTdt(segments: Segment[]): Segment | undefined {
  return find(segments, 'TDT', '20') ?? find(segments, 'TDT');
}

// 8169 full/empty indicator as SMDG messages use it: 4 empty, 5 full.
const FULLNESS: Record<string, Fullness> = { '4': 'empty', '5': 'full' };

export interface EquipmentBasics {
  number: string | null;
  qualifier: string;
  sizeType: string | null;
  fullness: Fullness;
}

/** EQD: 8053 qualifier, C237 8260 id, C224 8155 size/type (or its 8154 description), 8169 full/empty. */
export function eqdOf(seg: Segment): EquipmentBasics {
  return {
    qualifier: component(seg, 0).trim(),
    number: value(seg, 1, 0),
    sizeType: value(seg, 2, 0) ?? value(seg, 2, 3),
    fullness: FULLNESS[component(seg, 5).trim()] ?? null,
  };
}

/** True for equipment that must carry an id: containers (CN) and EQDs without a qualifier. */
export function isContainer(e: EquipmentBasics): boolean {
  return e.qualifier === 'CN' || e.qualifier === '';
}

/** Seal numbers (SEL 9308) among the segments. */
export function sealsOf(segments: Segment[]): string[] {
  return segments.filter((s) => s.tag === 'SEL').flatMap((s) => value(s, 0, 0) ?? []);
}

// 6411 units to kilograms.
const TO_KG: Record<string, number> = { KGM: 1, TNE: 1000, LBR: 0.45359237 };

/**
 * Weight in kg from MEA (6311 purpose, C502 6313 property, C174 6411 unit : 6314 value) with one of
 * the purposes/properties given (e.g. WT, AAE+G, VGM). Unreadable values are a warning and null.
 */
export function weightOf(segments: Segment[], match: (purpose: string, property: string) => boolean, issues: Issues): number | null {
  const seg = segments.find((s) => s.tag === 'MEA' && match(component(s, 0).trim(), component(s, 1, 0).trim()));
  if (seg === undefined) {
    return null;
  }
  const unit = component(seg, 2, 0).trim().toUpperCase();
  const raw = component(seg, 2, 1).trim().replace(',', '.');
  const factor = TO_KG[unit === '' ? 'KGM' : unit];
  const n = Number(raw);
  if (raw === '' || !Number.isFinite(n) || factor === undefined) {
    issues.warn('edi.invalid-value', seg, `weight ${JSON.stringify(component(seg, 2, 1))} ${unit} is not a number of KGM, TNE or LBR`);
    return null;
  }
  return Math.round(n * factor * 1000) / 1000;
}

/** Party name from NAD: C080 party name, else C058 name and address, else the C082 party id. */
export function partyName(nad: Segment | undefined): string | null {
  if (nad === undefined) {
    return null;
  }
  const join = (e: number, n: number): string | null => {
    const parts = (nad.elements[e] ?? []).slice(0, n).map((p) => p.trim());
    const text = parts.filter((p) => p !== '').join(' ');
    return text === '' ? null : text;
  };
  return join(3, 5) ?? join(2, 5) ?? value(nad, 1, 0);
}

/** FTX C108 text (4440 × 5), components joined with `sep`; null when empty. */
export function ftxText(seg: Segment | undefined, sep = ' '): string | null {
  if (seg === undefined) {
    return null;
  }
  const text = (seg.elements[3] ?? []).join(sep).trim();
  return text === '' ? null : text;
}

// ---- writing --------------------------------------------------------------------------------

export interface Envelope {
  sender: string;
  recipient: string;
  controlRef: string;
  preparedAt: Date;
  messageRef: string;
}

/** Escapes the service characters of the default UNA (`? + : '`) with the release character. */
export function escapeValue(v: string): string {
  return v.replace(/[?+:']/g, (ch) => `?${ch}`);
}

/** One segment: elements are lists of components; trailing empty components and elements are dropped. */
export function seg(tag: string, ...elements: (string | string[])[]): string {
  const els = elements.map((e) => {
    const comps = (Array.isArray(e) ? e : [e]).map(escapeValue);
    while (comps.length > 0 && comps[comps.length - 1] === '') {
      comps.pop();
    }
    return comps.join(':');
  });
  while (els.length > 0 && els[els.length - 1] === '') {
    els.pop();
  }
  return [tag, ...els].join('+') + "'";
}

/** CCYYMMDDHHMM (DTM format 203) of a Date, in UTC. */
export function dtm203(d: Date): string {
  return d.toISOString().slice(0, 16).replace(/[-T:]/g, '');
}

/**
 * Wraps messages (each a list of segments from UNH to UNT exclusive) into a full interchange: UNA,
 * UNB, UNH…UNT with its count, UNZ with the message count. UNOC (Latin-1) unless a value needs UNOW.
 */
export function interchangeText(env: Envelope, messages: { ref: string; type: string; version: string; segments: string[] }[]): string {
  const date = env.preparedAt.toISOString();
  const yymmdd = `${date.slice(2, 4)}${date.slice(5, 7)}${date.slice(8, 10)}`;
  const hhmm = `${date.slice(11, 13)}${date.slice(14, 16)}`;
  const parts = messages.map((m) => {
    const [dir, release] = m.version.split(':') as [string, string];
    const segs = [seg('UNH', m.ref, [m.type, dir, release, 'UN']), ...m.segments];
    return [...segs, seg('UNT', String(segs.length + 1), m.ref)].join('');
  });
  const text = parts.join('');
  // eslint-disable-next-line no-control-regex
  const latin1 = /^[\u0000-\u00ff]*$/.test(text + env.sender + env.recipient + env.controlRef);
  // Syntax version 4 writes the century in UNB S004.
  const [syntax, when] = latin1 ? [['UNOC', '3'], yymmdd] : [['UNOW', '4'], `${date.slice(0, 2)}${yymmdd}`];
  return (
    "UNA:+.? '" +
    seg('UNB', syntax, env.sender, env.recipient, [when, hhmm], env.controlRef) +
    text +
    seg('UNZ', String(messages.length), env.controlRef)
  );
}

/** Calls `f` the first time only and remembers its result. */
function once<T>(f: () => T): () => T {
  let done = false;
  let result: T;
  return () => {
    if (!done) {
      result = f();
      done = true;
    }
    return result;
  };
}

// ---- terminal events (COARRI and CODECO share the EQD-group shape) ---------------------------

export type TerminalEventKind = 'discharge' | 'load' | 'gate-in' | 'gate-out' | 'yard-move';

export interface TerminalEventRecord {
  /** See `mapTerminalEvents` for the rule. */
  senderEventId: string;
  kind: TerminalEventKind;
  containerNumber: string;
  occurredAt: string;
  /** LOC+147 stowage cell when given for the box, else the box's first LOC, else the message's first LOC (terminal/port). */
  location: string | null;
  vessel?: string;
  voyage?: string;
  sizeType: string | null;
  fullness: Fullness;
  seals: string[];
  /** Inland means of transport (TDT C222 8213 in the box's TDT group), e.g. a truck plate. */
  truck?: string;
}

export interface TerminalEventOptions {
  /** The interchange control reference (UNB 0020), so that ids are unique per interchange. */
  controlRef: string;
}

export interface TerminalEventRules {
  type: 'COARRI' | 'CODECO';
  /** BGM 1001 document code → kind. */
  kinds: Record<string, TerminalEventKind>;
  /** A kind from the box's own segments, when they say it; overrides the BGM kind. */
  kindOfBox: (own: Segment[], transport: Segment[]) => TerminalEventKind | null;
  /** DTM 2005 qualifiers for the event time, in order of preference. */
  eventDates: string[];
}

/**
 * Maps the EQD groups of a COARRI or CODECO to one event per box. senderEventId is
 * `${controlRef}/${messageRef}:${n}` with n the EQD's 1-based ordinal in the message, unless the EQD
 * group carries its own RFF (a reference no other EQD of the message carries): then
 * `${controlRef}/${messageRef}:${RFF qualifier}:${RFF value}`.
 */
export function mapTerminalEvents(
  msg: Message,
  rules: TerminalEventRules,
  options: TerminalEventOptions,
): MapResult<TerminalEventRecord[]> {
  const issues = new Issues();
  if (!checkType(msg, rules.type, issues)) {
    return issues.fail();
  }
  const segments = body(msg);
  const bgm = find(segments, 'BGM');
  const code = value(bgm, 0, 0);
  const messageKind = code === null ? null : (rules.kinds[code] ?? null);
  const { head, groups: boxes } = groups(segments, isTag('EQD'), isTag('CNT'));
  const tdt = mainTdt(head);
  const vessel = vesselOf(tdt, issues);
  const vesselName = vessel.name ?? vessel.callSign ?? vessel.imo;
  const headerLocation = value(find(head, 'LOC'), 1, 0);
  // Header dates are read only when a box needs them, so that a bad one is reported once and only if used.
  const hasDate = (segs: Segment[], qualifiers: string[]): boolean =>
    segs.some((s) => s.tag === 'DTM' && qualifiers.includes(component(s, 0).trim()));
  const headerDate = once(() => dateOf(head, rules.eventDates, issues));
  const messageDate = once(() => dateOf(head, ['137'], issues));
  const split = boxes.map((g) => {
    const t = g.findIndex((s) => s.tag === 'TDT');
    return { eqd: g[0] as Segment, own: t === -1 ? g : g.slice(0, t), transport: t === -1 ? [] : g.slice(t) };
  });
  const refUse = new Map<string, number>();
  for (const { own } of split) {
    for (const r of new Set(own.filter((s) => s.tag === 'RFF').map((s) => component(s, 0, 1).trim()))) {
      refUse.set(r, (refUse.get(r) ?? 0) + 1);
    }
  }
  const events: TerminalEventRecord[] = [];
  let kindReported = false;
  split.forEach(({ eqd, own, transport }, k) => {
    const e = eqdOf(eqd);
    if (e.number === null) {
      if (isContainer(e)) {
        issues.error('edi.missing-value', eqd, 'EQD has no equipment identification (C237 8260)');
      } else {
        issues.warn('edi.missing-value', eqd, `EQD ${e.qualifier} without an id is skipped`);
      }
      return;
    }
    const kind = rules.kindOfBox(own, transport) ?? messageKind;
    if (kind === null) {
      if (!kindReported) {
        kindReported = true;
        issues.error(
          'edi.unknown-code',
          bgm ?? msg.segments[0] ?? null,
          `document code ${JSON.stringify(code ?? '')} is not a known ${rules.type} report (expected ${Object.keys(rules.kinds).join(', ')})`,
        );
      }
      return;
    }
    let occurredAt: string | null = null;
    if (hasDate(own, rules.eventDates)) {
      occurredAt = dateOf(own, rules.eventDates, issues);
    } else if (hasDate(head, rules.eventDates)) {
      occurredAt = headerDate();
    } else if (hasDate(head, ['137'])) {
      occurredAt = messageDate();
      if (occurredAt !== null) {
        issues.warn('edi.missing-segment', eqd, `no event date for ${e.number}; the message date (DTM+137) is used`);
      }
    } else {
      issues.error('edi.missing-segment', eqd, `no event date for ${e.number} (DTM ${rules.eventDates.join('/')})`);
    }
    if (occurredAt === null) {
      return;
    }
    const rff = own.find((s) => s.tag === 'RFF' && component(s, 0, 1).trim() !== '' && refUse.get(component(s, 0, 1).trim()) === 1);
    const ownRef = rff === undefined ? null : `${component(rff, 0, 0).trim()}:${component(rff, 0, 1).trim()}`;
    const event: TerminalEventRecord = {
      senderEventId: `${options.controlRef}/${msg.ref}:${ownRef ?? String(k + 1)}`,
      kind,
      containerNumber: e.number,
      occurredAt,
      location: locOf(own, '147') ?? value(find(own, 'LOC'), 1, 0) ?? headerLocation,
      sizeType: e.sizeType,
      fullness: e.fullness,
      seals: sealsOf(own),
    };
    if (vesselName !== null) {
      event.vessel = vesselName;
    }
    if (vessel.voyage !== null) {
      event.voyage = vessel.voyage;
    }
    const truck = value(find(transport, 'TDT'), 7, 0);
    if (truck !== null) {
      event.truck = truck;
    }
    events.push(event);
  });
  if (boxes.length === 0) {
    issues.warn('edi.missing-segment', bgm ?? null, `${rules.type} reports no equipment (EQD)`);
  }
  return issues.result(events);
}
