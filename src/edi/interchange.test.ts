import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { readInterchange, type Interchange, type ReadResult } from './index.ts';

// The samples live outside the project (../shared/data/edifact, see its SOURCES.md) and are not copied in.
const SAMPLES = path.resolve(import.meta.dirname, '../../../shared/data/edifact/samples');
const haveSamples = fs.existsSync(SAMPLES);
if (!haveSamples) {
  console.warn(`EDIFACT sample tests skipped: ${SAMPLES} not found (expected ../shared/data/edifact beside the project)`);
}

function sample(name: string): Buffer {
  return fs.readFileSync(path.join(SAMPLES, name));
}

function ok(r: ReadResult): Interchange {
  if (!r.ok) {
    throw new Error(`expected ok, got ${r.errors.map((e) => e.message).join('; ')}`);
  }
  return r.interchange;
}

function failed(r: ReadResult): Extract<ReadResult, { ok: false }> {
  if (r.ok) {
    throw new Error('expected errors, got ok');
  }
  return r;
}

function count(i: Interchange, tag: string): number {
  return i.messages.reduce((n, m) => n + m.segments.filter((s) => s.tag === tag).length, 0);
}

// Expected figures from SOURCES.md ("counted by hand").
describe.skipIf(!haveSamples)('real samples (../shared/data/edifact/samples)', () => {
  it('lists exactly the three documented samples', () => {
    expect(fs.readdirSync(SAMPLES).sort()).toEqual([
      'apimeister_d04b_baplie.edi',
      'apimeister_d95b_coprar.edi',
      'php-edifact_D95B_BAPLIE.edi',
    ]);
  });

  it('php-edifact D95B BAPLIE: 1 message BAPLIE:D:95B:UN:SMDG20, 30 segments, 3 EQD', () => {
    const i = ok(readInterchange(sample('php-edifact_D95B_BAPLIE.edi')));
    expect(i.syntax).toEqual({ identifier: 'UNOA', version: '2' });
    expect(i.sender).toEqual({ id: 'LBCTI', qualifier: '01' });
    expect(i.recipient).toEqual({ id: 'OOCLIES', qualifier: 'ZZ' });
    expect(i.preparedAt).toEqual({ date: '160414', time: '0307', iso: '2016-04-14T03:07:00Z' });
    expect(i.controlRef).toBe('1865');
    expect(i.messages).toHaveLength(1);
    const [m] = i.messages;
    expect(m).toMatchObject({ ref: '1907', type: 'BAPLIE', version: 'D', release: '95B', agency: 'UN', associationCode: 'SMDG20' });
    expect(m?.segments).toHaveLength(30);
    expect(m?.segments[29]).toMatchObject({ tag: 'UNT', elements: [['30'], ['1907']], index: 31 });
    expect(count(i, 'EQD')).toBe(3);
    expect(m?.segments.filter((s) => s.tag === 'EQD').map((s) => s.elements[1]?.[0])).toEqual([
      'OOLU4293959',
      'MOEU0710945',
      'OOLU8757889',
    ]);
    expect(i.segmentCount).toBe(32); // UNB + 30 + UNZ
    // TDT+20+042+++:172:182+++VRIB3:103:ZZZ:OOCL BEIJING — components, empty elements kept.
    expect(m?.segments.find((s) => s.tag === 'TDT')?.elements).toEqual([
      ['20'],
      ['042'],
      [''],
      [''],
      ['', '172', '182'],
      [''],
      [''],
      ['VRIB3', '103', 'ZZZ', 'OOCL BEIJING'],
    ]);
  });

  it('apimeister D04B BAPLIE: 1 message BAPLIE:D:04B:UN, 19 segments, 1 EQD', () => {
    const i = ok(readInterchange(sample('apimeister_d04b_baplie.edi')));
    expect(i.controlRef).toBe('000023');
    expect(i.sender).toEqual({ id: 'SENDER ID', qualifier: 'ZZZ' });
    expect(i.messages).toHaveLength(1);
    expect(i.messages[0]).toMatchObject({ ref: '1', type: 'BAPLIE', version: 'D', release: '04B', agency: 'UN' });
    expect(i.messages[0]?.segments).toHaveLength(19);
    expect(count(i, 'EQD')).toBe(1);
    expect(i.segmentCount).toBe(21);
  });

  it('apimeister D95B COPRAR is rejected: no UNB, and UNT states 56 for 29 segments', () => {
    const r = failed(readInterchange(sample('apimeister_d95b_coprar.edi')));
    expect(r.errors.map((e) => [e.segment, e.tag, e.code])).toEqual([
      [1, 'UNH', 'edi.unb'],
      [29, 'UNT', 'edi.unt'],
    ]);
    expect(r.errors[1]?.message).toBe('segment 29 UNT: segment count 56 does not match the 29 segments of message 638');
    // What could be read is still there: 1 message of 29 segments, 2 EQD, the release escape resolved.
    const p = r.partial;
    expect(p?.messages).toHaveLength(1);
    expect(p?.messages[0]).toMatchObject({ ref: '638', type: 'COPRAR', version: 'D', release: '95B', agency: 'UN' });
    expect(p?.messages[0]?.segments).toHaveLength(29);
    expect(p && count(p, 'EQD')).toBe(2);
    const ftx = p?.messages[0]?.segments.find((s) => s.tag === 'FTX' && s.elements[0]?.[0] === 'AAA');
    expect(ftx?.elements[3]).toEqual(['PLASTICS:ARTICLES']);
  });
});

