import fs from 'node:fs';
import type { Command } from 'commander';
import { DbapParseError, parseDbap, solve } from '../optimisation/berth-allocation/index.ts';

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const err = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const positiveNumber = (name: string, value: string): number => {
  const v = Number(value);
  if (!Number.isFinite(v) || v <= 0) {
    throw new Error(`${name} must be a positive number, got "${value}"`);
  }
  return v;
};

/** `portcluster berth-plan FILE`: solves a DBAP instance file (exit 2 on a bad file, 1 without a plan). */
export const registerBerthPlan = (program: Command): void => {
  program
    .command('berth-plan')
    .description('Optimise berth allocation for a DBAP instance file (total weighted waiting + handling time)')
    .argument('<file>', 'instance in the DBAP text format (Lalla-Ruiz et al. 2012; Kramer et al. 2019)')
    .option('--time-limit <seconds>', 'wall-clock limit in seconds', '10')
    .option('--seed <n>', 'seed of the heuristic (same seed and machine speed → same plan)', '1')
    .option('--json', 'print {"objective", "lowerBound", "status", "assignments": [{"ship", "berth", "start"}]} (0-based indices)')
    .action(async (file: string, opts: { timeLimit: string; seed: string; json?: boolean }) => {
      const timeLimitSeconds = positiveNumber('--time-limit', opts.timeLimit);
      const seed = Number(opts.seed);
      if (!Number.isInteger(seed)) {
        throw new Error(`--seed must be an integer, got "${opts.seed}"`);
      }
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (e) {
        err(`error: cannot read ${file}: ${(e as Error).message}`);
        process.exitCode = 2;
        return;
      }
      let instance;
      try {
        instance = parseDbap(text);
      } catch (e) {
        if (e instanceof DbapParseError) {
          err(`error: ${file}: ${e.message}`);
          process.exitCode = 2;
          return;
        }
        throw e;
      }
      const r = await solve(instance, { timeLimitSeconds, seed });
      if (r.status === 'infeasible' || r.status === 'no-solution') {
        const why =
          r.status === 'infeasible'
            ? 'the instance is infeasible: no plan meets every berth window and latest departure'
            : `no feasible plan found within ${timeLimitSeconds} s (not proven infeasible)`;
        if (opts.json === true) {
          out(JSON.stringify({ objective: null, lowerBound: r.lowerBound, status: r.status, assignments: [] }));
        }
        err(why);
        process.exitCode = 1;
        return;
      }
      if (opts.json === true) {
        out(JSON.stringify({ objective: r.objective, lowerBound: r.lowerBound, status: r.status, assignments: r.assignments }));
        return;
      }
      const ships = instance.ships;
      out(`Ships ${ships.length}, berths ${instance.berths.length}; ${r.status} in ${r.seconds.toFixed(1)} s`);
      out(`Total weighted service time ${r.objective}, lower bound ${r.lowerBound}${r.status === 'optimal' ? ' (proven optimal)' : ''}`);
      out('');
      out(
        `${'ship'.padStart(5)} ${'berth'.padStart(5)} ${'arrival'.padStart(8)} ${'start'.padStart(6)} ${'end'.padStart(6)} ${'wait'.padStart(5)}`,
      );
      for (const a of r.assignments) {
        const s = ships[a.ship];
        const end = a.start + (instance.handling[a.ship]?.[a.berth] ?? 0);
        const arrival = s?.arrival ?? 0;
        out(
          `${String(a.ship).padStart(5)} ${String(a.berth).padStart(5)} ${String(arrival).padStart(8)} ${String(a.start).padStart(6)} ${String(end).padStart(6)} ${String(a.start - arrival).padStart(5)}`,
        );
      }
    });
};
