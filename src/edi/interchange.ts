/**
 * UN/EDIFACT interchange reader (ISO 9735): service string advice (UNA), segments, data elements
 * and components, the UNB/UNZ envelope, UNG/UNE groups and UNH/UNT messages.
 *
 * `readInterchange` never throws and runs in time linear in the input: one pass splits the
 * characters into segments, a second walks the segments through the envelope. Every problem it
 * finds becomes an error carrying the 1-based segment number within the interchange (UNA is not
 * counted; UNB is segment 1) and the segment tag; what could be read is still returned as
 * `partial` when that is useful.
 */

/** Inputs longer than this (in characters, after decoding) are refused before parsing. */
export const MAX_INTERCHANGE_CHARS = 10_000_000;
/** More segments than this are refused (a real BAPLIE of 20,000 containers has about 200,000). */
export const MAX_SEGMENTS = 500_000;
/** More data components (over all segments) than this are refused; bounds memory on inputs like `++++…`. */
export const MAX_COMPONENTS = 2_000_000;
/** At most this many errors are collected; a last one says the list was cut. */
export const MAX_ERRORS = 100;

export interface Separators {
  component: string;
  element: string;
  decimal: string;
  release: string | null;
  repetition: string | null;
  segment: string;
}

export interface Segment {
  tag: string;
  /** The data elements after the tag; each is its list of components (first occurrence when repeated). */
  elements: string[][];
  /** Only when a repetition separator is declared and used: element index → every occurrence. */
  repetitions?: Record<number, string[][]>;
  /** 1-based segment number within the interchange (UNA not counted). */
  index: number;
}

export interface Message {
  ref: string;
  type: string;
  version: string;
  release: string;
  agency: string;
  /** UNH S009 0057 (association assigned code, e.g. SMDG20), empty when absent. */
  associationCode: string;
  /** The group reference (UNG 0048) when the message is inside a functional group. */
  groupRef: string | null;
  /** UNH to UNT inclusive. */
  segments: Segment[];
}

export interface Party {
  id: string;
  qualifier: string;
}

export interface Group {
  ref: string;
  messageType: string;
  messageCount: number;
}

export interface Interchange {
  syntax: { identifier: string; version: string };
  separators: Separators;
  sender: Party;
  recipient: Party;
  /** UNB S004 as written; `iso` when the date and time are valid (YYMMDD → 20YY below 50, else 19YY). */
  preparedAt: { date: string; time: string; iso: string | null };
  controlRef: string;
  groups: Group[];
  messages: Message[];
  /** Segments of the interchange, UNB to UNZ (UNA not counted). */
  segmentCount: number;
}

export type EdiErrorCode =
  | 'edi.too-large'
  | 'edi.empty'
  | 'edi.una'
  | 'edi.release'
  | 'edi.unterminated'
  | 'edi.tag'
  | 'edi.unb'
  | 'edi.unz'
  | 'edi.ung'
  | 'edi.une'
  | 'edi.unh'
  | 'edi.unt'
  | 'edi.structure'
  | 'edi.too-many-errors';

export interface EdiError {
  code: EdiErrorCode;
  /** 1-based segment number within the interchange, null when the error is not about one segment. */
  segment: number | null;
  tag: string | null;
  /** Full text, e.g. `segment 14 UNT: segment count 12 does not match the 13 segments of message 1`. */
  message: string;
}

export type ReadResult = { ok: true; interchange: Interchange } | { ok: false; errors: EdiError[]; partial?: Interchange };

export interface ReadOptions {
  maxChars?: number;
  maxSegments?: number;
  maxComponents?: number;
}

export const DEFAULT_SEPARATORS: Readonly<Separators> = Object.freeze({
  component: ':',
  element: '+',
  decimal: '.',
  release: '?',
  repetition: null,
  segment: "'",
});

const TAG = /^[A-Z][A-Z0-9]{2}$/;
const WHITESPACE = new Set(['\r', '\n', '\t', ' ']);

