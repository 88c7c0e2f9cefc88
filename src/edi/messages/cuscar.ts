/**
 * CUSCAR (customs cargo report) → CargoReport. Written to the D95B and D00B structures: vessel in the
 * TDT group, equipment in the message-level EQD groups, one bill per CNI group (its RFF, NAD, LOC)
 * with goods items in GID groups (PAC/FTX/MEA/SGP/CST); goods point at equipment through SGP.
 */
import { component, type Message, type Segment } from '../interchange.ts';
import {
  body,
  checkLocode,
  checkType,
  dateOf,
  eqdOf,
  find,
  ftxText,
  groups,
  isContainer,
  isTag,
  Issues,
  locOf,
  mainTdt,
  partyName,
  sealsOf,
  value,
  vesselOf,
  weightOf,
  type Fullness,
  type MapResult,
  type Vessel,
} from './common.ts';

export interface CargoEquipment {
  number: string;
  sizeType: string | null;
  fullness: Fullness;
  seals: string[];
}

export interface GoodsItem {
  /** GID 1496 goods item number. */
  seq: number | null;
  packages: number | null;
  packageType: string | null;
  /** FTX+AAA lines. */
  description: string | null;
  /** Digits only, from CST C246 7361 (or PIA with item type HS). */
  hsCode: string | null;
  grossKg: number | null;
  netKg: number | null;
  /** Equipment numbers from SGP. */
  equipment: string[];
}

export interface Bill {
  number: string;
  /** The master bill a house bill refers to; null for a master bill. */
  masterNumber: string | null;
  shipper: string | null;
  consignee: string | null;
  notify: string | null;
  placeOfLoading: string | null;
  placeOfDischarge: string | null;
  goods: GoodsItem[];
  equipment: CargoEquipment[];
}

export interface CargoReport {
  messageRef: string;
  documentNumber: string | null;
  functionCode: string | null;
  vessel: Vessel;
  portOfLoading: string | null;
  portOfDischarge: string | null;
  arrivalAt: string | null;
  bills: Bill[];
}

// 3227 place qualifiers (UNTDID): 9 place/port of loading, 5 place of departure; 11 place/port of
// discharge, 12 port of discharge.
const LOADING = ['9', '5'];
const DISCHARGE = ['11', '12'];
// 2005 qualifiers: 178 actual arrival, 132 estimated arrival.
const ARRIVAL = ['178', '132'];
// 3035 party qualifiers: CZ consignor, CN consignee, N1/NI notify party.
const SHIPPER = ['CZ'];
const CONSIGNEE = ['CN'];
const NOTIFY = ['N1', 'NI'];
// MEA 6311 WT (weights) or AAE (measurement) with 6313 (UNTDID): G gross weight, AAB (goods item/unit)
// gross, AAD total gross, AAE item gross; AAA (unit) net, AAL net, AAC total net, N net.
const GROSS = ['G', 'AAB', 'AAD', 'AAE'];
const NET = ['AAA', 'AAL', 'AAC', 'N'];
// Segments of an EQD group (SG2 in D95B, SG5 in D00B).
const EQUIPMENT_DETAIL = new Set(['TSR', 'MEA', 'DIM', 'SEL', 'NAD', 'GIS', 'LOC', 'TMP', 'RNG']);

/** Maps one CUSCAR message to the cargo report: vessel, bills (master and house), goods and equipment. */
export function mapCuscar(msg: Message): MapResult<CargoReport> {
  const issues = new Issues();
  if (!checkType(msg, 'CUSCAR', issues)) {
    return issues.fail();
  }
  const segments = body(msg);
  const bgm = find(segments, 'BGM');
  if (bgm === undefined) {
    issues.error('edi.missing-segment', msg.segments[0] ?? null, 'CUSCAR has no BGM');
  }
  const documentNumber = value(bgm, 1, 0);
  if (bgm !== undefined && documentNumber === null) {
    issues.warn('edi.missing-value', bgm, 'BGM has no document number (1004)');
  }
  const byCni = groups(segments, isTag('CNI'), isTag('AUT'));
  const header = groups(byCni.head, isTag('EQD'), isTag('CNT', 'CNI'));
  const equipment = new Map<string, CargoEquipment>();
  const addEquipment = (group: Segment[]): void => {
    const eqd = group[0] as Segment;
    const e = eqdOf(eqd);
    if (e.number === null) {
      if (isContainer(e)) {
        issues.error('edi.missing-value', eqd, 'EQD has no equipment identification (C237 8260)');
      } else {
        issues.warn('edi.missing-value', eqd, `EQD ${e.qualifier} without an id is skipped`);
      }
      return;
    }
    if (!equipment.has(e.number)) {
      equipment.set(e.number, { number: e.number, sizeType: e.sizeType, fullness: e.fullness, seals: sealsOf(group) });
    }
  };
  header.groups.forEach(addEquipment);
  const head = header.head;
  const headerMaster = value(find(head, 'RFF', 'MB'), 0, 1);
  const report: CargoReport = {
    messageRef: msg.ref,
    documentNumber,
    functionCode: value(bgm, 2, 0),
    vessel: vesselOf(mainTdt(head), issues),
    portOfLoading: checkLocode(head, LOADING, issues),
    portOfDischarge: checkLocode(head, DISCHARGE, issues),
    arrivalAt: dateOf(head, ARRIVAL, issues),
    bills: [],
  };
  if (byCni.groups.length === 0) {
    issues.warn('edi.missing-segment', bgm ?? null, 'CUSCAR holds no consignment (CNI)');
  }
  for (const group of byCni.groups) {
    // Equipment written inside a consignment (not where D95B/D00B put it) is accepted as well.
    group.forEach((s, k) => {
      if (s.tag === 'EQD') {
        const end = group.findIndex((t, j) => j > k && !EQUIPMENT_DETAIL.has(t.tag));
        addEquipment(group.slice(k, end === -1 ? group.length : end));
      }
    });
    const bill = mapBill(group, headerMaster, equipment, issues);
    if (bill !== null) {
      report.bills.push(bill);
    }
  }
  return issues.result(report);
}