const ENVELOPE = (body: string, unz = '1+REF1'): string => `UNB+UNOC:3+SENDER:ZZ+RECIPIENT:ZZ+20240131:2359+REF1'${body}UNZ+${unz}'`;
const MSG = (ref: string, n = 3): string =>
  `UNH+${ref}+COPARN:D:00B:UN'${Array.from({ length: n - 2 }, (_, k) => `RFF+BN:${k}'`).join('')}UNT+${n}+${ref}'`;

describe('hand-made interchanges', () => {
  it('reads a minimal interchange with two messages and CR/LF between segments', () => {
    const text = ENVELOPE(MSG('1') + '\r\n' + MSG('2', 4), '2+REF1').replaceAll("'", "'\r\n");
    const i = ok(readInterchange(text));
    expect(i.syntax).toEqual({ identifier: 'UNOC', version: '3' });
    expect(i.preparedAt.iso).toBe('2024-01-31T23:59:00Z');
    expect(i.messages.map((m) => [m.ref, m.segments.length])).toEqual([
      ['1', 3],
      ['2', 4],
    ]);
    expect(i.segmentCount).toBe(9);
    expect(i.messages[1]?.segments.map((s) => s.index)).toEqual([5, 6, 7, 8]);
  });

  it('honours UNA with custom separators', () => {
    const text = 'UNA|*,# ~UNB*UNOC|3*S|ZZ*R*240131|1200*X1~UNH*1*IFTSTA|D|00B|UN~FTX*AAI***a#*b#|c#~d##e~UNT*3*1~UNZ*1*X1~';
    const i = ok(readInterchange(text));
    expect(i.separators).toEqual({ component: '|', element: '*', decimal: ',', release: '#', repetition: null, segment: '~' });
    expect(i.sender).toEqual({ id: 'S', qualifier: 'ZZ' });
    expect(i.messages[0]?.segments[1]?.elements).toEqual([['AAI'], [''], [''], ['a*b|c~d#e']]);
    expect(i.segmentCount).toBe(5); // UNA is not counted
  });

  it('splits repetitions when UNA declares a repetition separator', () => {
    const text = "UNA:+.?*'UNB+UNOC:4+S+R+20240131:1200+X'UNH+1+IFTSTA:D:00B:UN'FTX+AAI+x*y:z*w?*'UNT+3+1'UNZ+1+X'";
    const i = ok(readInterchange(text));
    const ftx = i.messages[0]?.segments[1];
    expect(ftx?.elements).toEqual([['AAI'], ['x']]);
    expect(ftx?.repetitions).toEqual({ 1: [['x'], ['y', 'z'], ['w*']] });
  });

  it('rejects a bad UNA (too short, duplicated separators)', () => {
    expect(failed(readInterchange('UNA:+')).errors[0]?.code).toBe('edi.una');
    expect(failed(readInterchange("UNA++.? 'UNB")).errors[0]?.message).toMatch(/same character/);
  });

  it('resolves release-character escapes and rejects a dangling one', () => {
    const i = ok(readInterchange(ENVELOPE("UNH+1+COPARN:D:00B:UN'FTX+AAA+++a?+b?:c?'d??e'UNT+3+1'")));
    expect(i.messages[0]?.segments[1]?.elements[3]).toEqual(["a+b:c'd?e"]);
    const r = failed(readInterchange("UNB+UNOC:3+S+R+240131:1200+X'UNZ+0+X?"));
    expect(r.errors.map((e) => [e.code, e.segment])).toContainEqual(['edi.release', 2]);
    expect(r.errors.map((e) => e.code)).toContain('edi.unterminated');
  });

  it('reports a missing UNZ, and a message without UNT', () => {
    const r = failed(readInterchange("UNB+UNOC:3+S+R+240131:1200+X'UNH+1+COPARN:D:00B:UN'RFF+BN:1'"));
    expect(r.errors.map((e) => e.message)).toEqual([
      'segment 2 UNH: message 1 is not closed by UNT before the end of the input',
      'segment 3 RFF: the interchange ends without UNZ',
    ]);
    expect(r.partial?.messages).toHaveLength(1);
  });

  it('checks the UNZ count and control reference', () => {
    const wrongCount = failed(readInterchange(ENVELOPE(MSG('1') + MSG('2'), '1+REF1')));
    expect(wrongCount.errors).toEqual([
      {
        code: 'edi.unz',
        segment: 8,
        tag: 'UNZ',
        message: 'segment 8 UNZ: interchange control count 1 does not match the 2 messages of the interchange',
      },
    ]);
    const wrongRef = failed(readInterchange(ENVELOPE(MSG('1'), '1+REF2')));
    expect(wrongRef.errors[0]?.message).toBe('segment 5 UNZ: control reference "REF2" does not match UNB\'s "REF1"');
  });

  it('checks UNT count and reference against UNH', () => {
    const r = failed(readInterchange(ENVELOPE("UNH+7+COPARN:D:00B:UN'RFF+BN:1'UNT+4+8'")));
    expect(r.errors.map((e) => e.message)).toEqual([
      'segment 4 UNT: segment count 4 does not match the 3 segments of message 7',
      'segment 4 UNT: message reference "8" does not match UNH\'s "7"',
    ]);
  });

  it('reads UNG/UNE groups; UNZ then counts groups', () => {
    const group = (ref: string): string => `UNG+COPARN+S+R+240131:1200+${ref}+UN+D:00B'${MSG('1')}${MSG('2')}UNE+2+${ref}'`;
    const i = ok(readInterchange(ENVELOPE(group('G1') + group('G2'), '2+REF1')));
    expect(i.groups).toEqual([
      { ref: 'G1', messageType: 'COPARN', messageCount: 2 },
      { ref: 'G2', messageType: 'COPARN', messageCount: 2 },
    ]);
    expect(i.messages.map((m) => m.groupRef)).toEqual(['G1', 'G1', 'G2', 'G2']);
    const bad = failed(readInterchange(ENVELOPE(`UNG+COPARN+S+R+240131:1200+G1+UN+D:00B'${MSG('1')}UNE+2+G9'`, '1+REF1')));
    expect(bad.errors.map((e) => [e.segment, e.tag, e.code])).toEqual([
      [6, 'UNE', 'edi.une'],
      [6, 'UNE', 'edi.une'],
    ]);
  });

  it('rejects segments outside messages, after UNZ, and bad tags', () => {
    const r = failed(readInterchange(ENVELOPE("RFF+BN:1'" + MSG('1')) + "bgm+1'"));
    expect(r.errors.map((e) => [e.segment, e.tag, e.code])).toEqual([
      [7, null, 'edi.tag'],
      [2, 'RFF', 'edi.structure'],
      [7, null, 'edi.structure'],
    ]);
  });

  it('rejects empty input, whitespace only, and binary garbage without throwing', () => {
    expect(failed(readInterchange('')).errors[0]?.code).toBe('edi.empty');
    expect(failed(readInterchange(' \r\n\t')).errors[0]?.code).toBe('edi.empty');
    expect(failed(readInterchange(Buffer.alloc(0))).errors[0]?.code).toBe('edi.empty');
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, k) => (k * 7919 + 13) % 256));
    const r = failed(readInterchange(garbage));
    expect(r.errors.length).toBeGreaterThan(0);
    expect(r.errors.length).toBeLessThanOrEqual(101);
  });

  it('refuses inputs above the size limit before parsing', () => {
    const r = failed(readInterchange('UNB'.padEnd(1001, 'x'), { maxChars: 1000 }));
    expect(r.errors).toEqual([
      { code: 'edi.too-large', segment: null, tag: null, message: 'input of 1001 characters exceeds the limit of 1000' },
    ]);
    expect(r.partial).toBeUndefined();
  });

  it('refuses too many segments or components quickly, before allocating them', () => {
    expect(failed(readInterchange("'".repeat(11), { maxSegments: 10 })).errors[0]?.message).toBe('the input holds more than 10 segments');
    expect(failed(readInterchange("UNB+++'", { maxComponents: 3 })).errors[0]?.message).toBe('the input holds more than 3 data components');
    const t0 = performance.now();
    const r = failed(readInterchange('+'.repeat(9_000_000)));
    expect(r.errors.map((e) => e.code)).toEqual(['edi.too-large']);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('reads a Latin-1 buffer that is not UTF-8', () => {
    const text = ENVELOPE("UNH+1+COPARN:D:00B:UN'FTX+AAA+++Müller'UNT+3+1'");
    const i = ok(readInterchange(Buffer.from(text, 'latin1')));
    expect(i.messages[0]?.segments[1]?.elements[3]).toEqual(['Müller']);
  });
});
