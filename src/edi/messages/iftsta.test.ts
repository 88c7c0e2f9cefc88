import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importEdifact, mapIftsta, readInterchange, writeIftsta, type ContainerStatusRecord, type Message } from '../index.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');

const ENVELOPE = {
  sender: 'PORTCLUSTER',
  recipient: 'MAEU',
  controlRef: 'OUT1',
  preparedAt: new Date('2024-03-20T09:00:00Z'),
  messageRef: 'S1',
};

function message(body: string): Message {
  const n = body.split("'").length - 1 + 2;
  const r = readInterchange(`UNB+UNOC:3+S+R+240101:1200+X'UNH+1+IFTSTA:D:95B:UN'${body}UNT+${n}+1'UNZ+1+X'`);
  const m = r.ok ? r.interchange.messages[0] : undefined;
  if (m === undefined) {
    throw new Error('not read');
  }
  return m;
}

describe('mapIftsta', () => {
  it('iftsta-statuses.edi: 15 segments, 2 CNI/STS/EQD, 2 statuses', () => {
    const r = readInterchange(fs.readFileSync(path.join(FIXTURES, 'iftsta-statuses.edi')));
    if (!r.ok) {
      throw new Error(r.errors[0]?.message);
    }
    const m = r.interchange.messages[0] as Message;
    expect(m.segments).toHaveLength(15);
    expect(m.segments.filter((s) => s.tag === 'STS')).toHaveLength(2);
    const mapped = mapIftsta(m);
    expect(mapped.ok && mapped.value).toEqual([
      {
        containerNumber: 'MSKU1234565',
        statusCode: 'UV',
        statusText: 'UNLOADED FROM VESSEL', // STS C555 9010
        occurredAt: '2024-03-18T09:12:00Z',
        location: 'NLRTM',
        reference: 'BKG-556',
      },
      {
        containerNumber: 'MSKU7654328',
        statusCode: 'OA',
        statusText: 'OUT FOR DELIVERY: TRUCK 58-BXL-2', // FTX, escaped colon resolved
        occurredAt: '2024-03-19T00:00:00Z', // DTM format 102, date only
        reference: 'MAEU240001', // CNI 1004 when the status has no RFF
      },
    ]);
  });

  it('gives one record per EQD of a status, and is strict on code, date and container', () => {
    const two = mapIftsta(message("BGM+23+X+9'CNI+1'STS+1+ZZ1'DTM+7:202401010101:203'EQD+CN+AAAU0000001'EQD+CN+AAAU0000002'"));
    expect(two.ok && two.value.map((s) => s.containerNumber)).toEqual(['AAAU0000001', 'AAAU0000002']);
    const noCode = mapIftsta(message("BGM+23+X+9'CNI+1'STS+1'DTM+7:202401010101:203'EQD+CN+AAAU0000001'"));
    expect(!noCode.ok && noCode.errors.map((e) => [e.segment, e.tag, e.code])).toEqual([[5, 'STS', 'edi.missing-value']]);
    const noDate = mapIftsta(message("BGM+23+X+9'CNI+1'STS+1+A'EQD+CN+AAAU0000001'"));
    expect(!noDate.ok && noDate.errors.map((e) => [e.segment, e.tag, e.code])).toEqual([[5, 'STS', 'edi.missing-segment']]);
    const badDate = mapIftsta(message("BGM+23+X+9'CNI+1'STS+1+A'DTM+334:2024:102'EQD+CN+AAAU0000001'"));
    expect(!badDate.ok && badDate.errors.map((e) => [e.segment, e.tag, e.code])).toEqual([[6, 'DTM', 'edi.invalid-date']]);
    const noBox = mapIftsta(message("BGM+23+X+9'CNI+1'STS+1+A'DTM+7:202401010101:203'"));
    expect(!noBox.ok && noBox.errors[0]?.message).toBe('segment 5 STS: status names no container (EQD)');
  });
});

describe('writeIftsta', () => {
  it('writes UNA, UNB…UNZ with correct UNT and UNZ counts, escaping service characters', () => {
    const text = writeIftsta(
      [
        {
          containerNumber: 'MSKU1234565',
          statusCode: 'UV',
          occurredAt: '2024-03-18T09:12:00Z',
          statusText: "it's 50?+:",
          location: 'NLRTM',
        },
        { containerNumber: 'MSKU7654328', statusCode: 'OA', occurredAt: '2024-03-19T00:00:00Z', reference: 'A+B' },
      ],
      ENVELOPE,
    );
    expect(text.startsWith("UNA:+.? 'UNB+UNOC:3+PORTCLUSTER+MAEU+240320:0900+OUT1'UNH+S1+IFTSTA:D:00B:UN'")).toBe(true);
    expect(text).toContain("FTX+AAI+++it?'s 50???+?:'");
    expect(text).toContain("RFF+ZZZ:A?+B'");
    // UNH BGM DTM + (CNI STS DTM FTX LOC EQD) + (CNI STS RFF DTM EQD) + UNT = 15.
    expect(text.endsWith("UNT+15+S1'UNZ+1+OUT1'")).toBe(true);
    const r = readInterchange(text);
    expect(r.ok && [r.interchange.segmentCount, r.interchange.messages[0]?.segments.length]).toEqual([17, 15]);
  });

  it("round trip: written statuses read back equal (property, texts with ? + : ' and non-Latin characters)", () => {
    const piece = fc.oneof(
      fc.constantFrom('?', '+', ':', "'", ' ', '*', '\n', '??', "?'", 'é', 'Ω', '中'),
      fc.string({ minLength: 1, maxLength: 3 }),
    );
    const text = fc
      .array(piece, { minLength: 1, maxLength: 40 })
      .map((p) => p.join('').trim())
      .filter((s) => s !== '');
    const status: fc.Arbitrary<ContainerStatusRecord> = fc.record(
      {
        containerNumber: text,
        statusCode: fc.stringMatching(/^[A-Z0-9]{1,3}$/),
        statusText: fc.oneof(
          text,
          fc.string({ minLength: 600, maxLength: 1200 }).map((s) => `x${s}x`),
        ),
        occurredAt: fc
          .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:00Z'), noInvalidDate: true })
          .map((d) => `${d.toISOString().slice(0, 16)}:00Z`),
        location: text,
        reference: text,
      },
      { requiredKeys: ['containerNumber', 'statusCode', 'occurredAt'] },
    );
    fc.assert(
      fc.property(fc.array(status, { maxLength: 6 }), text, (statuses, ref) => {
        const written = writeIftsta(statuses, { ...ENVELOPE, messageRef: ref.slice(0, 14), controlRef: ref.slice(0, 14) });
        const read = readInterchange(written);
        if (!read.ok) {
          throw new Error(read.errors.map((e) => e.message).join('; '));
        }
        expect(read.interchange.messages).toHaveLength(1);
        const mapped = mapIftsta(read.interchange.messages[0] as Message);
        if (statuses.length > 0) {
          expect(mapped).toEqual({ ok: true, value: statuses, warnings: [] });
        }
        // The same through the importer.
        const imported = importEdifact(written);
        expect([imported.errors, imported.messages.map((m) => m.kind)]).toEqual([[], ['statuses']]);
      }),
      { numRuns: 150 },
    );
  });
});