class Errors {
  readonly list: EdiError[] = [];
  private cut = false;

  add(code: EdiErrorCode, segment: number | null, tag: string | null, text: string): void {
    if (this.list.length >= MAX_ERRORS) {
      if (!this.cut) {
        this.cut = true;
        this.list.push({
          code: 'edi.too-many-errors',
          segment: null,
          tag: null,
          message: `more than ${MAX_ERRORS} errors; the rest were not listed`,
        });
      }
      return;
    }
    const where = segment === null ? '' : `segment ${segment}${tag === null ? '' : ` ${tag}`}: `;
    this.list.push({ code, segment, tag, message: `${where}${text}` });
  }
}

function decode(input: string | Buffer): string {
  if (typeof input === 'string') {
    return input;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    // UNOA–UNOC interchanges are ASCII or ISO 8859-1; anything that is not UTF-8 is read as Latin-1.
    return input.toString('latin1');
  }
}

/** Parses the UNA service string advice at `start`; returns the separators and where segments begin. */
function readUna(text: string, start: number, errors: Errors): { separators: Separators; next: number } | null {
  if (text.length < start + 9) {
    errors.add('edi.una', null, 'UNA', 'UNA service string advice must be followed by 6 characters');
    return null;
  }
  const c = text.slice(start + 3, start + 9);
  const [component, element, decimal, release, repetition, segment] = [c[0], c[1], c[2], c[3], c[4], c[5]] as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const separators: Separators = {
    component,
    element,
    decimal,
    release: release === ' ' ? null : release,
    repetition: repetition === ' ' ? null : repetition,
    segment,
  };
  const used = [component, element, segment, separators.release, separators.repetition].filter((s): s is string => s !== null);
  if (new Set(used).size !== used.length) {
    errors.add('edi.una', null, 'UNA', `UNA declares the same character for two separators: ${JSON.stringify(c)}`);
    return null;
  }
  if (used.some((s) => /[A-Za-z0-9]/.test(s))) {
    errors.add('edi.una', null, 'UNA', `UNA declares a letter or digit as a separator: ${JSON.stringify(c)}`);
    return null;
  }
  return { separators, next: start + 9 };
}

interface RawSegment {
  elements: string[][][]; // element → occurrence → component
  terminated: boolean;
}

interface Limits {
  segments: number;
  components: number;
}

function occurrences(text: string, ch: string | null, from: number): number {
  if (ch === null) {
    return 0;
  }
  let n = 0;
  for (let i = text.indexOf(ch, from); i !== -1; i = text.indexOf(ch, i + 1)) {
    n++;
  }
  return n;
}

/**
 * A fast native pre-count of separators, so that inputs like `''''…` or `++++…` are refused before
 * anything is allocated (escaped separators are counted too, so this only errs on the side of refusing
 * inputs already within a few percent of the limits).
 */
function withinLimits(text: string, start: number, sep: Separators, limits: Limits, errors: Errors): boolean {
  const segments = occurrences(text, sep.segment, start);
  if (segments > limits.segments) {
    errors.add('edi.too-large', null, null, `the input holds more than ${limits.segments} segments`);
    return false;
  }
  // Each segment has one component more than its element and component separators.
  const items = [sep.element, sep.component, sep.repetition, sep.release].reduce((n, ch) => n + occurrences(text, ch, start), segments);
  if (items > limits.components) {
    errors.add('edi.too-large', null, null, `the input holds more than ${limits.components} data components`);
    return false;
  }
  return true;
}

