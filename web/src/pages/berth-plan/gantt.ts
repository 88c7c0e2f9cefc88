/**
 * The berth Gantt's data, apart from drawing (tested without a browser): one bar per ship on a berth
 * row, in milliseconds, and the span to show.
 */
export type GanttBar = { berthIndex: number; start: number; end: number; label: string; callId: string; kind: 'ship' | 'closure' };
export type GanttRows = { berths: string[]; bars: GanttBar[]; from: number; to: number };

type Window = { berthId: string; start: string | null; end: string | null; label: string; callId: string; kind?: 'ship' | 'closure' };

export const ganttRows = (berths: { id: string; code: string }[], windows: Window[]): GanttRows => {
  const index = new Map(berths.map((b, i) => [b.id, i]));
  const bars: GanttBar[] = [];
  for (const w of windows) {
    const i = index.get(w.berthId);
    if (i === undefined || w.start === null || w.end === null) {
      continue;
    }
    bars.push({
      berthIndex: i,
      start: Date.parse(w.start),
      end: Date.parse(w.end),
      label: w.label,
      callId: w.callId,
      kind: w.kind ?? 'ship',
    });
  }
  const from = bars.length === 0 ? Date.now() : Math.min(...bars.map((b) => b.start));
  const to = bars.length === 0 ? from + 86_400_000 : Math.max(...bars.map((b) => b.end));
  return { berths: berths.map((b) => b.code), bars, from, to };
};

/** Bars on one berth that overlap in time (ships on each other or on a closure: a plan a terminal cannot carry out). */
export const overlaps = (rows: GanttRows): [GanttBar, GanttBar][] => {
  const found: [GanttBar, GanttBar][] = [];
  const byBerth = new Map<number, GanttBar[]>();
  for (const b of rows.bars) {
    byBerth.set(b.berthIndex, [...(byBerth.get(b.berthIndex) ?? []), b]);
  }
  for (const list of byBerth.values()) {
    const sorted = [...list].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i += 1) {
      const prev = sorted[i - 1] as GanttBar;
      const cur = sorted[i] as GanttBar;
      if (cur.start < prev.end && (prev.kind === 'ship' || cur.kind === 'ship')) {
        found.push([prev, cur]);
      }
    }
  }
  return found;
};

/** Berths grouped by port area, in first-seen order (the plan's berths come sorted by code). */
export const byArea = <B extends { area: { code: string } }>(berths: B[]): { code: string; berths: B[] }[] => {
  const groups: { code: string; berths: B[] }[] = [];
  for (const b of berths) {
    const g = groups.find((x) => x.code === b.area.code);
    if (g === undefined) {
      groups.push({ code: b.area.code, berths: [b] });
    } else {
      g.berths.push(b);
    }
  }
  return groups;
};
