/**
 * Independent feasibility checker for berth plans. It shares nothing with the solvers but the instance
 * type, so a solver bug cannot hide itself here: every solver result is run through it before it is
 * returned.
 */
import type { Assignment, BerthInstance } from './instance.ts';

export type Violation =
  | { kind: 'unknown-ship'; ship: number; message: string }
  | { kind: 'unknown-berth'; ship: number; berth: number; message: string }
  | { kind: 'missing-ship'; ship: number; message: string }
  | { kind: 'duplicate-ship'; ship: number; message: string }
  | { kind: 'forbidden-berth'; ship: number; berth: number; message: string }
  | { kind: 'bad-start'; ship: number; message: string }
  | { kind: 'before-arrival'; ship: number; message: string }
  | { kind: 'before-opening'; ship: number; berth: number; message: string }
  | { kind: 'after-closing'; ship: number; berth: number; message: string }
  | { kind: 'after-latest-departure'; ship: number; message: string }
  | { kind: 'overlap'; ship: number; other: number; berth: number; message: string };

export type CheckResult = {
  feasible: boolean;
  violations: Violation[];
  /** Σ weight × (completion − arrival) over the ships that are placed on a berth they may use. */
  objective: number;
};

export const checkPlan = (instance: BerthInstance, assignments: readonly Assignment[]): CheckResult => {
  const violations: Violation[] = [];
  const n = instance.ships.length;
  const m = instance.berths.length;
  const seen = new Array<number>(n).fill(0);
  const byBerth = new Map<number, { ship: number; start: number; end: number }[]>();
  let objective = 0;

  for (const a of assignments) {
    if (!Number.isInteger(a.ship) || a.ship < 0 || a.ship >= n) {
      violations.push({ kind: 'unknown-ship', ship: a.ship, message: `ship ${a.ship} does not exist (0..${n - 1})` });
      continue;
    }
    seen[a.ship] = (seen[a.ship] ?? 0) + 1;
    if (seen[a.ship] === 2) {
      violations.push({ kind: 'duplicate-ship', ship: a.ship, message: `ship ${a.ship} is assigned more than once` });
    }
    if (!Number.isInteger(a.berth) || a.berth < 0 || a.berth >= m) {
      violations.push({ kind: 'unknown-berth', ship: a.ship, berth: a.berth, message: `ship ${a.ship}: berth ${a.berth} does not exist` });
      continue;
    }
    const ship = instance.ships[a.ship];
    const berth = instance.berths[a.berth];
    const p = instance.handling[a.ship]?.[a.berth];
    if (ship === undefined || berth === undefined) {
      continue;
    }
    if (p === null || p === undefined) {
      violations.push({
        kind: 'forbidden-berth',
        ship: a.ship,
        berth: a.berth,
        message: `ship ${a.ship} may not use berth ${a.berth}`,
      });
      continue;
    }
    if (!Number.isFinite(a.start)) {
      violations.push({ kind: 'bad-start', ship: a.ship, message: `ship ${a.ship}: start ${a.start} is not a number` });
      continue;
    }
    const end = a.start + p;
    if (a.start < ship.arrival) {
      violations.push({
        kind: 'before-arrival',
        ship: a.ship,
        message: `ship ${a.ship} starts at ${a.start}, before its arrival ${ship.arrival}`,
      });
    }
    if (a.start < berth.opens) {
      violations.push({
        kind: 'before-opening',
        ship: a.ship,
        berth: a.berth,
        message: `ship ${a.ship} starts at ${a.start} on berth ${a.berth}, which opens at ${berth.opens}`,
      });
    }
    if (end > berth.closes) {
      violations.push({
        kind: 'after-closing',
        ship: a.ship,
        berth: a.berth,
        message: `ship ${a.ship} ends at ${end} on berth ${a.berth}, which closes at ${berth.closes}`,
      });
    }
    if (end > ship.latestDeparture) {
      violations.push({
        kind: 'after-latest-departure',
        ship: a.ship,
        message: `ship ${a.ship} ends at ${end}, after its latest departure ${ship.latestDeparture}`,
      });
    }
    objective += ship.weight * (end - ship.arrival);
    const list = byBerth.get(a.berth) ?? [];
    list.push({ ship: a.ship, start: a.start, end });
    byBerth.set(a.berth, list);
  }

  for (let i = 0; i < n; i++) {
    if (seen[i] === 0) {
      violations.push({ kind: 'missing-ship', ship: i, message: `ship ${i} is not assigned` });
    }
  }

  for (const [berth, list] of byBerth) {
    list.sort((x, y) => x.start - y.start || x.end - y.end);
    // Compare each visit with the one ending last so far: catches overlaps of any pair.
    let latest: { ship: number; end: number } | null = null;
    for (const v of list) {
      if (latest !== null && v.start < latest.end) {
        violations.push({
          kind: 'overlap',
          ship: v.ship,
          other: latest.ship,
          berth,
          message: `ships ${latest.ship} and ${v.ship} overlap on berth ${berth} (${v.start} < ${latest.end})`,
        });
      }
      if (latest === null || v.end > latest.end) {
        latest = { ship: v.ship, end: v.end };
      }
    }
  }

  return { feasible: violations.length === 0, violations, objective };
};
