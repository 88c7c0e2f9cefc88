/**
 * BAPLIE (bayplan / stowage plan) → StowagePlan. A stowage group starts at LOC+147 (the cell). In
 * BAPLIE 1.x/2.x (D95B, D00B) the ports, weight and references precede the EQD in that group; in
 * later versions they follow it — so each EQD takes a value from the segments after it first and
 * from the group's segments before the first EQD otherwise. A cell without EQD is not a container.
 */
import { type Message, type Segment } from '../interchange.ts';
import {
  body,
  checkLocode,
  checkType,
  eqdOf,
  find,
  groups,
  isContainer,
  Issues,
  mainTdt,
  value,
  vesselOf,
  weightOf,
  type Fullness,
  type MapResult,
  type Vessel,
} from './common.ts';

export interface StowedEquipment {
  number: string;
  sizeType: string | null;
  /** LOC+147 stowage cell (e.g. bay-row-tier 0780690); null for an EQD outside a stowage group. */
  position: string | null;
  portOfLoading: string | null;
  portOfDischarge: string | null;
  grossKg: number | null;
  fullness: Fullness;
  /** NAD+CA carrier / container operator code. */
  operator: string | null;
}

export interface StowagePlan {
  messageRef: string;
  vessel: Vessel;
  departurePort: string | null;
  nextPort: string | null;
  equipment: StowedEquipment[];
}

const isStowage = (s: Segment): boolean => s.tag === 'LOC' && value(s, 0, 0) === '147';

/** Maps one BAPLIE message to the stowage plan: vessel, ports, and one entry per EQD with an id. */
export function mapBaplie(msg: Message): MapResult<StowagePlan> {
  const issues = new Issues();
  if (!checkType(msg, 'BAPLIE', issues)) {
    return issues.fail();
  }
  const segments = body(msg);
  const cells = groups(segments, isStowage, (s) => s.tag === 'CNT');
  // EQDs before the first LOC+147 have no cell; they are still equipment (position null).
  const loose = groups(cells.head, (s) => s.tag === 'EQD');
  const header = loose.head;
  const plan: StowagePlan = {
    messageRef: msg.ref,
    vessel: vesselOf(mainTdt(header), issues),
    // 3227: 5 place of departure, 61 next port of call.
    departurePort: checkLocode(header, ['5'], issues),
    nextPort: checkLocode(header, ['61'], issues),
    equipment: [],
  };
  for (const g of loose.groups) {
    issues.warn('edi.missing-segment', g[0] ?? null, 'EQD outside a stowage group (no LOC+147 before it)');
    plan.equipment.push(...mapCell([], g, null, issues));
  }
  for (const cell of cells.groups) {
    const position = value(cell[0], 1, 0);
    const { head, groups: eqds } = groups(cell.slice(1), (s) => s.tag === 'EQD');
    plan.equipment.push(...eqds.flatMap((g) => mapCell(head, g, position, issues)));
  }
  return issues.result(plan);
}

function mapCell(head: Segment[], tail: Segment[], position: string | null, issues: Issues): StowedEquipment[] {
  const eqd = tail[0] as Segment;
  const e = eqdOf(eqd);
  if (e.number === null) {
    if (isContainer(e)) {
      issues.error('edi.missing-value', eqd, 'EQD has no equipment identification (C237 8260)');
    } else {
      issues.warn('edi.missing-value', eqd, `EQD ${e.qualifier} without an id is not counted`);
    }
    return [];
  }
  const pick = <T>(read: (segs: Segment[]) => T | null): T | null => read(tail) ?? read(head);
  // 6311 WT (weight) or VGM/AAE+VGM (verified gross mass); 6313 G, AET or empty.
  const isWeight = (p: string, prop: string): boolean => p === 'WT' || p === 'VGM' || (p === 'AAE' && ['VGM', 'G', 'AET'].includes(prop));
  return [
    {
      number: e.number,
      sizeType: e.sizeType,
      position,
      // 3227: 9 port of loading; 11 place of discharge, 12 port of discharge.
      portOfLoading: pick((s) => checkLocode(s, ['9'], issues)),
      portOfDischarge: pick((s) => checkLocode(s, ['11', '12'], issues)),
      grossKg: pick((s) => weightOf(s, isWeight, issues)),
      fullness: e.fullness,
      operator: pick((s) => value(find(s, 'NAD', 'CA'), 1, 0)),
    },
  ];
}
