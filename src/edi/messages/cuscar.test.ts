import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapCuscar, readInterchange, type Interchange, type Message } from '../index.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');

function read(text: string): Interchange {
  const r = readInterchange(text);
  if (!r.ok) {
    throw new Error(r.errors.map((e) => e.message).join('; '));
  }
  return r.interchange;
}

/** A one-message interchange around `body` (segments between UNH and UNT). */
function message(type: string, version: string, body: string): Message {
  const n = body.split("'").length - 1 + 2;
  const [dir, rel] = version.split(':');
  const m = read(`UNB+UNOC:3+S+R+240101:1200+X'UNH+1+${type}:${dir}:${rel}:UN'${body}UNT+${n}+1'UNZ+1+X'`).messages[0];
  if (m === undefined) {
    throw new Error('no message');
  }
  return m;
}

describe('mapCuscar on the hand-counted fixture cuscar-d95b.edi', () => {
  const interchange = read(fs.readFileSync(path.join(FIXTURES, 'cuscar-d95b.edi'), 'latin1'));

  it('is one CUSCAR of 47 segments (UNB + 47 + UNZ = 49), 3 EQD, 2 CNI, 3 GID', () => {
    expect(interchange.segmentCount).toBe(49);
    expect(interchange.messages).toHaveLength(1);
    const m = interchange.messages[0] as Message;
    expect(m.segments).toHaveLength(47);
    const tags = m.segments.map((s) => s.tag);
    expect(tags.filter((t) => t === 'EQD')).toHaveLength(3);
    expect(tags.filter((t) => t === 'CNI')).toHaveLength(2);
    expect(tags.filter((t) => t === 'GID')).toHaveLength(3);
  });

  it('maps the header, the master bill and the house bill with their goods and boxes', () => {
    const r = mapCuscar(interchange.messages[0] as Message);
    if (!r.ok) {
      throw new Error(JSON.stringify(r.errors));
    }
    expect(r.warnings).toEqual([]);
    const { bills, ...header } = r.value;
    expect(header).toEqual({
      messageRef: '1',
      documentNumber: 'MAN2024031501',
      functionCode: '9',
      vessel: { name: 'MAERSK ESSEN', imo: '9321483', callSign: null, voyage: '024E' },
      portOfLoading: 'CNSHA',
      portOfDischarge: 'NLRTM',
      arrivalAt: '2024-03-18T07:45:00Z', // DTM+178 (actual) preferred over DTM+132 (estimated)
    });
    expect(bills.map((b) => [b.number, b.masterNumber, b.goods.length, b.equipment.length])).toEqual([
      ['MAEU240001', null, 2, 2],
      ['NBTX-0077', 'MAEU240001', 1, 1],
    ]);
    const [master, house] = bills;
    expect(master).toMatchObject({
      shipper: 'SHANGHAI EXPORT CO LTD',
      consignee: 'ROTTERDAM IMPORT BV',
      notify: 'PORT AGENT BV',
      placeOfLoading: 'CNSHA',
      placeOfDischarge: 'NLRTM',
    });
    expect(master?.goods).toEqual([
      {
        seq: 1,
        packages: 400,
        packageType: 'CT',
        description: 'LED LAMPS 240V',
        hsCode: '94054090',
        grossKg: 8200.5,
        netKg: 7600,
        equipment: ['MSKU1234565'],
      },
      // MEA in TNE is converted to kg.
      {
        seq: 2,
        packages: 100,
        packageType: 'PK',
        description: 'CERAMIC TILES',
        hsCode: '690721',
        grossKg: 18000,
        netKg: null,
        equipment: ['MSKU7654328'],
      },
    ]);
    expect(master?.equipment).toEqual([
      { number: 'MSKU1234565', sizeType: '45G1', fullness: 'full', seals: ['SL1001'] },
      { number: 'MSKU7654328', sizeType: '22G1', fullness: 'full', seals: ['SL2001', 'SL2002'] },
    ]);
    expect(house).toMatchObject({ shipper: 'NINGBO TOYS FACTORY 3', consignee: 'DUTCH RETAIL NV', notify: null, placeOfLoading: 'CNNGB' });
    // The release character in `TOYS ?+ GAMES` is resolved; CST 950300 kept as digits.
    expect(house?.goods[0]).toMatchObject({ description: 'PLASTIC TOYS + GAMES', hsCode: '950300', grossKg: 2100 });
    expect(house?.equipment).toEqual([{ number: 'TGHU9876542', sizeType: '22G1', fullness: 'full', seals: ['SL3001'] }]);
  });
});

