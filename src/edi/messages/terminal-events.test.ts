import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapCoarri, mapCodeco, readInterchange, type Interchange, type Message } from '../index.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');

function read(text: string | Buffer): Interchange {
  const r = readInterchange(text);
  if (!r.ok) {
    throw new Error(r.errors.map((e) => e.message).join('; '));
  }
  return r.interchange;
}

function fixture(name: string): Interchange {
  return read(fs.readFileSync(path.join(FIXTURES, name)));
}

function message(type: string, body: string): Message {
  const n = body.split("'").length - 1 + 2;
  const m = read(`UNB+UNOC:3+S+R+240101:1200+X'UNH+1+${type}:D:00B:UN'${body}UNT+${n}+1'UNZ+1+X'`).messages[0];
  if (m === undefined) {
    throw new Error('no message');
  }
  return m;
}

describe('mapCoarri', () => {
  it('coarri-discharge.edi: 24 segments, 3 boxes discharged (BGM 98), ids by ordinal or own RFF', () => {
    const i = fixture('coarri-discharge.edi');
    expect(i.segmentCount).toBe(26);
    const m = i.messages[0] as Message;
    expect(m.segments).toHaveLength(24);
    const r = mapCoarri(m, { controlRef: i.controlRef });
    if (!r.ok) {
      throw new Error(JSON.stringify(r.errors));
    }
    expect(r.warnings).toEqual([]);
    expect(r.value).toEqual([
      {
        // RFF+BM:MAEU240001 is shared by boxes 1 and 2, so it is not their own reference.
        senderEventId: 'COA0042/9001:1',
        kind: 'discharge',
        containerNumber: 'MSKU1234565',
        occurredAt: '2024-03-18T09:12:00Z',
        location: '0120482',
        vessel: 'MAERSK ESSEN',
        voyage: '024E',
        sizeType: '45G1',
        fullness: 'full',
        seals: ['SL1001'],
      },
      {
        senderEventId: 'COA0042/9001:2',
        kind: 'discharge',
        containerNumber: 'MSKU7654328',
        occurredAt: '2024-03-18T09:31:00Z',
        location: '0140206',
        vessel: 'MAERSK ESSEN',
        voyage: '024E',
        sizeType: '22G1',
        fullness: 'full',
        seals: ['SL2001', 'SL2002'],
      },
      {
        senderEventId: 'COA0042/9001:BH:NBTX-0077',
        kind: 'discharge',
        containerNumber: 'TGHU9876542',
        occurredAt: '2024-03-18T10:02:00Z',
        location: '0140284',
        vessel: 'MAERSK ESSEN',
        voyage: '024E',
        sizeType: '22G1',
        fullness: 'full',
        seals: [],
      },
    ]);
  });

  it('BGM 270 is a loading report; without a box date the header date is used; the terminal LOC is the fallback location', () => {
    const r = mapCoarri(message('COARRI', "BGM+270+L1+9'TDT+20+V9'LOC+9+NLRTM'DTM+178:202401021000:203'EQD+CN+ABCU1234560'"), {
      controlRef: 'C1',
    });
    expect(r.ok && r.value).toEqual([
      {
        senderEventId: 'C1/1:1',
        kind: 'load',
        containerNumber: 'ABCU1234560',
        occurredAt: '2024-01-02T10:00:00Z',
        location: 'NLRTM',
        voyage: 'V9',
        sizeType: null,
        fullness: null,
        seals: [],
      },
    ]);
  });

  it('reads the SMDG COARRI 1.x codes 44 (discharge) and 46 (loading); a date in the wrong format is a warning', () => {
    const kinds = ['44', '46'].map((code) => {
      const r = mapCoarri(message('COARRI', `BGM+${code}+X+9'EQD+CN+ABCU1234560'DTM+203:20240101:203'`), { controlRef: 'C' });
      expect(r.ok && r.warnings.map((w) => [w.segment, w.tag, w.code])).toEqual([[5, 'DTM', 'edi.invalid-date']]);
      return r.ok ? r.value[0]?.kind : null;
    });
    expect(kinds).toEqual(['discharge', 'load']);
  });

  it('is strict: unknown BGM code, missing container number, bad or missing date each name their segment', () => {
    const unknown = mapCoarri(message('COARRI', "BGM+999+X+9'EQD+CN+ABCU1234560'DTM+203:202401010000:203'"), { controlRef: 'C' });
    expect(!unknown.ok && unknown.errors.map((e) => [e.segment, e.tag, e.code])).toEqual([[3, 'BGM', 'edi.unknown-code']]);
    const noNumber = mapCoarri(message('COARRI', "BGM+98+X+9'EQD+CN'DTM+203:202401010000:203'"), { controlRef: 'C' });
    expect(!noNumber.ok && noNumber.errors.map((e) => [e.segment, e.tag])).toEqual([[4, 'EQD']]);
    const badDate = mapCoarri(message('COARRI', "BGM+98+X+9'EQD+CN+ABCU1234560'DTM+203:202413010000:203'"), { controlRef: 'C' });
    expect(!badDate.ok && badDate.errors.map((e) => [e.segment, e.tag, e.code])).toEqual([[5, 'DTM', 'edi.invalid-date']]);
    const noDate = mapCoarri(message('COARRI', "BGM+98+X+9'EQD+CN+ABCU1234560'"), { controlRef: 'C' });
    expect(!noDate.ok && noDate.errors.map((e) => [e.segment, e.tag, e.code])).toEqual([[4, 'EQD', 'edi.missing-segment']]);
  });

  it('a bad header date matters only when a box needs it', () => {
    const body = "BGM+98+X+9'TDT+20+V'DTM+178:20241301:102'EQD+CN+ABCU1234560'DTM+203:202401010000:203'";
    expect(mapCoarri(message('COARRI', body), { controlRef: 'C' }).ok).toBe(true);
    const needed = mapCoarri(message('COARRI', `${body}EQD+CN+ABCU1234561'`), { controlRef: 'C' });
    expect(!needed.ok && needed.errors.map((e) => [e.segment, e.tag, e.code])).toEqual([[5, 'DTM', 'edi.invalid-date']]);
  });

  it('falls back to the message date (DTM+137) with a warning', () => {
    const r = mapCoarri(message('COARRI', "BGM+98+X+9'DTM+137:20240105:102'EQD+CN+ABCU1234560'"), { controlRef: 'C' });
    expect(r.ok && r.value[0]?.occurredAt).toBe('2024-01-05T00:00:00Z');
    expect(r.ok && r.warnings.map((w) => [w.segment, w.tag])).toEqual([[5, 'EQD']]);
  });
});

