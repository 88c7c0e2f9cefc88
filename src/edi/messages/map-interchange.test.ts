import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importEdifact, mapInterchange, readInterchange, type ImportResult } from '../index.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');
const SAMPLES = path.resolve(import.meta.dirname, '../../../../shared/data/edifact/samples');
const haveSamples = fs.existsSync(SAMPLES);
if (!haveSamples) {
  console.warn(`EDIFACT sample import tests skipped: ${SAMPLES} not found (expected ../shared/data/edifact beside the project)`);
}

const fixtures = fs
  .readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.edi'))
  .sort()
  .map((f) => ({ name: f, text: fs.readFileSync(path.join(FIXTURES, f), 'latin1') }));
const samples = haveSamples
  ? fs
      .readdirSync(SAMPLES)
      .filter((f) => f.endsWith('.edi'))
      .sort()
      .map((f) => ({ name: f, text: fs.readFileSync(path.join(SAMPLES, f), 'latin1') }))
  : [];
const corpus = [...fixtures, ...samples];

/** Imports, checking the result is well formed; a throw fails the test or property. */
function importChecked(input: string | Buffer): ImportResult {
  const r = importEdifact(input);
  expect(typeof r.ok).toBe('boolean');
  for (const m of r.messages) {
    if (m.ok) {
      expect(m.errors).toEqual([]);
      expect(m.value).not.toBeNull();
    } else {
      expect(m.errors.length).toBeGreaterThan(0);
    }
    for (const e of [...m.errors, ...m.warnings]) {
      expect(e.segment === null || (Number.isInteger(e.segment) && e.segment >= 1)).toBe(true);
    }
  }
  if (!r.ok) {
    expect(r.errors.length + r.messages.filter((m) => !m.ok).length).toBeGreaterThan(0);
  }
  return r;
}

describe('importEdifact on the fixtures (hand-counted)', () => {
  it('lists the five fixtures', () => {
    expect(fixtures.map((f) => f.name)).toEqual([
      'coarri-discharge.edi',
      'codeco-gate-out.edi',
      'cuscar-d95b.edi',
      'iftsta-statuses.edi',
      'mixed-interchange.edi',
    ]);
  });

  it.each([
    ['cuscar-d95b.edi', 'CUSCAR', 'cargo-report', 47, 3],
    ['coarri-discharge.edi', 'COARRI', 'terminal-events', 24, 3],
    ['codeco-gate-out.edi', 'CODECO', 'terminal-events', 17, 2],
    ['iftsta-statuses.edi', 'IFTSTA', 'statuses', 15, 2],
  ])('%s: one %s (%s) of %i segments with %i boxes, ok', (name, type, kind, segments, boxes) => {
    const r = importChecked(fixtures.find((f) => f.name === name)?.text ?? '');
    expect(r.ok).toBe(true);
    expect(r.messages.map((m) => [m.type, m.kind, m.segmentCount, m.equipmentCount, m.ok])).toEqual([[type, kind, segments, boxes, true]]);
  });

  it('mixed-interchange.edi: CODECO (8 segments, 1 box), BAPLIE (29, 2), COPRAR (5, unsupported)', () => {
    const r = importChecked(fixtures.find((f) => f.name === 'mixed-interchange.edi')?.text ?? '');
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(false); // COPRAR is not supported
    expect(r.messages.map((m) => [m.ref, m.type, m.version, m.kind, m.segmentCount, m.equipmentCount, m.ok])).toEqual([
      ['M1', 'CODECO', 'D:00B', 'terminal-events', 8, 1, true],
      ['M2', 'BAPLIE', 'D:95B', 'stowage', 29, 2, true],
      ['M3', 'COPRAR', 'D:95B', 'unsupported', 5, 0, false],
    ]);
    expect(r.messages[2]?.errors).toEqual([
      {
        code: 'edi.unsupported-message',
        segment: 39,
        tag: 'UNH',
        message: 'segment 39 UNH: message type "COPRAR" is not supported (supported: CUSCAR, BAPLIE, COARRI, CODECO, IFTSTA)',
      },
    ]);
    const events = r.messages[0]?.kind === 'terminal-events' ? r.messages[0].value : null;
    expect(events?.[0]).toMatchObject({ senderEventId: 'MIX0001/M1:1', kind: 'gate-in', truck: '12-ABC-3', fullness: 'empty' });
  });

  it('mapInterchange uses the control reference it is given for event ids', () => {
    const read = readInterchange(fixtures.find((f) => f.name === 'codeco-gate-out.edi')?.text ?? '');
    const [m] = read.ok ? mapInterchange(read.interchange, { controlRef: 'OTHER' }) : [];
    expect(m?.kind === 'terminal-events' && m.value?.map((e) => e.senderEventId)).toEqual(['OTHER/7001:1', 'OTHER/7001:2']);
  });

  it('an interchange-level defect (UNT count) fails the import and every message in it', () => {
    const text = (fixtures.find((f) => f.name === 'coarri-discharge.edi')?.text ?? '').replace("UNT+24+9001'", "UNT+23+9001'");
    const r = importChecked(text);
    expect(r.ok).toBe(false);
    expect(r.errors.map((e) => [e.segment, e.tag, e.code])).toEqual([[25, 'UNT', 'edi.unt']]);
    expect(r.messages.map((m) => [m.ok, m.equipmentCount])).toEqual([[false, 3]]);
    expect(r.messages[0]?.errors.map((e) => e.code)).toEqual(['edi.interchange-invalid']);
  });
});