/** Splits text into raw segments in one pass; null (with an error) when a limit is exceeded. */
function tokenize(text: string, start: number, sep: Separators, limits: Limits, errors: Errors): RawSegment[] | null {
  const segments: RawSegment[] = [];
  const n = text.length;
  let i = start;
  let items = 0;
  while (i < n) {
    if (segments.length >= limits.segments) {
      errors.add('edi.too-large', null, null, `the input holds more than ${limits.segments} segments`);
      return null;
    }
    // Whitespace between segments (e.g. CR/LF after the terminator) is tolerated.
    while (i < n && WHITESPACE.has(text[i] as string) && !isSeparator(text[i] as string, sep)) {
      i++;
    }
    if (i >= n) {
      break;
    }
    const elements: string[][][] = [];
    let occurrences: string[][] = [];
    let components: string[] = [];
    // Text already unescaped in this component (only used once a release character was met).
    let escaped = '';
    let runStart = i;
    let terminated = false;
    const endComponent = (): void => {
      items++;
      components.push(escaped === '' ? text.slice(runStart, i) : escaped + text.slice(runStart, i));
      escaped = '';
    };
    while (i < n) {
      if (items > limits.components) {
        errors.add('edi.too-large', null, null, `the input holds more than ${limits.components} data components`);
        return null;
      }
      const ch = text[i] as string;
      if (ch === sep.release) {
        escaped += text.slice(runStart, i);
        if (i + 1 >= n) {
          errors.add('edi.release', segments.length + 1, null, 'release character at the end of the input escapes nothing');
          i = n;
          runStart = n;
          break;
        }
        escaped += text[i + 1] as string;
        items++;
        i += 2;
        runStart = i;
        continue;
      }
      if (ch === sep.component) {
        endComponent();
        i++;
        runStart = i;
        continue;
      }
      if (ch === sep.repetition) {
        endComponent();
        occurrences.push(components);
        components = [];
        i++;
        runStart = i;
        continue;
      }
      if (ch === sep.element) {
        endComponent();
        occurrences.push(components);
        elements.push(occurrences);
        occurrences = [];
        components = [];
        i++;
        runStart = i;
        continue;
      }
      if (ch === sep.segment) {
        terminated = true;
        break;
      }
      i++;
    }
    endComponent();
    occurrences.push(components);
    elements.push(occurrences);
    if (items > limits.components) {
      errors.add('edi.too-large', null, null, `the input holds more than ${limits.components} data components`);
      return null;
    }
    segments.push({ elements, terminated });
    if (terminated) {
      i++;
    }
  }
  return segments;
}

function isSeparator(ch: string, sep: Separators): boolean {
  return ch === sep.component || ch === sep.element || ch === sep.segment || ch === sep.release || ch === sep.repetition;
}

function toSegment(raw: RawSegment, index: number): Segment {
  const [tagElement, ...rest] = raw.elements;
  const tag = tagElement?.[0]?.[0] ?? '';
  const segment: Segment = { tag, elements: rest.map((occ) => occ[0] ?? ['']), index };
  rest.forEach((occ, k) => {
    if (occ.length > 1) {
      segment.repetitions ??= {};
      segment.repetitions[k] = occ;
    }
  });
  return segment;
}

/** Component `c` of data element `e` (both 0-based, elements after the tag), '' when absent. */
export function component(segment: Segment, e: number, c = 0): string {
  return segment.elements[e]?.[c] ?? '';
}