describe('mapCodeco', () => {
  it('codeco-gate-out.edi: 17 segments, 2 gate-outs (BGM 36) with truck plates', () => {
    const i = fixture('codeco-gate-out.edi');
    const m = i.messages[0] as Message;
    expect(m.segments).toHaveLength(17);
    const r = mapCodeco(m, { controlRef: i.controlRef });
    expect(r.ok && r.value).toEqual([
      {
        senderEventId: 'COD0007/7001:1',
        kind: 'gate-out',
        containerNumber: 'MSKU1234565',
        occurredAt: '2024-03-19T15:30:00Z',
        location: 'NLRTM',
        vessel: 'MAERSK ESSEN',
        voyage: '024E',
        sizeType: '45G1',
        fullness: 'full',
        seals: ['SL1001'],
        truck: '58-BXL-2',
      },
      {
        senderEventId: 'COD0007/7001:2',
        kind: 'gate-out',
        containerNumber: 'MSKU7654328',
        occurredAt: '2024-03-19T16:12:00Z',
        location: 'NLRTM',
        vessel: 'MAERSK ESSEN',
        voyage: '024E',
        sizeType: '22G1',
        fullness: 'full',
        seals: [],
        truck: '71-KTZ-9',
      },
    ]);
  });

  it('BGM 34 is a gate-in; with another BGM code the box TDT stage decides (10 in, 30 out)', () => {
    const gateIn = mapCodeco(message('CODECO', "BGM+34+G+9'EQD+CN+ABCU1234560'DTM+7:202401010800:203'"), { controlRef: 'C' });
    expect(gateIn.ok && gateIn.value.map((e) => e.kind)).toEqual(['gate-in']);
    const byStage = mapCodeco(
      message(
        'CODECO',
        "BGM+ZZZ+G+9'EQD+CN+ABCU1234560'DTM+7:202401010800:203'TDT+10++3'EQD+CN+ABCU1234561'DTM+7:202401010900:203'TDT+30++3'",
      ),
      { controlRef: 'C' },
    );
    expect(byStage.ok && byStage.value.map((e) => e.kind)).toEqual(['gate-in', 'gate-out']);
  });
});
