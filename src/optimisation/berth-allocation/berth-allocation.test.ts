import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPlan, DbapParseError, parseDbap, solve, type Assignment, type BerthInstance } from './index.ts';

const DATA = path.resolve(process.cwd(), '../shared/data/bap');
const hasData = fs.existsSync(DATA);

const SMALL = `3
2
0 2 4
0 1
5 7
3 99999
4 4
20 20
30 30 30
`;

const inst = (ships: [number, number, number?][], berths: [number, number][], handling: (number | null)[][]): BerthInstance => ({
  ships: ships.map(([arrival, latestDeparture, weight]) => ({ arrival, latestDeparture, weight: weight ?? 1 })),
  berths: berths.map(([opens, closes]) => ({ opens, closes })),
  handling,
});

/** Optimum by enumerating every berth choice and order (left-shifted starts), for a handful of ships. */
const bruteForce = (instance: BerthInstance): number | null => {
  const n = instance.ships.length;
  const m = instance.berths.length;
  let best: number | null = null;
  const perms = (xs: number[]): number[][] =>
    xs.length <= 1 ? [xs] : xs.flatMap((x, i) => perms([...xs.slice(0, i), ...xs.slice(i + 1)]).map((r) => [x, ...r]));
  const orders = perms(Array.from({ length: n }, (_, i) => i));
  for (let code = 0; code < m ** n; code++) {
    const berthOf = Array.from({ length: n }, (_, i) => Math.floor(code / m ** i) % m);
    if (berthOf.some((k, i) => instance.handling[i]?.[k] === null)) {
      continue;
    }
    for (const order of orders) {
      const free = instance.berths.map((b) => b.opens);
      const plan: Assignment[] = [];
      for (const i of order) {
        const k = berthOf[i] ?? 0;
        const start = Math.max(free[k] ?? 0, instance.ships[i]?.arrival ?? 0);
        free[k] = start + (instance.handling[i]?.[k] ?? 0);
        plan.push({ ship: i, berth: k, start });
      }
      const c = checkPlan(instance, plan);
      if (c.feasible && (best === null || c.objective < best)) {
        best = c.objective;
      }
    }
  }
  return best;
};

/** Deterministic pseudo-random small instances for the brute-force comparison. */
const randomInstance = (seed: number, n: number, m: number): BerthInstance => {
  let s = seed;
  const r = (k: number): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % k;
  };
  return inst(
    Array.from({ length: n }, () => [r(20), 200, 1 + r(3)]),
    Array.from({ length: m }, () => [r(5), 200]),
    Array.from({ length: n }, () => Array.from({ length: m }, () => (r(5) === 0 ? null : 2 + r(10)))),
  );
};

describe('parseDbap', () => {
  it('reads the format, maps 99999 to forbidden and weights to 1', () => {
    const p = parseDbap(SMALL);
    expect(p.ships).toEqual([
      { arrival: 0, latestDeparture: 30, weight: 1 },
      { arrival: 2, latestDeparture: 30, weight: 1 },
      { arrival: 4, latestDeparture: 30, weight: 1 },
    ]);
    expect(p.berths).toEqual([
      { opens: 0, closes: 20 },
      { opens: 1, closes: 20 },
    ]);
    expect(p.handling).toEqual([
      [5, 7],
      [3, null],
      [4, 4],
    ]);
  });

  it('reads N weights when exactly N values follow, and ignores other trailing tokens', () => {
    expect(parseDbap(`${SMALL}2 3 1\n`).ships.map((s) => s.weight)).toEqual([2, 3, 1]);
    expect(parseDbap(`${SMALL}600 600 600 600 600\n`).ships.map((s) => s.weight)).toEqual([1, 1, 1]);
    expect(parseDbap(SMALL.replace('20 20\n', '20 20 600 600\n')).berths[1]).toEqual({ opens: 1, closes: 20 });
  });

  it('names the line and what was expected on a missing value', () => {
    const short = SMALL.replace('0 1\n', '0\n').replace(/30 30 30\n$/, '');
    expect(() => parseDbap(short)).toThrow('line 4: expected 2 berth opening times, found 1');
    expect(() => parseDbap('3\n2\n0 2\n')).toThrow(/line 3: expected 3 arrival times, found 2/);
    expect(() => parseDbap('')).toThrow(/line 1: expected 1 number of ships, found none/);
  });

  it('names the line of a value that is not a number', () => {
    expect(() => parseDbap(SMALL.replace('3 99999', '3 x'))).toThrow(
      /line 6: expected a number in handling times of ship 2 \(value 2 of 2\), found "x"/,
    );
    expect(() => parseDbap(SMALL.replace('0 2 4', '0 -2 4'))).toThrow(DbapParseError);
    expect(() => parseDbap('0\n2\n')).toThrow(/line 1: expected a positive number of ships/);
  });
});

