/* eslint-disable @typescript-eslint/no-non-null-assertion -- hot loops over typed arrays and per-berth
   sequences whose indices are in range by construction */
/**
 * Ruin-and-recreate large neighbourhood search (Schrimpf et al. 2000; the removal of "related" ships by
 * time follows Shaw 1998) with simulated-annealing acceptance over per-berth sequences. A sequence is
 * decoded left-shifted (each ship starts as early as its arrival and the previous ship allow), which is
 * optimal for a fixed sequence because the objective is regular. Deadline and closing-time violations are
 * allowed during the search at a large penalty per time unit late.
 *
 * Deterministic for a given seed and iteration count; a wall-clock deadline only cuts the run short, so a
 * time-limited run differs between machines only in how many iterations it completed.
 */
import { createRng, type Prepared } from './prepared.ts';

const LATE_PENALTY = 1e6;

export type HeuristicSolution = {
  /** Ships in service order per berth. */
  sequences: number[][];
  /** Weighted service time (meaningful when late === 0). */
  cost: number;
  /** Total time units by which starts exceed their latest start. */
  late: number;
};

type Berth = { seq: number[]; start: number[]; end: number[]; cum: number[]; total: number };

const decodeBerth = (pr: Prepared, k: number, seq: number[]): Berth => {
  const { m, arrival, weight, p, latest } = pr;
  const start: number[] = new Array<number>(seq.length);
  const end: number[] = new Array<number>(seq.length);
  const cum: number[] = new Array<number>(seq.length);
  let t = pr.open[k]!;
  let total = 0;
  for (let j = 0; j < seq.length; j++) {
    const i = seq[j]!;
    const s = Math.max(t, arrival[i]!);
    const e = s + p[i * m + k]!;
    const over = s - latest[i * m + k]!;
    total += weight[i]! * (e - arrival[i]!) + (over > 0 ? over * LATE_PENALTY : 0);
    start[j] = s;
    end[j] = e;
    cum[j] = total;
    t = e;
  }
  return { seq, start, end, cum, total };
};

/** Penalised cost of berth b after inserting ship x before position j. */
const insertionCost = (pr: Prepared, k: number, b: Berth, x: number, j: number): number => {
  const { m, arrival, weight, p, latest } = pr;
  let t = j === 0 ? pr.open[k]! : b.end[j - 1]!;
  let total = j === 0 ? 0 : b.cum[j - 1]!;
  let s = Math.max(t, arrival[x]!);
  let over = s - latest[x * m + k]!;
  t = s + p[x * m + k]!;
  total += weight[x]! * (t - arrival[x]!) + (over > 0 ? over * LATE_PENALTY : 0);
  const len = b.seq.length;
  for (let q = j; q < len; q++) {
    const i = b.seq[q]!;
    s = Math.max(t, arrival[i]!);
    if (s === b.start[q]) {
      // From here on the schedule is unchanged.
      return total + b.total - (q === 0 ? 0 : b.cum[q - 1]!);
    }
    t = s + p[i * m + k]!;
    over = s - latest[i * m + k]!;
    total += weight[i]! * (t - arrival[i]!) + (over > 0 ? over * LATE_PENALTY : 0);
  }
  return total;
};

export type HeuristicOptions = {
  seed: number;
  /** Stop after this many ruin-and-recreate iterations (the deterministic budget). */
  maxIterations: number;
  /** Wall-clock stop (Date.now() value); the run may end earlier than maxIterations because of it. */
  deadline: number;
  /** Stop after this many iterations without a new best solution. */
  stallIterations?: number;
  /** Stop as soon as a feasible solution of at most this cost is found (e.g. a proven lower bound). */
  target?: number;
  initial?: number[][];
};

