/**
 * The berth allocation solver: heuristic upper bound, Lagrangian lower bound with reduced-cost fixing,
 * heuristic again aiming at that bound, then the reduced time-indexed MIP (HiGHS) for the rest of the
 * time. Every plan is run through the independent checker before it is returned.
 */
import { checkPlan } from './checker.ts';
import { runHeuristic, sequencesToAssignments } from './heuristic.ts';
import type { Assignment, BerthInstance } from './instance.ts';
import { buildTimeIndexed, countAlive, lagrangianBound } from './lagrangian.ts';
import { solveTimeIndexedMip } from './mip.ts';
import { prepare } from './prepared.ts';

export type SolveOptions = {
  /** Wall-clock limit for the whole solve (default 10 s). */
  timeLimitSeconds?: number;
  /** Seed of the heuristic's PRNG (default 1). */
  seed?: number;
  /** Skip the MIP stage (heuristic and Lagrangian bound only). */
  exact?: boolean;
  /** Progress lines (stage, bound, incumbent, seconds), for diagnostics. */
  log?: (line: string) => void;
};

export type SolveStatus = 'optimal' | 'feasible' | 'infeasible' | 'no-solution';

export type SolveResult = {
  status: SolveStatus;
  /** Objective of the plan (null without one). */
  objective: number | null;
  /** Proven lower bound on the optimum (equal to objective when optimal; null when infeasible). */
  lowerBound: number | null;
  assignments: Assignment[];
  seconds: number;
};

/**
 * The time-indexed MIP is only attempted below this many variables (HiGHS-Wasm is slow on the larger
 * reduced models; it proves small gaps on a few thousand variables, see ADR 0006).
 */
const MAX_MIP_VARIABLES = 15_000;
const SMALL_MIP_VARIABLES = 3_000;

