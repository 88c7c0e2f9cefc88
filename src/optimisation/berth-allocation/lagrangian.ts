/* eslint-disable @typescript-eslint/no-non-null-assertion -- hot loops over typed arrays whose indices
   are in range by construction */
/**
 * Lower bound and variable elimination for the time-indexed model (x[i,k,t] = ship i starts on berth k
 * at time t). Relaxing "each ship exactly once" with multipliers λ leaves one shortest-path problem per
 * berth over time (a berth is idle for one time unit or serves some ship, possibly more than once), so
 * the Lagrangian dual equals the LP bound of the time-indexed model (the subproblem has integral
 * vertices). Multipliers follow Polyak subgradient steps (Held, Wolfe & Crowder 1974).
 *
 * With forward (F) and backward (B) shortest paths of each berth, L(λ) − F_k(end) + F_k(t) + c̄_ikt +
 * B_k(t + p) bounds every plan that uses x[i,k,t]; a variable whose bound exceeds the best plan known
 * (minus one when objectives are integers) cannot be in a better plan and is removed ("reduced-cost
 * fixing"). Removing variables in turn tightens the relaxation, so both are repeated.
 */
import type { Prepared } from './prepared.ts';

export type TimeIndexed = {
  /** Offset of ship i's window on berth k in `alive` (window = earliest..latest of prepared). */
  offset: Int32Array;
  /** alive[offset[i*m+k] + (t − earliest)] = 1 while x[i,k,t] may still be in an improving plan. */
  alive: Uint8Array;
  /** First and one-past-last time of each berth's horizon. */
  from: Int32Array;
  to: Int32Array;
};

export const buildTimeIndexed = (pr: Prepared): TimeIndexed => {
  const { n, m, p, earliest, latest } = pr;
  const offset = new Int32Array(n * m).fill(-1);
  const from = new Int32Array(m).fill(2 ** 30);
  const to = new Int32Array(m).fill(-(2 ** 30));
  let size = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < m; k++) {
      const x = i * m + k;
      if (p[x]! < 0) {
        continue;
      }
      offset[x] = size;
      size += latest[x]! - earliest[x]! + 1;
      from[k] = Math.min(from[k]!, earliest[x]!);
      to[k] = Math.max(to[k]!, latest[x]! + p[x]! + 1);
    }
  }
  for (let k = 0; k < m; k++) {
    if (from[k]! > to[k]!) {
      from[k] = 0;
      to[k] = 1;
    }
  }
  return { offset, alive: new Uint8Array(size).fill(1), from, to };
};

export const countAlive = (ti: TimeIndexed): number => ti.alive.reduce((s, v) => s + v, 0);

export type LagrangianResult = {
  /** Best bound found (already rounded up when objectives are integers). */
  bound: number;
  /** Variables removed by reduced-cost fixing (alive is updated in place). */
  removed: number;
  /** A ship with no variable left: no plan better than the incumbent exists (or, without one, none at all). */
  emptyShip: boolean;
  iterations: number;
};

/**
 * Runs subgradient optimisation on `ti` (alive variables only), removing variables that cannot be in a
 * plan of cost ≤ cutoff (pass Infinity when no plan is known). Stops at the deadline, after maxIterations,
 * or when the bound exceeds the cutoff.
 */
