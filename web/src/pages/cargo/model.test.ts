import { describe, expect, it } from 'vitest';
import {
  activeFlags,
  billTotals,
  billTree,
  boxEvents,
  equipmentRows,
  flagViews,
  formatBytes,
  goodsRows,
  messageStatus,
  minutesLate,
  splitMinutes,
  uploadSummary,
} from './model.ts';
import type { Bill, Container, ManifestDocument } from './types.ts';

const MASTER: Bill = {
  number: 'MEDU100001',
  shipper: 'Busan Tyre Co',
  goods: [
    { description: 'Tyres', hsCode: '401120', packages: 400, grossKg: 18_000, netKg: 17_500, equipment: ['MSCU1234565'] },
    { description: 'Laptops', hsCode: '847130', packages: 120, grossKg: 2_400, equipment: ['MSCU2345671', 'MSCU1234565'] },
  ],
};
const HOUSE: Bill = {
  number: 'HBL-7001',
  masterNumber: 'MEDU100001',
  goods: [{ description: 'Phones', hsCode: '851713', packages: 50, grossKg: 900, netKg: 800, equipment: ['COSU3456780'] }],
};
const ALONE: Bill = { number: 'B-2', goods: [{ description: 'Tea', hsCode: '090230', packages: 10, grossKg: 100 }] };

describe(minutesLate.name, () => {
  it('counts whole minutes from the deadline to the filing, negative when early, null without a deadline', () => {
    expect(minutesLate({ filedAt: '2026-11-01T08:00:00Z', deadlineAt: '2026-10-30T14:00:00Z' })).toBe(42 * 60);
    expect(minutesLate({ filedAt: '2026-11-01T08:00:00Z', deadlineAt: '2026-11-02T08:00:00Z' })).toBe(-24 * 60);
    expect(minutesLate({ filedAt: '2026-11-01T08:00:29Z', deadlineAt: '2026-11-01T08:00:00Z' })).toBe(0);
    expect(minutesLate({ filedAt: '2026-11-01T08:00:00Z', deadlineAt: null })).toBeNull();
  });

  it('splits minutes into days, hours and minutes', () => {
    expect(splitMinutes(42 * 60 + 5)).toEqual({ days: 1, hours: 18, minutes: 5 });
    expect(splitMinutes(-90)).toEqual({ days: 0, hours: 1, minutes: 30 });
  });
});

describe(billTree.name, () => {
  it('puts house bills under their master, in document order, with totals', () => {
    const tree = billTree([MASTER, ALONE, HOUSE]);
    expect(tree.map((b) => [b.number, b.house, b.children?.map((c) => c.number)])).toEqual([
      ['MEDU100001', false, ['HBL-7001']],
      ['B-2', false, undefined],
    ]);
    expect(tree[0]?.children?.[0]?.house).toBe(true);
    expect(tree[0]).toMatchObject({ packages: 520, grossKg: 20_400, netKg: null, boxes: ['MSCU1234565', 'MSCU2345671'] });
  });

  it('keeps a house bill whose master is missing at the top', () => {
    expect(billTree([HOUSE]).map((b) => [b.number, b.house])).toEqual([['HBL-7001', false]]);
  });

  it('sums net weight only when every item has one', () => {
    expect(billTotals(HOUSE).netKg).toBe(800);
    expect(billTotals(MASTER).netKg).toBeNull();
  });

  it('lists goods items bill by bill with their bill and master', () => {
    expect(goodsRows([MASTER, HOUSE]).map((g) => [g.billNumber, g.masterNumber, g.index, g.hsCode])).toEqual([
      ['MEDU100001', null, 0, '401120'],
      ['MEDU100001', null, 1, '847130'],
      ['HBL-7001', 'MEDU100001', 0, '851713'],
    ]);
  });
});

describe(equipmentRows.name, () => {
  const doc: ManifestDocument = {
    documentNumber: 'MF-1',
    bills: [MASTER, HOUSE],
    equipment: [
      { number: 'MSCU1234565', fullness: 'full' },
      { number: 'MSCU2345671', fullness: 'full' },
      { number: 'COSU3456780', fullness: 'full' },
      { number: 'OOLU4242420', fullness: 'empty' },
    ],
  };

  it('gives each box the bills it carries and its visit, preferring the visit this manifest created', () => {
    const rows = equipmentRows(doc, 'mf_1', [
      { id: 'c_other', number: 'MSCU1234565', manifestId: 'mf_0' },
      { id: 'c_1', number: 'MSCU1234565', manifestId: 'mf_1' },
      { id: 'c_3', number: 'COSU3456780', manifestId: 'mf_0' },
    ]);
    expect(rows.map((r) => [r.number, r.bills, r.containerId])).toEqual([
      ['MSCU1234565', ['MEDU100001'], 'c_1'],
      ['MSCU2345671', ['MEDU100001'], null],
      ['COSU3456780', ['HBL-7001'], 'c_3'],
      ['OOLU4242420', [], null],
    ]);
  });
});

