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
  /** False when the deadline or the iteration limit stopped the subgradient method. */
  converged: boolean;
};

/**
 * Runs subgradient optimisation on `ti` (alive variables only), removing variables that cannot be in a
 * plan of cost ≤ cutoff (pass Infinity when no plan is known). Stops at the deadline, after maxIterations,
 * or when the bound exceeds the cutoff.
 */
export const lagrangianBound = (
  pr: Prepared,
  ti: TimeIndexed,
  opts: { cutoff: number; maxIterations: number; deadline: number; lambda?: Float64Array; patience?: number; theta?: number },
): LagrangianResult & { lambda: Float64Array; theta: number } => {
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
  // Alive variables of each berth in order of start time: vu (start − from), vi (ship), vc (cost), vp
  // (handling time). Rebuilt after each round of fixing so the paths only visit what is left.
  const vars: { u: Int32Array; i: Int32Array; c: Float64Array; p: Int32Array; a: Int32Array }[] = [];
  const rebuild = (): void => {
    vars.length = 0;
    for (let k = 0; k < m; k++) {
      // Counting sort by start time.
      const len = to[k]! - from[k]! + 2;
      const slot = new Int32Array(len);
      for (const i of shipsOn[k]!) {
        const x = i * m + k;
        const e = earliest[x]!;
        const off = offset[x]!;
        for (let t = e; t <= latest[x]!; t++) {
          if (alive[off + t - e] === 1) {
            slot[t - from[k]! + 1] = slot[t - from[k]! + 1]! + 1;
          }
        }
      }
      for (let u = 1; u < len; u++) {
        slot[u] = slot[u]! + slot[u - 1]!;
      }
      const total = slot[len - 1]!;
      const vu = new Int32Array(total);
      const vi = new Int32Array(total);
      const vc = new Float64Array(total);
      const vp = new Int32Array(total);
      const va = new Int32Array(total);
      for (const i of shipsOn[k]!) {
        const x = i * m + k;
        const e = earliest[x]!;
        const off = offset[x]!;
        for (let t = e; t <= latest[x]!; t++) {
          if (alive[off + t - e] === 1) {
            const u = t - from[k]!;
            const q = slot[u]!;
            slot[u] = q + 1;
            vu[q] = u;
            vi[q] = i;
            vp[q] = p[x]!;
            vc[q] = weight[i]! * (t + p[x]! - arrival[i]!);
            va[q] = off + t - e;
          }
        }
      }
      vars.push({ u: vu, i: vi, c: vc, p: vp, a: va });
    }
  };
  rebuild();

  // Two labels per time node with different last (forward) / first (backward) ships, so that a path
  // never serves the same ship twice in a row (a classical strengthening of time-indexed relaxations).
  const F1 = new Float64Array(maxLen);
  const F2 = new Float64Array(maxLen);
  const FL1 = new Int32Array(maxLen); // last ship of label 1 (−1: none yet)
  const FL2 = new Int32Array(maxLen);
  const FP1 = new Int32Array(maxLen); // how label 1 was reached: ship ending here, or −1 idle
  const FP2 = new Int32Array(maxLen);
  const FQ1 = new Int8Array(maxLen); // and from which label (1 or 2) of the node it came from
  const FQ2 = new Int8Array(maxLen);
  const G1 = new Float64Array(maxLen);
  const G2 = new Float64Array(maxLen);
  const GL1 = new Int32Array(maxLen); // first ship of the backward label
  const GL2 = new Int32Array(maxLen);

  const putF = (w: number, v: number, last: number, via: number, from: number): void => {
    if (last === FL1[w]) {
      if (v < F1[w]!) {
        F1[w] = v;
        FP1[w] = via;
        FQ1[w] = from;
      }
    } else if (v < F1[w]!) {
      F2[w] = F1[w]!;
      FL2[w] = FL1[w]!;
      FP2[w] = FP1[w]!;
      FQ2[w] = FQ1[w]!;
      F1[w] = v;
      FL1[w] = last;
      FP1[w] = via;
      FQ1[w] = from;
    } else if (v < F2[w]!) {
      F2[w] = v;
      FL2[w] = last;
      FP2[w] = via;
      FQ2[w] = from;
    }
  };
  const putG = (w: number, v: number, first: number): void => {
    if (first === GL1[w]) {
      if (v < G1[w]!) {
        G1[w] = v;
      }
    } else if (v < G1[w]!) {
      G2[w] = G1[w]!;
      GL2[w] = GL1[w]!;
      G1[w] = v;
      GL1[w] = first;
    } else if (v < G2[w]!) {
      G2[w] = v;
      GL2[w] = first;
    }
  };

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
  let theta = opts.theta ?? 1.0;
  let sinceImprove = 0;
  let removed = 0;
  let emptyShip = false;
  let it = 0;
  let converged = false;

  /** Forward DP of berth k into the F labels; returns the best value at the end of the horizon. */
  const forward = (k: number, lam: Float64Array): number => {
    const len = to[k]! - from[k]! + 1;
    F1.fill(Infinity, 0, len);
    F2.fill(Infinity, 0, len);
    FL1.fill(-2, 0, len);
    FL2.fill(-2, 0, len);
    F1[0] = 0;
    FL1[0] = -1;
    const { u: vu, i: vi, c: vc, p: vp, a: va } = vars[k]!;
    const count = vu.length;
    let q = 0;
    for (let u = 0; u < len; u++) {
      if (u > 0) {
        putF(u, F1[u - 1]!, FL1[u - 1]!, -1, 1);
        putF(u, F2[u - 1]!, FL2[u - 1]!, -1, 2);
      }
      for (; q < count && vu[q] === u; q++) {
        if (alive[va[q]!] === 0) {
          continue;
        }
        const i = vi[q]!;
        const one = FL1[u] !== i;
        const base = one ? F1[u]! : F2[u]!;
        if (base === Infinity) {
          continue;
        }
        putF(u + vp[q]!, base + vc[q]! - lam[i]!, i, i, one ? 1 : 2);
      }
    }
    return F1[len - 1]!;
  };

  const backward = (k: number, lam: Float64Array): void => {
    const len = to[k]! - from[k]! + 1;
    G1.fill(Infinity, 0, len);
    G2.fill(Infinity, 0, len);
    GL1.fill(-2, 0, len);
    GL2.fill(-2, 0, len);
    G1[len - 1] = 0;
    GL1[len - 1] = -1;
    const { u: vu, i: vi, c: vc, p: vp, a: va } = vars[k]!;
    let q = vu.length - 1;
    for (let u = len - 2; u >= 0; u--) {
      putG(u, G1[u + 1]!, GL1[u + 1]!);
      putG(u, G2[u + 1]!, GL2[u + 1]!);
      for (; q >= 0 && vu[q] === u; q--) {
        if (alive[va[q]!] === 0) {
          continue;
        }
        const i = vi[q]!;
        const w = u + vp[q]!;
        const rest = GL1[w] !== i ? G1[w]! : G2[w]!;
        if (rest < Infinity) {
          putG(u, rest + vc[q]! - lam[i]!, i);
        }
      }
    }
  };

  /** Reduced-cost fixing at multipliers lam whose bound is L. */
  const fix = (lam: Float64Array, L: number): void => {
    if (!Number.isFinite(opts.cutoff)) {
      return;
    }
    let any = 0;
    let size = 0;
    for (let k = 0; k < m; k++) {
      const end = forward(k, lam);
      backward(k, lam);
      const base = L - end;
      const { u: vu, i: vi, c: vc, p: vp, a: va } = vars[k]!;
      size += vu.length;
      for (let q = 0; q < vu.length; q++) {
        if (alive[va[q]!] === 0) {
          continue;
        }
        const u = vu[q]!;
        const i = vi[q]!;
        const w = u + vp[q]!;
        const before = FL1[u] !== i ? F1[u]! : F2[u]!;
        const after = GL1[w] !== i ? G1[w]! : G2[w]!;
        if (base + before + vc[q]! - lam[i]! + after > opts.cutoff + 1e-6) {
          alive[va[q]!] = 0;
          removed += 1;
          any += 1;
        }
      }
    }
    // Rebuilding costs about one iteration; skip it when little was removed (the DPs skip dead variables).
    if (any > 0.05 * size) {
      rebuild();
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
      L += forward(k, lambda);
      // Walk back the best path to count how often each ship is used.
      let u = to[k]! - from[k]!;
      let lab = 1;
      while (u > 0) {
        const i = lab === 1 ? FP1[u]! : FP2[u]!;
        lab = lab === 1 ? FQ1[u]! : FQ2[u]!;
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
      converged = true;
      break;
    }
    let norm = 0;
    for (let i = 0; i < n; i++) {
      const g = 1 - count[i]!;
      norm += g * g;
    }
    if (norm === 0) {
      converged = true;
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
  return { bound: ceil(bestBound), removed, emptyShip, iterations: it, converged, lambda: bestLambda, theta };
};
