/* eslint-disable @typescript-eslint/no-non-null-assertion -- typed-array loops whose indices are in range
   by construction */
/**
 * The time-indexed model over the variables that survived reduced-cost fixing, solved by HiGHS (the
 * `highs` npm package: HiGHS compiled to WebAssembly, single-threaded).
 *
 *   min Σ c_ikt x_ikt   s.t.  Σ_kt x_ikt = 1 (each ship)   and, per berth k and time u,
 *   Σ_{i, t ≤ u < t + p_ik} x_ikt ≤ 1 — only for u where some variable of k starts: two services on a
 *   berth overlap exactly when one starts while the other is in progress.
 */
import highsImport from 'highs';
import type { Prepared } from './prepared.ts';
import type { TimeIndexed } from './lagrangian.ts';

// The package's types describe a CommonJS module whose `default` is the loader, while Node loads its ES
// module build, whose default export is the loader itself: accept both shapes.
type Loader = typeof highsImport.default;
type Highs = Awaited<ReturnType<Loader>>;
const loader: Loader = typeof highsImport === 'function' ? highsImport : highsImport.default;
let highsPromise: Promise<Highs> | null = null;
const getHighs = (): Promise<Highs> => (highsPromise ??= loader());

export type MipResult =
  | { kind: 'optimal'; objective: number; assignments: { ship: number; berth: number; start: number }[] }
  | { kind: 'infeasible' }
  | {
      kind: 'limit';
      /** Proven bound on plans within the model (−Infinity when none was found). */
      bound: number;
      best: { objective: number; assignments: { ship: number; berth: number; start: number }[] } | null;
    };

/**
 * Solves the model over the alive variables of `ti`. An incumbent plan, if given, has its variables added
 * back (fixing may have removed them) and is passed to HiGHS as its starting solution, so the MIP
 * optimum is the better of the incumbent and the best plan in the reduced model.
 */
export const solveTimeIndexedMip = async (
  pr: Prepared,
  ti: TimeIndexed,
  timeLimitSeconds: number,
  incumbent: readonly { ship: number; berth: number; start: number }[] | null,
): Promise<MipResult> => {
  const { n, m, p, earliest, latest, arrival, weight } = pr;
  const { offset, from, to } = ti;
  const alive = new Uint8Array(ti.alive);
  for (const a of incumbent ?? []) {
    alive[offset[a.ship * m + a.berth]! + a.start - earliest[a.ship * m + a.berth]!] = 1;
  }

  // Which times start some variable, per berth → capacity row index.
  const rowAt: Int32Array[] = [];
  let numRows = n;
  for (let k = 0; k < m; k++) {
    const rows = new Int32Array(to[k]! - from[k]! + 1).fill(-1);
    for (let i = 0; i < n; i++) {
      const x = i * m + k;
      if (offset[x]! < 0) {
        continue;
      }
      for (let t = earliest[x]!; t <= latest[x]!; t++) {
        if (alive[offset[x]! + t - earliest[x]!] === 1 && rows[t - from[k]!] === -1) {
          rows[t - from[k]!] = 0;
        }
      }
    }
    for (let u = 0; u < rows.length; u++) {
      if (rows[u] === 0) {
        rows[u] = numRows++;
      }
    }
    rowAt.push(rows);
  }

  const cols: { i: number; k: number; t: number }[] = [];
  const colCost: number[] = [];
  const starts: number[] = [0];
  const indices: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < m; k++) {
      const x = i * m + k;
      if (offset[x]! < 0) {
        continue;
      }
      const rows = rowAt[k]!;
      for (let t = earliest[x]!; t <= latest[x]!; t++) {
        if (alive[offset[x]! + t - earliest[x]!] === 0) {
          continue;
        }
        cols.push({ i, k, t });
        colCost.push(weight[i]! * (t + p[x]! - arrival[i]!));
        indices.push(i);
        for (let u = t; u < t + p[x]!; u++) {
          const r = rows[u - from[k]!];
          if (r !== undefined && r >= 0) {
            indices.push(r);
          }
        }
        starts.push(indices.length);
      }
    }
  }
  const numCols = cols.length;
  if (numCols === 0) {
    return { kind: 'infeasible' };
  }
  const rowLower = new Float64Array(numRows);
  const rowUpper = new Float64Array(numRows).fill(1);
  rowLower.fill(1, 0, n);
  rowLower.fill(-Infinity, n);

  const highs = await getHighs();
  const model = highs.createModel({
    numCols,
    numRows,
    colCost: Float64Array.from(colCost),
    colLower: new Float64Array(numCols),
    colUpper: new Float64Array(numCols).fill(1),
    rowLower,
    rowUpper,
    matrix: {
      format: 'csc',
      numRows,
      numCols,
      starts: Int32Array.from(starts),
      indices: Int32Array.from(indices),
      values: new Float64Array(indices.length).fill(1),
    },
    integrality: new Int32Array(numCols).fill(1),
  });
  try {
    model.options.set({
      output_flag: false,
      time_limit: Math.max(0.1, timeLimitSeconds),
      mip_rel_gap: 0,
      // Objective values are integers when weights are: a gap below 1 proves optimality.
      mip_abs_gap: pr.integral ? 0.99 : 1e-6,
      // The model is already reduced by fixing; presolve cost more time than it saved within 5 s
      // (ADR 0006, "What we measured").
      presolve: 'off',
    });
    if (incumbent !== null) {
      const start = new Float64Array(numCols);
      const wanted = new Set(incumbent.map((a) => `${a.ship}:${a.berth}:${a.start}`));
      cols.forEach((c, j) => {
        if (wanted.has(`${c.i}:${c.k}:${c.t}`)) {
          start[j] = 1;
        }
      });
      model.setSolution({ colValue: start });
    }
    model.run();
    const status = model.getModelStatus();
    const codes = highs.constants.modelStatus;
    const decode = (): { objective: number; assignments: { ship: number; berth: number; start: number }[] } => {
      const values = model.getSolution().colValue;
      const assignments: { ship: number; berth: number; start: number }[] = [];
      for (let c = 0; c < numCols; c++) {
        if (values[c]! > 0.5) {
          const col = cols[c]!;
          assignments.push({ ship: col.i, berth: col.k, start: col.t });
        }
      }
      return {
        objective: assignments.reduce((s, a) => s + weight[a.ship]! * (a.start + p[a.ship * m + a.berth]! - arrival[a.ship]!), 0),
        assignments,
      };
    };
    if (status === codes.optimal) {
      return { kind: 'optimal', ...decode() };
    }
    if (status === codes.infeasible) {
      return { kind: 'infeasible' };
    }
    const info = (name: string): number => {
      try {
        return Number(model.info.get(name));
      } catch {
        return NaN;
      }
    };
    const dual = info('mip_dual_bound');
    const primal = info('objective_function_value');
    return {
      kind: 'limit',
      bound: Number.isFinite(dual) ? dual : -Infinity,
      best: Number.isFinite(primal) && Math.abs(primal) < 1e20 ? decode() : null,
    };
  } finally {
    model.dispose();
  }
};