/** YYMMDD or CCYYMMDD plus HHMM as an ISO UTC string (YY below 50 is 20YY), null when not a real date and time. */
export function isoDateTime(date: string, time: string): string | null {
  let year: number;
  let rest: string;
  if (/^\d{6}$/.test(date)) {
    const yy = Number(date.slice(0, 2));
    year = yy < 50 ? 2000 + yy : 1900 + yy;
    rest = date.slice(2);
  } else if (/^\d{8}$/.test(date)) {
    year = Number(date.slice(0, 4));
    rest = date.slice(4);
  } else {
    return null;
  }
  if (!/^\d{4}$/.test(time)) {
    return null;
  }
  const month = Number(rest.slice(0, 2));
  const day = Number(rest.slice(2, 4));
  const hour = Number(time.slice(0, 2));
  const minute = Number(time.slice(2, 4));
  const d = new Date(Date.UTC(2000, month - 1, day, hour, minute));
  d.setUTCFullYear(year);
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day || hour > 23 || minute > 59) {
    return null;
  }
  const pad = (v: number, w = 2): string => String(v).padStart(w, '0');
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:00Z`;
}

function parseCount(value: string): number | null {
  return /^\d{1,9}$/.test(value) ? Number(value) : null;
}

/** Reads one UN/EDIFACT interchange. Never throws. */
export function readInterchange(input: string | Buffer, options: ReadOptions = {}): ReadResult {
  try {
    return read(input, options);
  } catch (e) {
    // Defensive: the reader is written not to throw; should it ever, the caller still gets a result.
    return { ok: false, errors: [{ code: 'edi.structure', segment: null, tag: null, message: `internal reader error: ${String(e)}` }] };
  }
}

function read(input: string | Buffer, options: ReadOptions): ReadResult {
  const max = options.maxChars ?? MAX_INTERCHANGE_CHARS;
  const errors = new Errors();
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > max) {
    errors.add(
      'edi.too-large',
      null,
      null,
      `input of ${size} ${typeof input === 'string' ? 'characters' : 'bytes'} exceeds the limit of ${max}`,
    );
    return { ok: false, errors: errors.list };
  }
  let text = decode(input);
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
  }
  let start = 0;
  while (start < text.length && WHITESPACE.has(text[start] as string)) {
    start++;
  }
  if (start >= text.length) {
    errors.add('edi.empty', null, null, 'the input is empty');
    return { ok: false, errors: errors.list };
  }
  let separators: Separators = { ...DEFAULT_SEPARATORS };
  if (text.startsWith('UNA', start)) {
    const una = readUna(text, start, errors);
    if (una === null) {
      return { ok: false, errors: errors.list };
    }
    separators = una.separators;
    start = una.next;
  }
  const limits = { segments: options.maxSegments ?? MAX_SEGMENTS, components: options.maxComponents ?? MAX_COMPONENTS };
  if (!withinLimits(text, start, separators, limits, errors)) {
    return { ok: false, errors: errors.list };
  }
  const raw = tokenize(text, start, separators, limits, errors);
  if (raw === null) {
    return { ok: false, errors: errors.list };
  }
  const segments = raw.map((r, k) => toSegment(r, k + 1));
  raw.forEach((r, k) => {
    const seg = segments[k] as Segment;
    if (!TAG.test(seg.tag)) {
      errors.add('edi.tag', seg.index, null, `invalid segment tag ${JSON.stringify(seg.tag.slice(0, 20))}`);
    } else if (seg.tag === 'UNA') {
      errors.add('edi.una', seg.index, seg.tag, 'UNA may only open the interchange');
    }
    if (!r.terminated) {
      errors.add(
        'edi.unterminated',
        seg.index,
        TAG.test(seg.tag) ? seg.tag : null,
        `segment is not closed by the segment terminator ${JSON.stringify(separators.segment)}`,
      );
    }
  });
  if (segments.length === 0) {
    errors.add('edi.empty', null, null, 'the input holds no segments');
    return { ok: false, errors: errors.list };
  }
  const interchange = walk(segments, separators, errors);
  if (errors.list.length > 0) {
    return { ok: false, errors: errors.list, partial: interchange };
  }
  return { ok: true, interchange };
}

/** Walks the segments through the envelope: UNB (UNG (UNH … UNT)+ UNE)* or (UNH … UNT)+ UNZ. */
function walk(segments: Segment[], separators: Separators, errors: Errors): Interchange {
  const out: Interchange = {
    syntax: { identifier: '', version: '' },
    separators,
    sender: { id: '', qualifier: '' },
    recipient: { id: '', qualifier: '' },
    preparedAt: { date: '', time: '', iso: null },
    controlRef: '',
    groups: [],
    messages: [],
    segmentCount: segments.length,
  };
  let seenUnb = false;
  let seenUnz: Segment | null = null;
  let message: (Message & { open: Segment }) | null = null;
  let group: { ref: string; type: string; open: Segment; messages: number } | null = null;
  let messagesOutsideGroups = 0;
  const err = (code: EdiErrorCode, seg: Segment, text: string): void =>
    errors.add(code, seg.index, TAG.test(seg.tag) ? seg.tag : null, text);

  const closeMessage = (at: Segment, why: string): void => {
    if (message !== null) {
      err('edi.unt', at, `message ${message.ref} (UNH at segment ${message.open.index}) ${why}`);
      pushMessage();
    }
  };
  const pushMessage = (): void => {
    if (message !== null) {
      const { open: _open, ...m } = message;
      out.messages.push(m);
      message = null;
    }
  };
  const first = segments[0] as Segment;
  if (first.tag !== 'UNB') {
    err('edi.unb', first, 'the interchange does not start with UNB');
  }

  for (const seg of segments) {
    if (seenUnz !== null) {
      err('edi.structure', seg, `segment after UNZ (segment ${seenUnz.index})`);
      continue;
    }
    switch (seg.tag) {
      case 'UNB': {
        if (seenUnb || seg.index !== 1) {
          err('edi.unb', seg, seenUnb ? 'second UNB in the interchange' : 'UNB must be the first segment');
          break;
        }
        seenUnb = true;
        out.syntax = { identifier: component(seg, 0, 0), version: component(seg, 0, 1) };
        out.sender = { id: component(seg, 1, 0), qualifier: component(seg, 1, 1) };
        out.recipient = { id: component(seg, 2, 0), qualifier: component(seg, 2, 1) };
        const date = component(seg, 3, 0);
        const time = component(seg, 3, 1);
        out.preparedAt = { date, time, iso: isoDateTime(date, time) };
        out.controlRef = component(seg, 4, 0);
        const missing = [
          ['syntax identifier (S001)', out.syntax.identifier],
          ['syntax version (S001)', out.syntax.version],
          ['sender (S002)', out.sender.id],
          ['recipient (S003)', out.recipient.id],
          ['date (S004)', date],
          ['time (S004)', time],
          ['control reference (0020)', out.controlRef],
        ].filter(([, v]) => v === '');
        if (missing.length > 0) {
          err('edi.unb', seg, `missing ${missing.map(([name]) => name).join(', ')}`);
        }
        break;
      }
      case 'UNG': {
        closeMessage(seg, 'is not closed by UNT before UNG');
        if (group !== null) {
          err('edi.une', seg, `group ${group.ref} (UNG at segment ${group.open.index}) is not closed by UNE before the next UNG`);
        }
        const ref = component(seg, 4, 0);
        if (ref === '') {
          err('edi.ung', seg, 'missing group reference (0048)');
        }
        group = { ref, type: component(seg, 0, 0), open: seg, messages: 0 };
        out.groups.push({ ref, messageType: group.type, messageCount: 0 });
        break;
      }
      case 'UNE': {
        closeMessage(seg, 'is not closed by UNT before UNE');
        if (group === null) {
          err('edi.une', seg, 'UNE without UNG');
          break;
        }
        const count = parseCount(component(seg, 0, 0));
        const ref = component(seg, 1, 0);
        if (count === null) {
          err('edi.une', seg, `message count ${JSON.stringify(component(seg, 0, 0))} is not a number`);
        } else if (count !== group.messages) {
          err('edi.une', seg, `message count ${count} does not match the ${group.messages} messages of group ${group.ref}`);
        }
        if (ref !== group.ref) {
          err('edi.une', seg, `group reference ${JSON.stringify(ref)} does not match UNG's ${JSON.stringify(group.ref)}`);
        }
        const g = out.groups[out.groups.length - 1];
        if (g !== undefined) {
          g.messageCount = group.messages;
        }
        group = null;
        break;
      }
      case 'UNH': {
        closeMessage(seg, 'is not closed by UNT before the next UNH');
        const ref = component(seg, 0, 0);
        message = {
          ref,
          type: component(seg, 1, 0),
          version: component(seg, 1, 1),
          release: component(seg, 1, 2),
          agency: component(seg, 1, 3),
          associationCode: component(seg, 1, 4),
          groupRef: group?.ref ?? null,
          segments: [seg],
          open: seg,
        };
        if (group !== null) {
          group.messages++;
        } else {
          messagesOutsideGroups++;
        }
        const missing = [
          ['message reference (0062)', ref],
          ['message type (0065)', message.type],
          ['version (0052)', message.version],
          ['release (0054)', message.release],
          ['controlling agency (0051)', message.agency],
        ].filter(([, v]) => v === '');
        if (missing.length > 0) {
          err('edi.unh', seg, `missing ${missing.map(([name]) => name).join(', ')}`);
        }
        break;
      }
      case 'UNT': {
        if (message === null) {
          err('edi.unt', seg, 'UNT without UNH');
          break;
        }
        message.segments.push(seg);
        const written = component(seg, 0, 0);
        const count = parseCount(written);
        const ref = component(seg, 1, 0);
        const actual = message.segments.length;
        if (count === null) {
          err('edi.unt', seg, `segment count ${JSON.stringify(written)} is not a number`);
        } else if (count !== actual) {
          err('edi.unt', seg, `segment count ${count} does not match the ${actual} segments of message ${message.ref}`);
        }
        if (ref !== message.ref) {
          err('edi.unt', seg, `message reference ${JSON.stringify(ref)} does not match UNH's ${JSON.stringify(message.ref)}`);
        }
        pushMessage();
        break;
      }
      case 'UNZ': {
        closeMessage(seg, 'is not closed by UNT before UNZ');
        if (group !== null) {
          err('edi.une', seg, `group ${group.ref} (UNG at segment ${group.open.index}) is not closed by UNE before UNZ`);
          group = null;
        }
        seenUnz = seg;
        if (!seenUnb) {
          err('edi.unz', seg, 'UNZ without UNB');
          break;
        }
        const written = component(seg, 0, 0);
        const count = parseCount(written);
        const expected = out.groups.length > 0 ? out.groups.length : out.messages.length;
        const what = out.groups.length > 0 ? 'functional groups' : 'messages';
        if (out.groups.length > 0 && messagesOutsideGroups > 0) {
          err('edi.structure', seg, `${messagesOutsideGroups} messages are outside functional groups while the interchange uses UNG`);
        }
        if (count === null) {
          err('edi.unz', seg, `interchange control count ${JSON.stringify(written)} is not a number`);
        } else if (count !== expected) {
          err('edi.unz', seg, `interchange control count ${count} does not match the ${expected} ${what} of the interchange`);
        }
        const ref = component(seg, 1, 0);
        if (ref !== out.controlRef) {
          err('edi.unz', seg, `control reference ${JSON.stringify(ref)} does not match UNB's ${JSON.stringify(out.controlRef)}`);
        }
        break;
      }
      default: {
        if (message !== null) {
          message.segments.push(seg);
        } else if (TAG.test(seg.tag)) {
          err('edi.structure', seg, 'segment outside a message (no open UNH)');
        }
      }
    }
  }
  const last = segments[segments.length - 1] as Segment;
  if (message !== null) {
    const m: Message & { open: Segment } = message;
    errors.add('edi.unt', m.open.index, 'UNH', `message ${m.ref} is not closed by UNT before the end of the input`);
    pushMessage();
  }
  if (group !== null) {
    const g: { ref: string; open: Segment } = group;
    errors.add('edi.une', g.open.index, 'UNG', `group ${g.ref} is not closed by UNE before the end of the input`);
  }
  if (seenUnb && seenUnz === null) {
    err('edi.unz', last, 'the interchange ends without UNZ');
  }
  return out;
}
