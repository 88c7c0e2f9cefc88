import { describe, expect, it } from 'vitest';
import { readInterchange, type Segment } from '../index.ts';
import { dtmIso, escapeValue, seg, vesselOf, Issues } from './common.ts';

function segment(text: string): Segment {
  const r = readInterchange(`UNB+UNOC:3+S+R+240101:1200+X'UNH+1+IFTSTA:D:00B:UN'${text}'UNT+3+1'UNZ+1+X'`);
  const s = r.ok ? r.interchange.messages[0]?.segments[1] : undefined;
  if (s === undefined) {
    throw new Error('not read');
  }
  return s;
}

describe('dtmIso', () => {
  it.each([
    ['DTM+137:240315:101', '2024-03-15T00:00:00Z'],
    ['DTM+137:20240315:102', '2024-03-15T00:00:00Z'],
    ['DTM+137:2403150830:201', '2024-03-15T08:30:00Z'],
    ['DTM+137:202403150830:203', '2024-03-15T08:30:00Z'],
    ['DTM+137:20240315083059:204', '2024-03-15T08:30:59Z'],
    ['DTM+137:202403150830UTC:303', '2024-03-15T08:30:00Z'],
    ['DTM+137:202403150830', '2024-03-15T08:30:00Z'], // format guessed from the length
  ])('%s → %s', (text, iso) => {
    expect(dtmIso(segment(text))).toEqual({ iso });
  });

  it('reads a value that fits another format than the declared one, with a note', () => {
    expect(dtmIso(segment('DTM+132:20121124:203'))).toEqual({
      iso: '2012-11-24T00:00:00Z',
      note: 'date "20121124" does not fit its format 203; read as 102',
    });
  });

  it.each([
    ['DTM+137::201'],
    ['DTM+137:20240230:102'],
    ['DTM+137:202403152400:203'],
    ['DTM+137:2024:102'],
    ['DTM+137:20240315:999'],
    ['DTM+137:2024031A:102'],
  ])('%s does not parse', (text) => {
    expect(dtmIso(segment(text))).toHaveProperty('problem');
  });
});

describe('writing helpers', () => {
  it('escapes the service characters and drops trailing empty elements and components', () => {
    expect(escapeValue("a?b+c:d'e")).toBe("a??b?+c?:d?'e");
    expect(seg('FTX', 'AAI', '', '', ['x:y', '', ''], '')).toBe("FTX+AAI+++x?:y'");
  });
});

describe('vesselOf', () => {
  it.each([
    ['TDT+20+V1+++C:172:20+++9321483:146:11:SHIP A', { imo: '9321483', callSign: null, name: 'SHIP A' }],
    ['TDT+20+V1+++C:172:20+++PDHT:103::SHIP B', { imo: null, callSign: 'PDHT', name: 'SHIP B' }],
    ['TDT+20+V1+++C:172:20+++IMO 9321483', { imo: '9321483', callSign: null, name: null }],
    ['TDT+20+V1+++C:172:20+++ABC1', { imo: null, callSign: 'ABC1', name: null }],
  ])('%s', (text, expected) => {
    expect(vesselOf(segment(text), new Issues())).toEqual({ ...expected, voyage: 'V1' });
  });
});
