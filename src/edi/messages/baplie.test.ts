import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapBaplie, readInterchange, type Interchange, type Message } from '../index.ts';

// Real samples from ../shared/data/edifact (see its SOURCES.md); not copied into the project.
const SAMPLES = path.resolve(import.meta.dirname, '../../../../shared/data/edifact/samples');
const haveSamples = fs.existsSync(SAMPLES);
if (!haveSamples) {
  console.warn(`BAPLIE sample tests skipped: ${SAMPLES} not found (expected ../shared/data/edifact beside the project)`);
}
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');

function read(text: string | Buffer): Interchange {
  const r = readInterchange(text);
  if (!r.ok) {
    throw new Error(r.errors.map((e) => e.message).join('; '));
  }
  return r.interchange;
}

function only(i: Interchange, type = 'BAPLIE'): Message {
  const m = i.messages.find((x) => x.type === type);
  if (m === undefined) {
    throw new Error(`no ${type}`);
  }
  return m;
}

function message(body: string, version = 'D:95B'): Message {
  const n = body.split("'").length - 1 + 2;
  const [dir, rel] = version.split(':');
  return only(read(`UNB+UNOC:3+S+R+240101:1200+X'UNH+1+BAPLIE:${dir}:${rel}:UN:SMDG20'${body}UNT+${n}+1'UNZ+1+X'`));
}

describe.skipIf(!haveSamples)('mapBaplie on the real samples', () => {
  it('php-edifact D95B BAPLIE: 3 containers with cell, ports, weight, operator', () => {
    const r = mapBaplie(only(read(fs.readFileSync(path.join(SAMPLES, 'php-edifact_D95B_BAPLIE.edi')))));
    if (!r.ok) {
      throw new Error(JSON.stringify(r.errors));
    }
    expect(r.warnings).toEqual([]);
    expect(r.value.vessel).toEqual({ name: 'OOCL BEIJING', imo: null, callSign: 'VRIB3', voyage: '042' });
    expect([r.value.departurePort, r.value.nextPort]).toEqual(['USLGB', null]);
    expect(r.value.equipment).toEqual([
      {
        number: 'OOLU4293959',
        sizeType: '4200',
        position: '0780690',
        portOfLoading: 'USLGB',
        portOfDischarge: 'CNYTN',
        grossKg: 3833,
        fullness: 'empty',
        operator: 'OOL',
      },
      {
        number: 'MOEU0710945',
        sizeType: 'L5G1',
        position: '0060886',
        portOfLoading: 'USLGB',
        portOfDischarge: 'CNXMN',
        grossKg: 3983,
        fullness: 'empty',
        operator: 'MOL',
      },
      {
        number: 'OOLU8757889',
        sizeType: '4500',
        position: '0100114',
        portOfLoading: 'USLGB',
        portOfDischarge: 'TWKHH',
        grossKg: 26000,
        fullness: 'full',
        operator: 'OOL',
      },
    ]);
  });

  it('apimeister D04B BAPLIE: 1 container; placeholder ports and IMO give warnings, not errors', () => {
    const r = mapBaplie(only(read(fs.readFileSync(path.join(SAMPLES, 'apimeister_d04b_baplie.edi')))));
    if (!r.ok) {
      throw new Error(JSON.stringify(r.errors));
    }
    expect(r.value.equipment).toEqual([
      {
        number: 'CONTAINER',
        sizeType: '2210', // only C224 8154 (description) is given
        position: '0050302',
        portOfLoading: null,
        portOfDischarge: 'PORTOFDISCHARGE', // LOC+12
        grossKg: 23000,
        fullness: 'full',
        operator: 'TSL',
      },
    ]);
    expect(r.value.vessel).toEqual({ name: null, imo: null, callSign: null, voyage: 'RFN234' });
    expect(r.warnings.map((w) => [w.segment, w.tag])).toEqual([
      [5, 'TDT'],
      [6, 'LOC'],
      [7, 'LOC'],
      [15, 'LOC'],
    ]);
  });
});

describe('mapBaplie on the fixture and hand-made messages', () => {
  it('mixed-interchange.edi: 3 stowage cells, 2 EQD — the cell without EQD is not a container', () => {
    const m = only(read(fs.readFileSync(path.join(FIXTURES, 'mixed-interchange.edi'))));
    expect(m.segments).toHaveLength(29);
    expect(m.segments.filter((s) => s.tag === 'LOC' && s.elements[0]?.[0] === '147')).toHaveLength(3);
    const r = mapBaplie(m);
    expect(r.ok && r.value.equipment.map((e) => [e.number, e.position, e.grossKg, e.portOfLoading, e.fullness])).toEqual([
      ['MSKU1234565', '0120482', 24350, 'CNSHA', 'full'],
      ['CSQU3054383', '0140206', 2200, 'NLRTM', 'empty'],
    ]);
    expect(r.ok && [r.value.departurePort, r.value.nextPort, r.value.vessel.callSign]).toEqual(['NLRTM', 'DEHAM', 'PDHT']);
  });

  it('takes values after the EQD first (BAPLIE 3 order), and converts VGM in TNE', () => {
    const r = mapBaplie(
      message("BGM++1+9'TDT+20+V'LOC+147+0010082'EQD+CN+ABCU1234560+22G1+++5'MEA+AAE+VGM+TNE:21.5'LOC+9+NLRTM'LOC+11+SGSIN'", 'D:13B'),
    );
    expect(r.ok && r.value.equipment).toEqual([
      {
        number: 'ABCU1234560',
        sizeType: '22G1',
        position: '0010082',
        portOfLoading: 'NLRTM',
        portOfDischarge: 'SGSIN',
        grossKg: 21500,
        fullness: 'full',
        operator: null,
      },
    ]);
  });

  it('fails on a container EQD without an id; skips a non-container EQD without one', () => {
    const r = mapBaplie(message("BGM++1+9'LOC+147+0010082'EQD+CN'"));
    expect(!r.ok && r.errors.map((e) => [e.segment, e.tag, e.code])).toEqual([[5, 'EQD', 'edi.missing-value']]);
    const bb = mapBaplie(message("BGM++1+9'LOC+147+0010082'EQD+BB'"));
    expect(bb.ok && bb.value.equipment).toEqual([]);
  });
});
