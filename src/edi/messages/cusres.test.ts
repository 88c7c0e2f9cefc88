import { describe, expect, it } from 'vitest';
import { CUSRES_STATUS_CODES, readInterchange, writeCusres, type DeclarationResponse } from '../index.ts';

const ENVELOPE = {
  sender: 'NLCUSTOMS',
  recipient: 'AGENT+1',
  controlRef: 'R0001',
  preparedAt: new Date('2024-03-20T10:05:00Z'),
  messageRef: 'RES',
};

describe('writeCusres', () => {
  const responses: DeclarationResponse[] = [
    { declarationNumber: '24NL0001234', status: 'released', statusAt: new Date('2024-03-20T10:00:00Z') },
    {
      declarationNumber: "24NL000'5678",
      status: 'rejected',
      statusAt: new Date('2024-03-20T10:01:00Z'),
      reasons: ['HS code 9405.40 does not match the description', 'value? missing: invoice + packing list'],
    },
  ];

  it('writes one CUSRES D00B per response, with correct UNT and UNZ counts, read back cleanly', () => {
    const text = writeCusres(responses, ENVELOPE);
    const r = readInterchange(text);
    if (!r.ok) {
      throw new Error(r.errors.map((e) => e.message).join('; '));
    }
    const i = r.interchange;
    expect(i.sender.id).toBe('NLCUSTOMS');
    expect(i.recipient.id).toBe('AGENT+1');
    expect(i.controlRef).toBe('R0001');
    expect(i.messages.map((m) => [m.ref, m.type, m.version, m.release, m.segments.length])).toEqual([
      ['RES-1', 'CUSRES', 'D', '00B', 6], // UNH BGM DTM GIS DOC UNT
      ['RES-2', 'CUSRES', 'D', '00B', 12], // UNH BGM DTM GIS (ERP ERC FTX) ×2 DOC UNT
    ]);
    expect(i.segmentCount).toBe(2 + 6 + 12);
    const [released, rejected] = i.messages;
    expect(released?.segments.map((s) => s.tag)).toEqual(['UNH', 'BGM', 'DTM', 'GIS', 'DOC', 'UNT']);
    expect(released?.segments[1]?.elements).toEqual([[''], ['24NL0001234'], ['9']]); // BGM 1004: the declaration responded to
    expect(released?.segments[2]?.elements).toEqual([['137', '202403201000', '203']]);
    expect(released?.segments[3]?.elements).toEqual([[CUSRES_STATUS_CODES.released, '', 'ZZZ']]);
    expect(released?.segments[4]?.elements).toEqual([['', '', '', 'CUSTOMS DECLARATION'], ['24NL0001234']]);
    expect(rejected?.segments.map((s) => s.tag)).toEqual([
      'UNH',
      'BGM',
      'DTM',
      'GIS',
      'ERP',
      'ERC',
      'FTX',
      'ERP',
      'ERC',
      'FTX',
      'DOC',
      'UNT',
    ]);
    expect(rejected?.segments.filter((s) => s.tag === 'FTX').map((s) => s.elements[3]?.[0])).toEqual(responses[1]?.reasons);
    expect(rejected?.segments[10]?.elements[1]).toEqual(["24NL000'5678"]);
  });

  it('splits a long reason over FTX components and segments without losing text', () => {
    const reason = 'x'.repeat(3000);
    const r = readInterchange(
      writeCusres([{ declarationNumber: 'D1', status: 'rejected', statusAt: new Date(0), reasons: [reason] }], ENVELOPE),
    );
    const ftx = r.ok ? r.interchange.messages[0]?.segments.filter((s) => s.tag === 'FTX') : [];
    expect(ftx?.map((s) => s.elements[3]?.map((c) => c.length))).toEqual([[512, 512, 512, 512, 512], [440]]);
    expect(ftx?.flatMap((s) => s.elements[3] ?? []).join('')).toBe(reason);
  });

  it('a single response keeps the message reference as given; every status has its own code', () => {
    const r = readInterchange(writeCusres([{ declarationNumber: 'D1', status: 'examination', statusAt: new Date(0) }], ENVELOPE));
    expect(r.ok && r.interchange.messages.map((m) => m.ref)).toEqual(['RES']);
    expect(new Set(Object.values(CUSRES_STATUS_CODES)).size).toBe(6);
  });
});
