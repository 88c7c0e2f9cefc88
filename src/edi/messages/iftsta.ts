/**
 * IFTSTA (international multimodal status report): container statuses in and out. Read from the
 * D95B and D00B structures — a status group starts at STS (in a CNI consignment group) and names its
 * equipment in EQD groups; written as IFTSTA D00B, one CNI and one STS per status.
 */
import { component, type Message, type Segment } from '../interchange.ts';
import {
  body,
  checkType,
  dateOf,
  dtm203,
  eqdOf,
  find,
  ftxText,
  groups,
  interchangeText,
  isContainer,
  Issues,
  seg,
  value,
  type Envelope,
  type MapResult,
} from './common.ts';

export interface ContainerStatusRecord {
  containerNumber: string;
  /** STS C555 9011 status code. */
  statusCode: string;
  statusText?: string;
  /** ISO UTC, minute precision. */
  occurredAt: string;
  location?: string;
  reference?: string;
}

// 2005 qualifiers for the status time, in order of preference: 334 status change, 7 effective,
// 178 actual arrival, 203 execution, 186 departure. Any other DTM of the status is the last resort.
const STATUS_DATES = ['334', '7', '178', '203', '186'];
// Where the status group's own segments end: its transport (TDT), equipment (EQD) or goods (GID) groups.
const NESTED = new Set(['TDT', 'EQD', 'GID']);
// FTX C108 4440 is an..512 in D00B; a status text is split over at most 5 components.
const TEXT_PART = 512;
const TEXT_MAX = TEXT_PART * 5;

/** Maps an IFTSTA to one record per (status, container) pair. */
export function mapIftsta(msg: Message): MapResult<ContainerStatusRecord[]> {
  const issues = new Issues();
  if (!checkType(msg, 'IFTSTA', issues)) {
    return issues.fail();
  }
  const records: ContainerStatusRecord[] = [];
  const byCni = groups(body(msg), (s) => s.tag === 'CNI');
  // Statuses outside any CNI (not in the standard structures) are read too.
  for (const group of [byCni.head, ...byCni.groups]) {
    const cni = group[0]?.tag === 'CNI' ? group[0] : undefined;
    const { head, groups: statuses } = groups(group, (s) => s.tag === 'STS');
    for (const status of statuses) {
      records.push(...mapStatus(status, cni, head, issues));
    }
  }
  if (records.length === 0 && issues.errors.length === 0) {
    issues.warn('edi.missing-segment', msg.segments[1] ?? null, 'IFTSTA reports no container status (STS with EQD)');
  }
  return issues.result(records);
}

function mapStatus(status: Segment[], cni: Segment | undefined, consignment: Segment[], issues: Issues): ContainerStatusRecord[] {
  const sts = status[0] as Segment;
  const end = status.findIndex((s, k) => k > 0 && NESTED.has(s.tag));
  const own = end === -1 ? status : status.slice(0, end);
  const statusCode = value(sts, 1, 0);
  if (statusCode === null) {
    issues.error('edi.missing-value', sts, 'STS has no status code (C555 9011)');
  }
  let occurredAt = dateOf(own, STATUS_DATES, issues);
  const anyDtm = own.find((s) => s.tag === 'DTM');
  if (occurredAt === null && anyDtm !== undefined && !own.some((s) => s.tag === 'DTM' && STATUS_DATES.includes(component(s, 0).trim()))) {
    occurredAt = dateOf([anyDtm], [component(anyDtm, 0).trim()], issues);
  }
  if (occurredAt === null && anyDtm === undefined) {
    issues.error('edi.missing-segment', sts, 'status has no date (DTM)');
  }
  let eqds = status.filter((s) => s.tag === 'EQD');
  if (eqds.length === 0) {
    eqds = consignment.filter((s) => s.tag === 'EQD');
  }
  if (eqds.length === 0) {
    issues.error('edi.missing-segment', sts, 'status names no container (EQD)');
  }
  const text = ftxText(find(own, 'FTX'), '') ?? value(sts, 1, 3);
  const location = value(find(own, 'LOC'), 1, 0);
  const reference = value(find(own, 'RFF'), 0, 1) ?? value(cni, 1, 0);
  const out: ContainerStatusRecord[] = [];
  for (const eqd of eqds) {
    const e = eqdOf(eqd);
    if (e.number === null) {
      if (isContainer(e)) {
        issues.error('edi.missing-value', eqd, 'EQD has no equipment identification (C237 8260)');
      }
      continue;
    }
    if (statusCode === null || occurredAt === null) {
      continue;
    }
    const r: ContainerStatusRecord = { containerNumber: e.number, statusCode, occurredAt };
    if (text !== null) {
      r.statusText = text;
    }
    if (location !== null) {
      r.location = location;
    }
    if (reference !== null) {
      r.reference = reference;
    }
    out.push(r);
  }
  return out;
}

/**
 * Writes container statuses as one IFTSTA (D00B) in a full interchange, for partners that take
 * status reports. Values are trimmed; a statusText longer than 2560 characters is refused.
 */
export function writeIftsta(statuses: ContainerStatusRecord[], envelope: Envelope): string {
  const segments = [seg('BGM', '23', envelope.messageRef, '9'), seg('DTM', ['137', dtm203(envelope.preparedAt), '203'])];
  statuses.forEach((s, k) => {
    const at = new Date(s.occurredAt);
    if (Number.isNaN(at.getTime())) {
      throw new RangeError(`status ${k + 1}: occurredAt ${JSON.stringify(s.occurredAt)} is not a date`);
    }
    const text = s.statusText?.trim() ?? '';
    if (text.length > TEXT_MAX) {
      throw new RangeError(`status ${k + 1}: statusText is longer than ${TEXT_MAX} characters`);
    }
    const parts =
      text === ''
        ? []
        : Array.from({ length: Math.ceil(text.length / TEXT_PART) }, (_, i) => text.slice(i * TEXT_PART, (i + 1) * TEXT_PART));
    segments.push(seg('CNI', String(k + 1)));
    // STS C601 left empty; C555 9011 the status code.
    segments.push(seg('STS', '', s.statusCode.trim()));
    if (s.reference !== undefined && s.reference.trim() !== '') {
      // 1153 ZZZ: mutually defined reference.
      segments.push(seg('RFF', ['ZZZ', s.reference.trim()]));
    }
    segments.push(seg('DTM', ['334', dtm203(at), '203']));
    if (parts.length > 0) {
      // 4451 AAI: general information.
      segments.push(seg('FTX', 'AAI', '', '', parts));
    }
    if (s.location !== undefined && s.location.trim() !== '') {
      // 3227 175: activity location.
      segments.push(seg('LOC', '175', s.location.trim()));
    }
    segments.push(seg('EQD', 'CN', s.containerNumber.trim()));
  });
  return interchangeText(envelope, [{ ref: envelope.messageRef, type: 'IFTSTA', version: 'D:00B', segments }]);
}
