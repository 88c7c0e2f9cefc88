import { describe, expect, it } from 'vitest';
import { byArea, ganttRows, overlaps } from './gantt.ts';

const berths = [
  { id: 'b1', code: 'QQCT-01' },
  { id: 'b2', code: 'QQCT-02' },
];

describe('berth Gantt rows', () => {
  it('puts each window on its berth row and spans all of them; skips unknown berths and open windows', () => {
    const rows = ganttRows(berths, [
      { berthId: 'b2', start: '2026-11-02T00:00:00Z', end: '2026-11-02T10:00:00Z', label: 'A', callId: 'c1' },
      { berthId: 'b1', start: '2026-11-01T20:00:00Z', end: '2026-11-02T04:00:00Z', label: 'B', callId: 'c2' },
      { berthId: 'bX', start: '2026-11-01T00:00:00Z', end: '2026-11-05T00:00:00Z', label: 'C', callId: 'c3' },
      { berthId: 'b1', start: null, end: null, label: 'D', callId: 'c4' },
    ]);
    expect(rows.berths).toEqual(['QQCT-01', 'QQCT-02']);
    expect(rows.bars.map((b) => [b.label, b.berthIndex])).toEqual([
      ['A', 1],
      ['B', 0],
    ]);
    expect(rows.from).toBe(Date.parse('2026-11-01T20:00:00Z'));
    expect(rows.to).toBe(Date.parse('2026-11-02T10:00:00Z'));
  });

  it('finds overlapping windows on one berth, not touching ones or other berths', () => {
    const rows = ganttRows(berths, [
      { berthId: 'b1', start: '2026-11-02T00:00:00Z', end: '2026-11-02T10:00:00Z', label: 'A', callId: 'c1' },
      { berthId: 'b1', start: '2026-11-02T10:00:00Z', end: '2026-11-02T12:00:00Z', label: 'B', callId: 'c2' },
      { berthId: 'b1', start: '2026-11-02T11:00:00Z', end: '2026-11-02T13:00:00Z', label: 'C', callId: 'c3' },
      { berthId: 'b2', start: '2026-11-02T00:00:00Z', end: '2026-11-02T13:00:00Z', label: 'D', callId: 'c4' },
    ]);
    expect(overlaps(rows).map(([a, b]) => [a.label, b.label])).toEqual([['B', 'C']]);
  });
});

describe('berth plan grouping and closures', () => {
  it('groups berths by port area in order', () => {
    const groups = byArea([
      { id: 'a', area: { code: 'QD-QW' } },
      { id: 'b', area: { code: 'QD-DG' } },
      { id: 'c', area: { code: 'QD-QW' } },
    ]);
    expect(groups.map((g) => [g.code, g.berths.map((b) => b.id)])).toEqual([
      ['QD-QW', ['a', 'c']],
      ['QD-DG', ['b']],
    ]);
  });

  it('counts a ship over a closure as a clash, not two closures over each other', () => {
    const rows = ganttRows(berths, [
      { berthId: 'b1', start: '2026-11-02T00:00:00Z', end: '2026-11-02T10:00:00Z', label: 'works', callId: 'x1', kind: 'closure' },
      { berthId: 'b1', start: '2026-11-02T05:00:00Z', end: '2026-11-02T12:00:00Z', label: 'more works', callId: 'x2', kind: 'closure' },
      { berthId: 'b2', start: '2026-11-02T00:00:00Z', end: '2026-11-02T10:00:00Z', label: 'works', callId: 'x3', kind: 'closure' },
      { berthId: 'b2', start: '2026-11-02T09:00:00Z', end: '2026-11-02T12:00:00Z', label: 'Ship', callId: 'c1' },
    ]);
    expect(overlaps(rows).map(([a, b]) => [a.label, b.label])).toEqual([['works', 'Ship']]);
  });
});