describe('checkPlan', () => {
  const p = parseDbap(SMALL);
  const g0: Assignment = { ship: 0, berth: 0, start: 0 };
  const g1: Assignment = { ship: 1, berth: 0, start: 5 };
  const g2: Assignment = { ship: 2, berth: 1, start: 4 };
  const good: Assignment[] = [g0, g1, g2];

  it('accepts a feasible plan and recomputes the objective', () => {
    expect(checkPlan(p, good)).toEqual({ feasible: true, violations: [], objective: 5 + 6 + 4 });
  });

  const kinds = (plan: Assignment[], instance = p): string[] => checkPlan(instance, plan).violations.map((v) => v.kind);

  it('catches each kind of violation', () => {
    expect(kinds(good.slice(0, 2))).toEqual(['missing-ship']);
    expect(kinds([...good, { ship: 2, berth: 1, start: 10 }])).toEqual(['duplicate-ship']);
    expect(kinds([...good, { ship: 7, berth: 0, start: 0 }])).toEqual(['unknown-ship']);
    expect(kinds([g0, g1, { ship: 2, berth: 5, start: 4 }])).toEqual(['unknown-berth']);
    expect(kinds([g0, { ship: 1, berth: 1, start: 5 }, g2])).toEqual(['forbidden-berth']);
    expect(kinds([g0, { ship: 1, berth: 0, start: 1 }, { ship: 2, berth: 1, start: 4 }])).toEqual(['before-arrival', 'overlap']);
    expect(kinds([{ ship: 0, berth: 1, start: 0 }, g1, { ship: 2, berth: 0, start: 12 }])).toEqual(['before-opening']);
    expect(kinds([g0, g1, { ship: 2, berth: 1, start: 17 }])).toEqual(['after-closing']);
    const tight = inst(
      [
        [0, 4],
        [0, 50],
      ],
      [[0, 50]],
      [[5], [5]],
    );
    expect(
      kinds(
        [
          { ship: 0, berth: 0, start: 0 },
          { ship: 1, berth: 0, start: 5 },
        ],
        tight,
      ),
    ).toEqual(['after-latest-departure']);
    expect(kinds([g0, { ship: 1, berth: 0, start: 4 }, g2])).toEqual(['overlap']);
  });
});

describe('solve', () => {
  it('matches brute force on small instances', async () => {
    for (let seed = 1; seed <= 8; seed++) {
      const instance = randomInstance(seed, 3 + (seed % 4), 1 + (seed % 3));
      const expected = bruteForce(instance);
      const r = await solve(instance, { timeLimitSeconds: 5, seed: 1 });
      if (expected === null) {
        expect(r.status).toBe('infeasible');
        continue;
      }
      expect(r.status, `seed ${seed}`).toBe('optimal');
      expect(r.objective, `seed ${seed}`).toBe(expected);
      expect(r.lowerBound).toBe(expected);
      expect(checkPlan(instance, r.assignments)).toMatchObject({ feasible: true, objective: expected });
    }
  }, 30_000);

  it('honours weights, latest departures and closing times', async () => {
    // Ship 1 (weight 5) should go first even though ship 0 arrives earlier.
    const instance = inst(
      [
        [0, 100, 1],
        [1, 100, 5],
      ],
      [[0, 100]],
      [[10], [10]],
    );
    const r = await solve(instance, { timeLimitSeconds: 5 });
    expect(r.objective).toBe(bruteForce(instance));
    expect(r.assignments.find((a) => a.ship === 1)?.start).toBe(1);
  });

  it('reports an infeasible instance as such', async () => {
    // Two ships that must both finish by 10 on one berth, each taking 6.
    const both = inst(
      [
        [0, 10],
        [0, 10],
      ],
      [[0, 100]],
      [[6], [6]],
    );
    expect(await solve(both, { timeLimitSeconds: 5 })).toMatchObject({ status: 'infeasible', objective: null, assignments: [] });
    const noBerth = inst([[0, 100]], [[0, 100]], [[null]]);
    expect((await solve(noBerth)).status).toBe('infeasible');
  });

  it('is deterministic for a seed', async () => {
    const instance = randomInstance(42, 6, 2);
    const a = await solve(instance, { timeLimitSeconds: 5, seed: 7 });
    const b = await solve(instance, { timeLimitSeconds: 5, seed: 7 });
    expect({ ...a, seconds: 0 }).toEqual({ ...b, seconds: 0 });
  });

  describe.skipIf(!hasData)('on published instances (../shared/data/bap; skipped when that folder is absent)', () => {
    it.each([
      ['f30x3-03', 2186],
      ['f40x7-02', 1375],
    ])(
      'proves the optimum of %s (%i)',
      async (name, optimum) => {
        const instance = parseDbap(fs.readFileSync(path.join(DATA, 'dbap-lalla-ruiz2012', `${name}.txt`), 'utf8'));
        const r = await solve(instance, { timeLimitSeconds: 10, seed: 1 });
        expect(r.objective).toBe(optimum);
        expect(r.status).toBe('optimal');
        expect(checkPlan(instance, r.assignments).feasible).toBe(true);
      },
      20_000,
    );
  });
});