const box = (flags: Partial<Container['flags']>, times: Partial<Container['times']> = {}): Pick<Container, 'flags' | 'times'> => ({
  flags: {
    discharged: false,
    customsReleased: false,
    terminalReleased: false,
    gatedOut: false,
    gatedIn: false,
    loaded: false,
    onHold: false,
    ...flags,
  },
  times,
});

describe(flagViews.name, () => {
  it('shows all seven flags with the time that set each; a hold that is on is an alarm', () => {
    const views = flagViews(
      box({ discharged: true, onHold: true }, { dischargedAt: '2026-11-02T05:00:00.000Z', customsHoldAt: '2026-11-02T06:00:00.000Z' }),
    );
    expect(views.map((v) => [v.key, v.on, v.tone])).toEqual([
      ['discharged', true, 'success'],
      ['customsReleased', false, 'off'],
      ['terminalReleased', false, 'off'],
      ['gatedOut', false, 'off'],
      ['gatedIn', false, 'off'],
      ['loaded', false, 'off'],
      ['onHold', true, 'alarm'],
    ]);
    expect(views[0]?.at).toBe('2026-11-02T05:00:00.000Z');
    expect(views[6]?.at).toBe('2026-11-02T06:00:00.000Z');
  });

  it('lists the flags that are on', () => {
    expect(activeFlags(box({ gatedOut: true, discharged: true }))).toEqual(['discharged', 'gatedOut']);
    expect(activeFlags(box({}))).toEqual([]);
  });
});

describe(boxEvents.name, () => {
  it('titles each event by type, reads what its payload says, and marks holds and releases', () => {
    const events = boxEvents([
      {
        seq: 10,
        type: 'container.manifested',
        occurredAt: '2026-11-01T08:00:00.000Z',
        recordedAt: '2026-11-01T08:00:00.000Z',
        actorType: 'user',
        payload: { manifestKind: 'import-original' },
      },
      {
        seq: 12,
        type: 'container.customs-held',
        occurredAt: '2026-11-02T06:00:00.000Z',
        recordedAt: '2026-11-02T09:00:00.000Z',
        actorType: 'user',
        payload: { kind: 'customs-hold', location: 'Y1', senderEventId: 'C-H', source: 'api' },
      },
      {
        seq: 11,
        type: 'container.gated-out',
        occurredAt: '2026-11-02T07:50:00.000Z',
        recordedAt: '2026-11-02T07:50:30.000Z',
        actorType: 'api-key',
        payload: { vehicle: '鲁B12345', source: 'edifact' },
      },
    ]);
    expect(events.map((e) => [e.key, e.labelKey, e.tone, e.recordedLater])).toEqual([
      ['10', 'cargo.event.container_manifested', 'info', false],
      ['12', 'cargo.event.container_customs-held', 'alarm', true],
      ['11', 'cargo.event.container_gated-out', 'success', false],
    ]);
    expect(events[0]?.manifestKind).toBe('import-original');
    expect(events[1]).toMatchObject({ location: 'Y1', senderEventId: 'C-H', source: 'api' });
    expect(events[2]).toMatchObject({ vehicle: '鲁B12345', source: 'edifact', location: null });
  });
});

describe(messageStatus.name, () => {
  it("takes the server's outcome, else whether the message was read cleanly", () => {
    expect(messageStatus({ ok: true, outcome: { status: 'imported' } })).toBe('imported');
    expect(messageStatus({ ok: true, outcome: { status: 'unsupported' } })).toBe('unsupported');
    expect(messageStatus({ ok: true, outcome: { status: 'partly-imported' } })).toBe('partly-imported');
    expect(messageStatus({ ok: true })).toBe('read');
    expect(messageStatus({ ok: false, outcome: null })).toBe('rejected');
  });

  it('counts messages by status', () => {
    expect(
      uploadSummary([{ ok: true, outcome: { status: 'imported' } }, { ok: false }, { ok: true, outcome: { status: 'unsupported' } }]),
    ).toEqual([
      ['imported', 1],
      ['rejected', 1],
      ['unsupported', 1],
    ]);
    expect(uploadSummary([])).toEqual([]);
  });

  it('writes file sizes', () => {
    expect([formatBytes(512), formatBytes(2048), formatBytes(12 * 1_048_576)]).toEqual(['512 B', '2.0 KB', '12.0 MB']);
  });
});
