import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readInterchange, type ReadResult } from './index.ts';

// Real samples from ../shared/data/edifact (see its SOURCES.md); not copied into the project.
const SAMPLES = path.resolve(import.meta.dirname, '../../../shared/data/edifact/samples');
const samples = fs.existsSync(SAMPLES)
  ? fs
      .readdirSync(SAMPLES)
      .filter((f) => f.endsWith('.edi'))
      .sort()
      .map((f) => ({ name: f, text: fs.readFileSync(path.join(SAMPLES, f), 'latin1') }))
  : [];
if (samples.length === 0) {
  console.warn(`EDIFACT mutation properties skipped: no samples in ${SAMPLES} (expected ../shared/data/edifact beside the project)`);
}

const RUNS = 200;
const BUDGET_MS = 200;

/** Reads, timing the call; checks the result is well formed. Any throw fails the property. */
function readTimed(input: string | Buffer): ReadResult {
  const t0 = performance.now();
  const r = readInterchange(input);
  const ms = performance.now() - t0;
  expect(ms).toBeLessThan(BUDGET_MS);
  if (r.ok) {
    expect(r.interchange.segmentCount).toBeGreaterThan(0);
  } else {
    expect(r.errors.length).toBeGreaterThan(0);
    for (const e of r.errors) {
      expect(typeof e.message).toBe('string');
      expect(e.segment === null || (Number.isInteger(e.segment) && e.segment >= 1)).toBe(true);
    }
  }
  return r;
}

// Pieces that make random text look like EDIFACT, so the envelope checks are reached, not only the tokenizer.
const EDI_PIECE = fc.constantFrom(
  'UNA',
  ':+.? ',
  'UNB',
  'UNG',
  'UNH',
  'UNT',
  'UNE',
  'UNZ',
  'EQD',
  'RFF',
  'UNOA:2',
  'BAPLIE:D:95B:UN',
  '+',
  ':',
  '?',
  "'",
  '*',
  '\r\n',
  ' ',
  '1',
  '2',
  '12',
  'X',
);

describe('readInterchange never throws on random input', () => {
  it('random strings (any code units) give ok or errors', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 600 }), (s) => {
        readTimed(s);
      }),
      { numRuns: RUNS },
    );
  });

  it('random byte buffers give ok or errors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 800 }), (bytes) => {
        readTimed(Buffer.from(bytes));
      }),
      { numRuns: RUNS },
    );
  });

  it('random EDIFACT-like token soup gives ok or errors', () => {
    fc.assert(
      fc.property(fc.array(EDI_PIECE, { maxLength: 150 }), (pieces) => {
        readTimed(pieces.join(''));
      }),
      { numRuns: RUNS },
    );
  });
});

type Mutation =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'replace'; at: number; text: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate-segment'; at: number; times: number };

const SPECIAL = fc.constantFrom("'", '+', ':', '?', '*', '\n', 'UNH', 'UNT', 'UNZ', "UNT+1+1'", 'UNA:+.? ');
const INSERTED = fc.oneof(SPECIAL, fc.string({ unit: 'binary', minLength: 1, maxLength: 4 }));

const MUTATION: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: INSERTED }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), text: INSERTED }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate-segment' as const), at: fc.nat(), times: fc.integer({ min: 1, max: 50 }) }),
);

function mutate(text: string, m: Mutation): string {
  const at = text.length === 0 ? 0 : m.at % (text.length + 1);
  switch (m.kind) {
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.length);
    case 'insert':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'replace':
      return text.slice(0, at) + m.text + text.slice(at + m.text.length);
    case 'truncate':
      return text.slice(0, at);
    case 'duplicate-segment': {
      const segments = text.split("'");
      const k = segments.length === 0 ? 0 : m.at % segments.length;
      const copies = Array.from({ length: m.times }, () => segments[k] ?? '');
      return [...segments.slice(0, k + 1), ...copies, ...segments.slice(k + 1)].join("'");
    }
  }
}

describe.skipIf(samples.length === 0)('readInterchange on mutated real samples', () => {
  it('the unmutated samples read within the budget', () => {
    for (const s of samples) {
      readTimed(s.text);
    }
  });

  it('random mutations (delete, insert, replace, truncate, duplicate segments) never throw and finish quickly', () => {
    fc.assert(
      fc.property(
        fc.nat(samples.length - 1),
        fc.array(MUTATION, { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        (k, mutations, asBuffer) => {
          const original = samples[k]?.text ?? '';
          const text = mutations.reduce(mutate, original);
          readTimed(asBuffer ? Buffer.from(text, 'latin1') : text);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a duplicated body segment inside a message is reported at its UNT, with the segment number and tag', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 5 }), (at, times) => {
        const s = samples.find((x) => x.name === 'php-edifact_D95B_BAPLIE.edi');
        if (s === undefined) {
          return;
        }
        // Split on the terminator: [0] is UNB, [1] UNH, [2..29] BGM … NAD, [30] UNT; duplicate one of BGM … NAD.
        const segments = s.text.split("'");
        const k = 2 + (at % 28);
        const copies = Array.from({ length: times }, () => segments[k] ?? '');
        const text = [...segments.slice(0, k + 1), ...copies, ...segments.slice(k + 1)].join("'");
        const r = readTimed(text);
        expect(r.ok).toBe(false);
        if (!r.ok) {
          expect(r.errors.map((e) => [e.segment, e.tag])).toContainEqual([31 + times, 'UNT']);
          expect(r.errors.find((e) => e.tag === 'UNT')?.message).toBe(
            `segment ${31 + times} UNT: segment count 30 does not match the ${30 + times} segments of message 1907`,
          );
        }
      }),
      { numRuns: 50 },
    );
  });
});