export const runHeuristic = (pr: Prepared, opts: HeuristicOptions): HeuristicSolution & { iterations: number } => {
  const { n, m, p, arrival } = pr;
  const rng = createRng(opts.seed);
  const randInt = (k: number): number => Math.floor(rng() * k);

  const allowed: number[][] = [];
  for (let i = 0; i < n; i++) {
    const ks: number[] = [];
    for (let k = 0; k < m; k++) {
      if (p[i * m + k]! >= 0) {
        ks.push(k);
      }
    }
    allowed.push(ks);
  }

  const berthOf = new Int32Array(n).fill(-1);
  let berths: Berth[] = [];
  const totalOf = (bs: Berth[]): number => bs.reduce((s, b) => s + b.total, 0);

  /** Inserts ships at their cheapest positions (blinking skips a few positions for diversity). */
  const recreate = (bs: Berth[], ships: number[], blink: number): void => {
    for (const x of ships) {
      let best = Infinity;
      let bestK = -1;
      let bestJ = 0;
      for (const k of allowed[x]!) {
        const b = bs[k]!;
        for (let j = 0; j <= b.seq.length; j++) {
          if (blink > 0 && rng() < blink) {
            continue;
          }
          const c = insertionCost(pr, k, b, x, j) - b.total;
          if (c < best) {
            best = c;
            bestK = k;
            bestJ = j;
          }
        }
      }
      if (bestK < 0) {
        // Every position blinked: take the first allowed berth's end.
        bestK = allowed[x]![0] ?? 0;
        bestJ = bs[bestK]!.seq.length;
      }
      const seq = bs[bestK]!.seq.slice();
      seq.splice(bestJ, 0, x);
      bs[bestK] = decodeBerth(pr, bestK, seq);
      berthOf[x] = bestK;
    }
  };

  // Initial solution: given, or cheapest insertion in order of arrival.
  if (opts.initial !== undefined) {
    berths = opts.initial.map((seq, k) => decodeBerth(pr, k, seq.slice()));
    opts.initial.forEach((seq, k) => seq.forEach((i) => (berthOf[i] = k)));
  } else {
    berths = Array.from({ length: m }, (_, k) => decodeBerth(pr, k, []));
    const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => arrival[x]! - arrival[y]! || x - y);
    recreate(berths, order, 0);
  }

  let current = berths;
  let currentCost = totalOf(current);
  let best = current;
  let bestCost = currentCost;
  const feasibleCost = (c: number): boolean => c < LATE_PENALTY / 2;

  // Temperature: a fraction of the mean cost per ship, cooled geometrically over cycles that restart
  // from the best solution (so the schedule depends on the iteration count only).
  const pureCost = current.reduce((s, b) => s + b.seq.reduce((acc, i, j) => acc + pr.weight[i]! * (b.end[j]! - arrival[i]!), 0), 0);
  const meanPerShip = Math.max(1, pureCost / n);
  const T0 = 0.2 * meanPerShip;
  const T1 = 0.002 * meanPerShip;
  const cycle = Math.max(2000, 200 * n);
  const maxRemove = Math.max(2, Math.min(n, Math.round(Math.sqrt(n) * 1.5) + 2));
  const byArrival = Array.from({ length: n }, (_, i) => i).sort((x, y) => arrival[x]! - arrival[y]! || x - y);
  const rankOf = new Int32Array(n);
  byArrival.forEach((i, r) => (rankOf[i] = r));

  let it = 0;
  let lastBest = 0;
  for (; it < opts.maxIterations && it - lastBest <= (opts.stallIterations ?? Infinity); it++) {
    if ((it & 63) === 0 && Date.now() > opts.deadline) {
      break;
    }
    if (opts.target !== undefined && feasibleCost(bestCost) && bestCost <= opts.target + 1e-9) {
      break;
    }
    const phase = (it % cycle) / cycle;
    if (it > 0 && it % cycle === 0) {
      current = best;
      currentCost = bestCost;
      current.forEach((b, k) => b.seq.forEach((s) => (berthOf[s] = k)));
    }
    const T = T0 * Math.pow(T1 / T0, phase);

    // Ruin.
    const q = 1 + randInt(maxRemove);
    const removed: number[] = [];
    const mark = new Uint8Array(n);
    const pick = rng();
    if (pick < 0.5) {
      // Ships arriving close in time to a random one.
      const r = rankOf[randInt(n)]!;
      let lo = r;
      let hi = r;
      mark[byArrival[r]!] = 1;
      removed.push(byArrival[r]!);
      while (removed.length < q && (lo > 0 || hi < n - 1)) {
        const goLow = hi >= n - 1 || (lo > 0 && rng() < 0.5);
        const idx = goLow ? --lo : ++hi;
        const s = byArrival[idx]!;
        if (rng() < 0.8) {
          mark[s] = 1;
          removed.push(s);
        }
      }
    } else if (pick < 0.8) {
      // A string of consecutive ships from one berth, plus its neighbours in time on another.
      const k0 = randInt(m);
      const seq = current[k0]!.seq;
      if (seq.length > 0) {
        const len = Math.min(seq.length, 1 + randInt(q));
        const from = randInt(seq.length - len + 1);
        for (let j = from; j < from + len; j++) {
          mark[seq[j]!] = 1;
          removed.push(seq[j]!);
        }
        const t0 = current[k0]!.start[from]!;
        const t1 = current[k0]!.end[from + len - 1]!;
        const k1 = randInt(m);
        if (k1 !== k0) {
          const b1 = current[k1]!;
          for (let j = 0; j < b1.seq.length && removed.length < q + len; j++) {
            if (b1.end[j]! > t0 && b1.start[j]! < t1) {
              mark[b1.seq[j]!] = 1;
              removed.push(b1.seq[j]!);
            }
          }
        }
      }
    } else {
      while (removed.length < q) {
        const s = randInt(n);
        if (mark[s] === 0) {
          mark[s] = 1;
          removed.push(s);
        }
      }
    }
    if (removed.length === 0) {
      continue;
    }

    const next = current.slice();
    const touched = new Set<number>();
    for (const s of removed) {
      touched.add(berthOf[s]!);
    }
    for (const k of touched) {
      next[k] = decodeBerth(
        pr,
        k,
        next[k]!.seq.filter((s) => mark[s] === 0),
      );
    }
    // Recreate in a random one of a few orders.
    const how = rng();
    if (how < 0.4) {
      removed.sort((x, y) => arrival[x]! - arrival[y]!);
    } else if (how < 0.6) {
      removed.sort((x, y) => pr.weight[y]! - pr.weight[x]! || arrival[x]! - arrival[y]!);
    } else {
      for (let j = removed.length - 1; j > 0; j--) {
        const r = randInt(j + 1);
        const tmp = removed[j]!;
        removed[j] = removed[r]!;
        removed[r] = tmp;
      }
    }
    const savedBerthOf = removed.map((s) => berthOf[s]!);
    recreate(next, removed, 0.01);
    const nextCost = totalOf(next);
    if (nextCost < currentCost - 1e-9 || rng() < Math.exp((currentCost - nextCost) / T)) {
      current = next;
      currentCost = nextCost;
      if (nextCost < bestCost - 1e-9) {
        best = next;
        bestCost = nextCost;
        lastBest = it;
      }
    } else {
      removed.forEach((s, j) => (berthOf[s] = savedBerthOf[j]!));
    }
  }

  const late = best.reduce((s, b, k) => s + b.seq.reduce((acc, i, j) => acc + Math.max(0, b.start[j]! - pr.latest[i * m + k]!), 0), 0);
  const cost = best.reduce((s, b) => s + b.seq.reduce((acc, i, j) => acc + pr.weight[i]! * (b.end[j]! - arrival[i]!), 0), 0);
  return { sequences: best.map((b) => b.seq.slice()), cost, late, iterations: it };
};

/** Start times of a sequence solution (left-shifted), as plan lines. */
export const sequencesToAssignments = (pr: Prepared, sequences: number[][]): { ship: number; berth: number; start: number }[] =>
  sequences.flatMap((seq, k) => {
    const b = decodeBerth(pr, k, seq);
    return seq.map((ship, j) => ({ ship, berth: k, start: b.start[j]! }));
  });