describe.skipIf(!haveSamples)('importEdifact on the real samples', () => {
  it('BAPLIE samples: 3 and 1 containers', () => {
    const counts = ['php-edifact_D95B_BAPLIE.edi', 'apimeister_d04b_baplie.edi'].map((name) => {
      const r = importChecked(samples.find((s) => s.name === name)?.text ?? '');
      expect(r.ok).toBe(true);
      return r.messages.map((m) => m.equipmentCount);
    });
    expect(counts).toEqual([[3], [1]]);
  });

  it("apimeister COPRAR: the reader's errors (no UNB, UNT 56 ≠ 29) and no valid message", () => {
    const r = importChecked(samples.find((s) => s.name === 'apimeister_d95b_coprar.edi')?.text ?? '');
    expect(r.ok).toBe(false);
    expect(r.errors.map((e) => [e.segment, e.tag, e.code])).toEqual([
      [1, 'UNH', 'edi.unb'],
      [29, 'UNT', 'edi.unt'],
    ]);
    expect(r.errors[1]?.message).toBe('segment 29 UNT: segment count 56 does not match the 29 segments of message 638');
    expect(r.messages.map((m) => [m.type, m.ok, m.segmentCount])).toEqual([['COPRAR', false, 29]]);
  });
});

describe('importEdifact never throws', () => {
  it('every fixture and sample goes through', () => {
    for (const f of corpus) {
      importChecked(f.text);
      importChecked(Buffer.from(f.text, 'latin1'));
    }
  });

  type Mutation = { kind: 'drop' | 'duplicate' | 'truncate' | 'bytes'; at: number; times: number; bytes: number[] };
  const MUTATION: fc.Arbitrary<Mutation> = fc.record({
    kind: fc.constantFrom('drop' as const, 'duplicate' as const, 'truncate' as const, 'bytes' as const),
    at: fc.nat(),
    times: fc.integer({ min: 1, max: 5 }),
    bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 6 }),
  });

  function mutate(text: string, m: Mutation): string {
    const segments = text.split("'");
    const k = m.at % segments.length;
    switch (m.kind) {
      case 'drop':
        return [...segments.slice(0, k), ...segments.slice(k + 1)].join("'");
      case 'duplicate':
        return [...segments.slice(0, k + 1), ...Array.from({ length: m.times }, () => segments[k] ?? ''), ...segments.slice(k + 1)].join(
          "'",
        );
      case 'truncate':
        return text.slice(0, m.at % (text.length + 1));
      case 'bytes': {
        const at = m.at % (text.length + 1);
        return text.slice(0, at) + String.fromCharCode(...m.bytes) + text.slice(at + m.bytes.length);
      }
    }
  }

  it('mutated fixtures and samples (drop, duplicate, truncate segments; random bytes) give a result', () => {
    fc.assert(
      fc.property(fc.nat(corpus.length - 1), fc.array(MUTATION, { minLength: 1, maxLength: 6 }), fc.boolean(), (k, mutations, asBuffer) => {
        const text = mutations.reduce(mutate, corpus[k]?.text ?? '');
        importChecked(asBuffer ? Buffer.from(text, 'latin1') : text);
      }),
      { numRuns: 300 },
    );
  });

  it('a dropped body segment of a fixture is caught (UNT count) or still maps, never throws', () => {
    fc.assert(
      fc.property(fc.nat(fixtures.length - 1), fc.nat(), (k, at) => {
        const segments = (fixtures[k]?.text ?? '').split("'");
        // Keep UNA+UNB (index 0) and the envelope ends; drop one segment between UNH and UNT of the first message.
        const i = 2 + (at % Math.max(1, segments.length - 5));
        const r = importChecked([...segments.slice(0, i), ...segments.slice(i + 1)].join("'"));
        if (!/^\s*UN[HTZ]/.test(segments[i] ?? '')) {
          expect(r.ok).toBe(false);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('random bytes give a result', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        importChecked(Buffer.from(bytes));
      }),
      { numRuns: 200 },
    );
  });
});
