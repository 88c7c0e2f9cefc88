/**
 * The instance in flat typed arrays for the solvers (not used by the checker). Times are integers (the
 * parser enforces it; `prepare` rejects other instances) so the exact model can index time.
 */
import type { BerthInstance } from './instance.ts';

export type Prepared = {
  n: number;
  m: number;
  arrival: Int32Array;
  weight: Float64Array;
  /** p[i*m+k]: handling time, −1 when ship i can never be served on berth k (forbidden or window too short). */
  p: Int32Array;
  /** Earliest and latest start of ship i on berth k (valid where p ≥ 0). */
  earliest: Int32Array;
  latest: Int32Array;
  open: Int32Array;
  /** True when every weight is an integer: then every objective value is an integer. */
  integral: boolean;
  /** First ship with no berth it can ever use, or −1. */
  unservable: number;
};

export const prepare = (instance: BerthInstance): Prepared => {
  const n = instance.ships.length;
  const m = instance.berths.length;
  const arrival = new Int32Array(n);
  const weight = new Float64Array(n);
  const p = new Int32Array(n * m).fill(-1);
  const earliest = new Int32Array(n * m);
  const latest = new Int32Array(n * m);
  const open = new Int32Array(m);
  let integral = true;
  let unservable = -1;
  const int = (v: number, what: string): number => {
    if (!Number.isInteger(v) || Math.abs(v) > 1e9) {
      throw new Error(`${what} must be an integer, got ${v}`);
    }
    return v;
  };
  instance.berths.forEach((b, k) => {
    open[k] = int(b.opens, `berth ${k} opening time`);
  });
  instance.ships.forEach((s, i) => {
    arrival[i] = int(s.arrival, `ship ${i} arrival`);
    if (!(s.weight >= 0) || !Number.isFinite(s.weight)) {
      throw new Error(`ship ${i} weight must be a non-negative number, got ${s.weight}`);
    }
    weight[i] = s.weight;
    integral &&= Number.isInteger(s.weight);
    let any = false;
    instance.berths.forEach((b, k) => {
      const h = instance.handling[i]?.[k];
      if (h === null || h === undefined) {
        return;
      }
      int(h, `handling time of ship ${i} on berth ${k}`);
      const lo = Math.max(s.arrival, b.opens);
      const hi = Math.min(int(b.closes, `berth ${k} closing time`), int(s.latestDeparture, `ship ${i} latest departure`)) - h;
      if (h < 0 || hi < lo) {
        return;
      }
      p[i * m + k] = h;
      earliest[i * m + k] = lo;
      latest[i * m + k] = hi;
      any = true;
    });
    if (!any && unservable < 0) {
      unservable = i;
    }
  });
  return { n, m, arrival, weight, p, earliest, latest, open, integral, unservable };
};

/** Small, fast, seeded PRNG (mulberry32): the solvers never use Math.random. */
export const createRng = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};