export const lagrangianBound = (
  pr: Prepared,
  ti: TimeIndexed,
  opts: { cutoff: number; maxIterations: number; deadline: number; lambda?: Float64Array; patience?: number },
): LagrangianResult & { lambda: Float64Array } => {
  const { n, m, p, earliest, latest, arrival, weight } = pr;
  const { offset, alive, from, to } = ti;
  const ceil = (v: number): number => (pr.integral ? Math.ceil(v - 1e-6) : v);

  // Ships per berth, and per-berth DP arrays over the horizon.
  const shipsOn: Int32Array[] = [];
  let maxLen = 1;
  for (let k = 0; k < m; k++) {
    const list: number[] = [];
    for (let i = 0; i < n; i++) {
      if (offset[i * m + k]! >= 0) {
        list.push(i);
      }
    }
    shipsOn.push(Int32Array.from(list));
    maxLen = Math.max(maxLen, to[k]! - from[k]! + 1);
  }
  const F = new Float64Array(maxLen);
  const B = new Float64Array(maxLen);
  const choice = new Int32Array(maxLen); // ship whose service ends at this time on the best path, −1 idle

  // λ_i starts at ship i's cheapest service cost (all reduced costs ≥ 0 except its best slot).
  const lambda = opts.lambda ?? new Float64Array(n);
  if (opts.lambda === undefined) {
    for (let i = 0; i < n; i++) {
      let best = Infinity;
      for (let k = 0; k < m; k++) {
        if (p[i * m + k]! >= 0) {
          best = Math.min(best, weight[i]! * (earliest[i * m + k]! + p[i * m + k]! - arrival[i]!));
        }
      }
      lambda[i] = Number.isFinite(best) ? best : 0;
    }
  }

  const count = new Float64Array(n);
  const PATIENCE = opts.patience ?? 10;
  const bestLambda = new Float64Array(lambda);
  let bestBound = -Infinity;
  let theta = 1.0;
  let sinceImprove = 0;
  let removed = 0;
  let emptyShip = false;
  let it = 0;

  /** Forward DP of berth k into F (and choice); returns F at the end of the horizon. */
  const forward = (k: number, lam: Float64Array, withChoice: boolean): number => {
    const t0 = from[k]!;
    const len = to[k]! - t0 + 1;
    F.fill(Infinity, 0, len);
    F[0] = 0;
    if (withChoice) {
      choice.fill(-1, 0, len);
    }
    const ships = shipsOn[k]!;
    for (let u = 0; u < len; u++) {
      if (u > 0 && F[u - 1]! < F[u]!) {
        F[u] = F[u - 1]!;
        if (withChoice) {
          choice[u] = -1;
        }
      }
      const fu = F[u]!;
      const t = u + t0;
      for (let q = 0; q < ships.length; q++) {
        const i = ships[q]!;
        const x = i * m + k;
        const e = earliest[x]!;
        if (t < e || t > latest[x]!) {
          continue;
        }
        if (alive[offset[x]! + t - e] === 0) {
          continue;
        }
        const pp = p[x]!;
        const v = fu + weight[i]! * (t + pp - arrival[i]!) - lam[i]!;
        if (v < F[u + pp]!) {
          F[u + pp] = v;
          if (withChoice) {
            choice[u + pp] = i;
          }
        }
      }
    }
    return F[len - 1]!;
  };

  const backward = (k: number, lam: Float64Array): void => {
    const t0 = from[k]!;
    const len = to[k]! - t0 + 1;
    B.fill(Infinity, 0, len);
    B[len - 1] = 0;
    const ships = shipsOn[k]!;
    for (let u = len - 2; u >= 0; u--) {
      let b = B[u + 1]!;
      const t = u + t0;
      for (let q = 0; q < ships.length; q++) {
        const i = ships[q]!;
        const x = i * m + k;
        const e = earliest[x]!;
        if (t < e || t > latest[x]! || alive[offset[x]! + t - e] === 0) {
          continue;
        }
        const pp = p[x]!;
        const v = B[u + pp]! + weight[i]! * (t + pp - arrival[i]!) - lam[i]!;
        if (v < b) {
          b = v;
        }
      }
      B[u] = b;
    }
  };

  /** Reduced-cost fixing at multipliers lam whose bound is L. */
  const fix = (lam: Float64Array, L: number): void => {
    if (!Number.isFinite(opts.cutoff)) {
      return;
    }
    for (let k = 0; k < m; k++) {
      const end = forward(k, lam, false);
      backward(k, lam);
      const t0 = from[k]!;
      const base = L - end;
      for (const i of shipsOn[k]!) {
        const x = i * m + k;
        const e = earliest[x]!;
        const pp = p[x]!;
        const off = offset[x]!;
        for (let t = e; t <= latest[x]!; t++) {
          if (alive[off + t - e] === 0) {
            continue;
          }
          const u = t - t0;
          const v = base + F[u]! + weight[i]! * (t + pp - arrival[i]!) - lam[i]! + B[u + pp]!;
          if (v > opts.cutoff + 1e-6) {
            alive[off + t - e] = 0;
            removed += 1;
          }
        }
      }
    }
  };

  const startTime = Date.now();
  let lastFix = 0;
  for (; it < opts.maxIterations; it++) {
    if ((it & 7) === 0 && Date.now() > opts.deadline && it > 0) {
      break;
    }
    count.fill(0);
    let L = 0;
    for (let i = 0; i < n; i++) {
      L += lambda[i]!;
    }
    for (let k = 0; k < m; k++) {
      L += forward(k, lambda, true);
      // Walk back the best path to count how often each ship is used.
      let u = to[k]! - from[k]!;
      while (u > 0) {
        const i = choice[u]!;
        if (i < 0) {
          u -= 1;
        } else {
          count[i] = count[i]! + 1;
          u -= p[i * m + k]!;
        }
      }
    }
    if (L > bestBound + 1e-9) {
      if (L > bestBound + 1e-4 * Math.max(1, Math.abs(bestBound))) {
        sinceImprove = 0;
      }
      bestBound = L;
      bestLambda.set(lambda);
    } else {
      sinceImprove += 1;
    }
    if (sinceImprove >= PATIENCE) {
      theta /= 2;
      sinceImprove = 0;
    }
    if (ceil(bestBound) > opts.cutoff || theta < 1e-4) {
      break;
    }
    let norm = 0;
    for (let i = 0; i < n; i++) {
      const g = 1 - count[i]!;
      norm += g * g;
    }
    if (norm === 0) {
      // The relaxed solution serves every ship once: it is optimal for the (remaining) model.
      break;
    }
    // Fix every so often once the bound is within reach (cheap relative to the gain).
    if (Number.isFinite(opts.cutoff) && it - lastFix >= 25 && opts.cutoff - bestBound < 0.1 * Math.abs(opts.cutoff)) {
      fix(bestLambda, bestBound);
      lastFix = it;
    }
    const target = Number.isFinite(opts.cutoff) ? opts.cutoff + 1 : Math.abs(L) * 1.05 + 1;
    const step = (theta * (target - L)) / norm;
    for (let i = 0; i < n; i++) {
      lambda[i] = lambda[i]! + step * (1 - count[i]!);
    }
  }
  fix(bestLambda, bestBound);
  for (let i = 0; i < n && !emptyShip; i++) {
    let any = false;
    for (let k = 0; k < m && !any; k++) {
      const x = i * m + k;
      if (offset[x]! < 0) {
        continue;
      }
      const off = offset[x]!;
      for (let t = 0; t <= latest[x]! - earliest[x]!; t++) {
        if (alive[off + t] === 1) {
          any = true;
          break;
        }
      }
    }
    emptyShip = !any;
  }
  void startTime;
  return { bound: ceil(bestBound), removed, emptyShip, iterations: it, lambda: bestLambda };
};