export const solve = async (instance: BerthInstance, options: SolveOptions = {}): Promise<SolveResult> => {
  const started = Date.now();
  const limit = Math.max(0.1, options.timeLimitSeconds ?? 10) * 1000;
  const seed = options.seed ?? 1;
  const at = (fraction: number): number => started + limit * fraction;
  const seconds = (): number => (Date.now() - started) / 1000;
  const pr = prepare(instance);
  const { n } = pr;

  if (n === 0) {
    return { status: 'optimal', objective: 0, lowerBound: 0, assignments: [], seconds: seconds() };
  }
  if (pr.unservable >= 0) {
    return { status: 'infeasible', objective: null, lowerBound: null, assignments: [], seconds: seconds() };
  }

  let best: { objective: number; assignments: Assignment[] } | null = null;
  const offer = (assignments: Assignment[]): void => {
    const check = checkPlan(instance, assignments);
    if (check.feasible && (best === null || check.objective < best.objective - 1e-9)) {
      best = { objective: check.objective, assignments };
    }
  };
  const log = (stage: string): void =>
    options.log?.(`${seconds().toFixed(2)} s ${stage}: incumbent ${best === null ? '—' : (best as { objective: number }).objective}`);
  const step = pr.integral ? 1 : 1e-9;
  const cutoff = (): number => (best === null ? Infinity : best.objective - step);

  // 1. Heuristic upper bound.
  const iterationsPerPhase = 20_000 * n;
  // Phase 1 also ends after a long stall, which makes small instances finish independently of the clock.
  let h = runHeuristic(pr, { seed, maxIterations: iterationsPerPhase, stallIterations: Math.max(20_000, 1_000 * n), deadline: at(0.2) });
  if (h.late === 0) {
    offer(sequencesToAssignments(pr, h.sequences));
  }

  log('heuristic');
  // 2. Lagrangian bound; removes variables that cannot be in a better plan.
  const ti = buildTimeIndexed(pr);
  let lag = lagrangianBound(pr, ti, { cutoff: cutoff(), maxIterations: 20_000, patience: 200, deadline: at(0.45) });
  let lowerBound = lag.bound;
  log(`lagrangian bound ${lag.bound} after ${lag.iterations} iterations, ${countAlive(ti)} variables left`);
  const proven = (): boolean => lag.emptyShip || (best !== null && lowerBound >= (best as { objective: number }).objective - 1e-9);

  // 3. Heuristic again (from its best plan) in slices, stopping once it reaches the bound; after each
  //    improvement the Lagrangian is resumed with the lower cutoff (more fixing, sometimes the proof).
  //    When the model is small enough for the MIP, the heuristic leaves it at least the last 40 % of the
  //    time, and all of the rest as soon as a slice improves nothing once the bound has converged.
  const incumbentCost = (): number => (best as { objective: number } | null)?.objective ?? Infinity;
  let seedOffset = 1;
  // Heuristic slices in a row that improved nothing. When the MIP is worth running and the bound has
  // converged, one idle slice hands the rest of the time to the MIP: waiting longer for the heuristic
  // only shortens the MIP, which also improves the plan if it can (ADR 0006, "What we measured").
  let idleSlices = 0;
  // The MIP is worth its time on small reduced models, or when the gap is tiny.
  const mipUseful = (): boolean =>
    options.exact !== false &&
    (countAlive(ti) <= SMALL_MIP_VARIABLES ||
      (countAlive(ti) <= MAX_MIP_VARIABLES && incumbentCost() - lowerBound <= 0.002 * incumbentCost()));
  while (!proven()) {
    if (best === null && countAlive(ti) <= MAX_MIP_VARIABLES) {
      break; // no plan yet: the MIP finds one or proves there is none
    }
    const end = mipUseful() ? at(0.6) : at(0.95);
    if (Date.now() >= end - 0.02 * limit) {
      break;
    }
    if (mipUseful() && lag.converged && idleSlices >= 1) {
      break;
    }
    const before = incumbentCost();
    h = runHeuristic(pr, {
      seed: seed + seedOffset++,
      maxIterations: iterationsPerPhase,
      deadline: Math.min(end, Date.now() + limit * 0.1),
      target: lowerBound,
      initial: h.sequences,
    });
    if (h.late === 0) {
      offer(sequencesToAssignments(pr, h.sequences));
    }
    idleSlices = incumbentCost() < before ? 0 : idleSlices + 1;
    if ((incumbentCost() < before || !lag.converged) && !proven() && Date.now() < end) {
      lag = lagrangianBound(pr, ti, {
        cutoff: cutoff(),
        maxIterations: 20_000,
        patience: lag.converged ? 50 : 200,
        theta: lag.converged ? 1 : lag.theta,
        deadline: Math.min(at(0.95), Date.now() + limit * 0.05),
        lambda: lag.lambda,
      });
      lowerBound = Math.max(lowerBound, lag.bound);
      log(`lagrangian again: bound ${lowerBound}, ${countAlive(ti)} variables left`);
    }
  }

  log(`second heuristic, bound ${lowerBound}`);
  // 4. The reduced time-indexed MIP.
  if (!proven() && (mipUseful() || best === null)) {
    // HiGHS overruns its limit somewhat (model set-up, uninterruptible steps): keep a margin.
    const remaining = ((started + limit - Date.now()) / 1000) * 0.8 - 0.3;
    if (remaining > 0.3) {
      const mip = await solveTimeIndexedMip(pr, ti, remaining, (best as { assignments: Assignment[] } | null)?.assignments ?? null);
      const incumbent = (best as { objective: number } | null)?.objective ?? Infinity;
      if (mip.kind === 'optimal') {
        offer(mip.assignments);
        lowerBound = Math.max(lowerBound, Math.min(incumbent, mip.objective));
      } else if (mip.kind === 'infeasible') {
        // No plan better than the incumbent exists (or, without one, no plan at all).
        lowerBound = incumbent;
        if (best === null) {
          return { status: 'infeasible', objective: null, lowerBound: null, assignments: [], seconds: seconds() };
        }
      } else {
        if (mip.best !== null) {
          offer(mip.best.assignments);
        }
        const b = pr.integral ? Math.ceil(mip.bound - 1e-6) : mip.bound;
        lowerBound = Math.max(lowerBound, Math.min(incumbent, b));
      }
    }
  }

  log(`mip, bound ${lowerBound}`);
  // 5. Time left (no MIP, or it ended early without proof): more heuristic search towards the bound.
  if (!proven() && Date.now() < at(0.9) && best !== null) {
    h = runHeuristic(pr, {
      seed: seed + 2,
      maxIterations: iterationsPerPhase,
      deadline: at(0.97),
      target: lowerBound,
      initial: h.sequences,
    });
    if (h.late === 0) {
      offer(sequencesToAssignments(pr, h.sequences));
    }
  }

  const final = best as { objective: number; assignments: Assignment[] } | null;
  if (final === null) {
    if (lag.emptyShip) {
      return { status: 'infeasible', objective: null, lowerBound: null, assignments: [], seconds: seconds() };
    }
    return { status: 'no-solution', objective: null, lowerBound, assignments: [], seconds: seconds() };
  }
  if (lag.emptyShip) {
    lowerBound = final.objective;
  }
  lowerBound = Math.min(lowerBound, final.objective);
  const assignments = [...final.assignments].sort((x, y) => x.ship - y.ship);
  return {
    status: lowerBound >= final.objective - 1e-9 ? 'optimal' : 'feasible',
    objective: final.objective,
    lowerBound,
    assignments,
    seconds: seconds(),
  };
};