function mapBill(group: Segment[], headerMaster: string | null, equipment: Map<string, CargoEquipment>, issues: Issues): Bill | null {
  const cni = group[0] as Segment;
  const { head, groups: goodsGroups } = groups(group, isTag('GID'));
  const ref = (q: string): string | null => value(find(group, 'RFF', q), 0, 1);
  // Bill numbers (1153): BH house bill, BM bill of lading, MB master bill; CNI C503 1004 as a last resort.
  const house = ref('BH');
  const bm = ref('BM');
  const mb = ref('MB');
  let number: string | null;
  let masterNumber: string | null = null;
  if (house !== null) {
    number = house;
    masterNumber = mb ?? (bm !== null && bm !== house ? bm : headerMaster);
  } else if (bm !== null) {
    number = bm;
    masterNumber = mb !== null && mb !== bm ? mb : null;
  } else {
    number = mb ?? value(cni, 1, 0);
  }
  if (number === null) {
    issues.error('edi.missing-value', cni, 'consignment has no bill number (RFF+BM/BH/MB or CNI 1004)');
    return null;
  }
  const party = (qualifiers: string[]): string | null =>
    partyName(group.find((s) => s.tag === 'NAD' && qualifiers.includes(component(s, 0).trim())));
  const goods = goodsGroups.map((g) => mapGoods(g, issues));
  if (goods.length === 0) {
    issues.warn('edi.missing-segment', cni, `bill ${number} has no goods item (GID)`);
  }
  // The bill's boxes: those its goods point at (SGP), and any EQD written inside the consignment.
  const inside = group.filter((s) => s.tag === 'EQD').flatMap((s) => value(s, 1, 0) ?? []);
  const numbers = [...new Set([...goods.flatMap((g) => g.equipment), ...inside])];
  return {
    number,
    masterNumber,
    shipper: party(SHIPPER),
    consignee: party(CONSIGNEE),
    notify: party(NOTIFY),
    placeOfLoading: locOf(head, ...LOADING),
    placeOfDischarge: locOf(head, ...DISCHARGE),
    goods,
    equipment: numbers.map((n) => {
      const known = equipment.get(n);
      if (known === undefined) {
        const sgp = group.find((s) => s.tag === 'SGP' && value(s, 0, 0) === n) ?? null;
        issues.warn('edi.invalid-value', sgp, `equipment ${n} is not declared in an EQD`);
      }
      return known ?? { number: n, sizeType: null, fullness: null, seals: [] };
    }),
  };
}

function count(seg: Segment, e: number, c: number, issues: Issues): number | null {
  const v = value(seg, e, c);
  if (v === null) {
    return null;
  }
  if (!/^\d{1,9}$/.test(v)) {
    issues.warn('edi.invalid-value', seg, `${JSON.stringify(v)} is not a whole number`);
    return null;
  }
  return Number(v);
}

function mapGoods(group: Segment[], issues: Issues): GoodsItem {
  const gid = group[0] as Segment;
  const description = group
    .filter((s) => s.tag === 'FTX' && component(s, 0).trim() === 'AAA')
    .map((s) => ftxText(s))
    .filter((t): t is string => t !== null)
    .join(' ');
  return {
    seq: count(gid, 0, 0, issues),
    packages: count(gid, 1, 0, issues),
    packageType: value(gid, 1, 1),
    description: description === '' ? null : description,
    hsCode: hsCodeOf(group, issues),
    grossKg: weightOf(group, (p, prop) => ['WT', 'AAE'].includes(p) && GROSS.includes(prop), issues),
    netKg: weightOf(group, (p, prop) => ['WT', 'AAE'].includes(p) && NET.includes(prop), issues),
    equipment: [...new Set(group.filter((s) => s.tag === 'SGP').flatMap((s) => value(s, 0, 0) ?? []))],
  };
}

/** CST C246 7361 (customs goods code; the first one given), else PIA C212 with item type HS. */
function hsCodeOf(group: Segment[], issues: Issues): string | null {
  const cst = group.find((s) => s.tag === 'CST');
  let raw: string | null = null;
  let where: Segment | null = null;
  if (cst !== undefined) {
    for (let e = 1; e <= 5 && raw === null; e++) {
      raw = value(cst, e, 0);
    }
    where = cst;
  }
  if (raw === null) {
    for (const pia of group.filter((s) => s.tag === 'PIA')) {
      for (let e = 1; e <= 5 && raw === null; e++) {
        if (value(pia, e, 1)?.toUpperCase() === 'HS') {
          raw = value(pia, e, 0);
          where = pia;
        }
      }
    }
  }
  if (raw === null) {
    return null;
  }
  const digits = raw.replace(/\D/g, '');
  if (digits === '') {
    issues.warn('edi.invalid-value', where, `commodity code ${JSON.stringify(raw)} has no digits`);
    return null;
  }
  return digits;
}