describe('mapCuscar, lenient and strict', () => {
  const goods = "CNI+1'RFF+BM:B1'GID+1+2:PK'SGP+ABCU1234560'";

  it('reads D00B the same way, ignores unknown segments and takes a house bill written RFF+BM + RFF+MB', () => {
    const m = message(
      'CUSCAR',
      'D:00B',
      "BGM+85:::MANIFEST+DOC1+9'XYZ+whatever'TDT+20+V1+1+++++IMO9321483'LOC+5+DEHAM'EQD+CN+ABCU1234560'CNI+1'RFF+BM:HB1'RFF+MB:MB1'GID+1'PIA+5+8517.12:HS'SGP+ABCU1234560'",
    );
    const r = mapCuscar(m);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.vessel).toEqual({ name: null, imo: '9321483', callSign: null, voyage: 'V1' });
      expect(r.value.portOfLoading).toBe('DEHAM'); // LOC+5 when there is no LOC+9
      expect(r.value.bills[0]).toMatchObject({ number: 'HB1', masterNumber: 'MB1' });
      expect(r.value.bills[0]?.goods[0]?.hsCode).toBe('851712');
    }
  });

  it('falls back to the CNI document number and warns about an SGP box without EQD', () => {
    const r = mapCuscar(message('CUSCAR', 'D:95B', "BGM+85+D+9'CNI+1+BL-9'GID+1'SGP+ZZZU0000001'"));
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.bills[0]?.number).toBe('BL-9');
      expect(r.value.bills[0]?.equipment).toEqual([{ number: 'ZZZU0000001', sizeType: null, fullness: null, seals: [] }]);
      expect(r.warnings.map((w) => [w.segment, w.tag, w.code])).toEqual([[6, 'SGP', 'edi.invalid-value']]);
    }
  });

  it("counts an EQD written inside a consignment as that bill's equipment", () => {
    const r = mapCuscar(message('CUSCAR', 'D:95B', "BGM+85+D+9'CNI+1+BL-1'EQD+CN+ABCU1234560+22G1+++5'SEL+S1'GID+1+1:PK'"));
    expect(r.ok && r.value.bills[0]?.equipment).toEqual([{ number: 'ABCU1234560', sizeType: '22G1', fullness: 'full', seals: ['S1'] }]);
  });

  it('fails on a container EQD without a number, naming the segment', () => {
    const r = mapCuscar(message('CUSCAR', 'D:95B', `BGM+85+D+9'EQD+CN'${goods}`));
    expect(r).toEqual({
      ok: false,
      errors: [
        { code: 'edi.missing-value', segment: 4, tag: 'EQD', message: 'segment 4 EQD: EQD has no equipment identification (C237 8260)' },
      ],
    });
  });

  it('fails on an arrival date that does not parse, naming the DTM', () => {
    const r = mapCuscar(message('CUSCAR', 'D:95B', `BGM+85+D+9'TDT+20+V'DTM+132:20240230:102'${goods}`));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.map((e) => [e.segment, e.tag, e.code])).toEqual([[5, 'DTM', 'edi.invalid-date']]);
    }
  });

  it('fails on a bill without any number, and on a message of another type', () => {
    const r = mapCuscar(message('CUSCAR', 'D:95B', "BGM+85+D+9'CNI+1'GID+1'"));
    expect(!r.ok && r.errors[0]?.message).toBe('segment 4 CNI: consignment has no bill number (RFF+BM/BH/MB or CNI 1004)');
    const other = mapCuscar(message('BAPLIE', 'D:95B', "BGM++1+9'"));
    expect(!other.ok && other.errors[0]?.code).toBe('edi.wrong-message-type');
  });
});
