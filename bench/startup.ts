/**
 * Startup benchmark (issue 2): wall time from spawning `portcluster serve --demo` to the first
 * 200 from GET /readyz, on a fresh PGlite data dir (cold) and again on the same dir (warm),
 * next to same-run baselines that show what part is Node, module loading and PGlite itself.
 *
 *   npx tsx bench/startup.ts [--runs 3]
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const POLL_MS = 50;
const START_TIMEOUT_MS = 180_000;
const GOAL_COLD_S = 10;
const GOAL_WARM_S = 3;

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  throw new Error(`--runs must be a positive integer, got "${values.runs}"`);
}

// CPU time of reaped children (Linux /proc): children run one at a time, so a delta is one
// child's CPU use, which contention from other processes inflates far less than wall time.
const CLK_TCK = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();
const childCpuMs = (): number | null => {
  try {
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / CLK_TCK; // cutime + cstime
  } catch {
    return null;
  }
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });

// The app must use PGlite in its own dir, whatever the caller's shell has set.
const baseEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1' };
  delete env.DATABASE_URL;
  delete env.PORTCLUSTER_DATA;
  delete env.PORT;
  return env;
};

type Child = {
  /** Lines of stdout+stderr, each with ms since spawn when it arrived. */
  lines: { at: number; text: string }[];
  exited: Promise<number | null>;
  hasExited: () => boolean;
  kill: (signal: NodeJS.Signals) => void;
  output: () => string;
};

const start = (args: string[], env: NodeJS.ProcessEnv, t0: number): Child => {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Child['lines'] = [];
  let done = false;
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const at = performance.now() - t0;
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const text of parts) {
        lines.push({ at, text });
      }
    });
  }
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      done = true;
      resolve(code);
    });
  });
  return {
    lines,
    exited,
    hasExited: () => done,
    kill: (signal) => child.kill(signal),
    output: () => lines.map((l) => l.text).join('\n'),
  };
};

/** Spawn-to-first-200 in ms; the process is left running. */
const untilOk = async (child: Child, url: string, t0: number): Promise<number> => {
  while (performance.now() - t0 < START_TIMEOUT_MS) {
    if (child.hasExited()) {
      throw new Error(`process exited before ${url} answered 200:\n${child.output()}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) {
        return performance.now() - t0;
      }
    } catch {
      // not listening yet
    }
    await sleep(POLL_MS);
  }
  child.kill('SIGKILL');
  throw new Error(`${url} did not answer 200 within ${START_TIMEOUT_MS} ms:\n${child.output()}`);
};

/** SIGTERM, then ms until exit; a hung or unclean shutdown is reported. */
const stop = async (child: Child, expectClean = true): Promise<number> => {
  const t = performance.now();
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const code = await child.exited;
  clearTimeout(timer);
  const ms = performance.now() - t;
  if (expectClean && code !== 0) {
    process.stderr.write(`warning: exit code ${String(code)} after SIGTERM\n`);
  }
  return ms;
};

const results = new Map<string, { wall: number[]; cpu: number[] }>();
const record = (name: string, wallMs: number, cpuMs: number | null = null): void => {
  const r = results.get(name) ?? { wall: [], cpu: [] };
  r.wall.push(wallMs);
  if (cpuMs !== null) {
    r.cpu.push(cpuMs);
  }
  results.set(name, r);
};
const cpuSince = (before: number | null): number | null => {
  const now = childCpuMs();
  return before === null || now === null ? null : now - before;
};

/** Records wall and CPU time of a process that runs to completion (must exit 0). */
const runToExit = async (name: string, args: string[], env: NodeJS.ProcessEnv = baseEnv()): Promise<void> => {
  const cpu0 = childCpuMs();
  const t0 = performance.now();
  const child = start(args, env, t0);
  const code = await child.exited;
  const wall = performance.now() - t0;
  if (code !== 0) {
    throw new Error(`node ${args.join(' ')} exited ${String(code)}:\n${child.output()}`);
  }
  record(name, wall, cpuSince(cpu0));
};

// Stdout lines the server prints as it goes (src/cli/main.ts, src/server.ts): they split the
// in-process time into phases. Missing markers (warm runs apply and create nothing) merge phases.
const MARKERS: [string, RegExp][] = [
  ['migrated', /^Applied \d+ migration/],
  ['db open', /^Database: /],
  ['seeded', /^Reference data from /],
  ['users created', /^Created demo users: /],
  ['listening', /^PortCluster ready at /],
];

const serve = async (kind: 'cold' | 'warm', dataDir: string): Promise<void> => {
  const port = await freePort();
  const env = { ...baseEnv(), PORT: String(port), PORTCLUSTER_DATA: dataDir };
  const cpu0 = childCpuMs();
  const t0 = performance.now();
  const child = start(['bin/portcluster.js', 'serve', '--demo'], env, t0);
  let total: number;
  try {
    total = await untilOk(child, `http://127.0.0.1:${port}/readyz`, t0);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  const shutdown = await stop(child);
  // CPU is known only once the process is reaped, so it includes the (short) shutdown.
  record(`serve --demo, ${kind}: spawn → first 200 /readyz`, total, cpuSince(cpu0));
  let prev = { name: 'spawn', at: 0 };
  for (const [name, re] of MARKERS) {
    const line = child.lines.find((l) => re.test(l.text));
    if (line !== undefined) {
      record(`  ${kind} phase: ${prev.name} → ${name}`, line.at - prev.at);
      prev = { name, at: line.at };
    }
  }
  record(`  ${kind} phase: ${prev.name} → first 200`, total - prev.at);
  record(`serve --demo, ${kind}: SIGTERM → exit`, shutdown);
};

const HTTP_BASELINE = "require('http').createServer((q,s)=>s.end('ok')).listen(Number(process.env.PORT),'127.0.0.1')";
const PGLITE_OPEN =
  "import { PGlite } from '@electric-sql/pglite'; const db = await PGlite.create(process.argv[1]); await db.query('select 1'); await db.close();";

const baselineHttp = async (): Promise<void> => {
  const port = await freePort();
  const cpu0 = childCpuMs();
  const t0 = performance.now();
  const child = start(['-e', HTTP_BASELINE], { ...baseEnv(), PORT: String(port) }, t0);
  const wall = await untilOk(child, `http://127.0.0.1:${port}/`, t0);
  await stop(child, false); // no SIGTERM handler: exits by signal
  record('baseline: bare node http server → first 200', wall, cpuSince(cpu0));
};

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const sec = (ms: number): string => (ms / 1000).toFixed(2);
const loadavg = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

// Figures belong to a commit; local edits outside bench/ change them.
const gitState = (): string => {
  try {
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no', '--', '.', ':!bench') === '' ? '' : ' + uncommitted changes'}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
};

const main = async (): Promise<void> => {
  const cpus = os.cpus();
  const machine = [
    `CPU: ${cpus[0]?.model ?? 'unknown'}, ${cpus.length} cores`,
    `memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `node ${process.version}, ${os.platform()} ${os.release()}`,
    `load average at start: ${loadavg()}`,
    `code: ${gitState()}`,
  ];
  process.stdout.write(`${machine.join('\n')}\nruns: ${runs}\n\n`);

  // Unrecorded: fills tsx's transform cache so every recorded run starts from the same state.
  await runToExit('warm-up', ['bin/portcluster.js', '--help']);
  results.delete('warm-up');

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'portcluster-bench-'));
  try {
    for (let i = 1; i <= runs; i++) {
      process.stdout.write(`run ${i}/${runs}\n`);
      await baselineHttp();
      await runToExit('baseline: CLI module load (portcluster --help)', ['bin/portcluster.js', '--help']);
      await runToExit('baseline: CLI module load, tsx cache off', ['bin/portcluster.js', '--help'], {
        ...baseEnv(),
        TSX_DISABLE_CACHE: '1',
      });
      const pgDir = path.join(tmp, `pglite-${i}`);
      await runToExit('baseline: bare PGlite create on fresh dir + select 1', ['--input-type=module', '-e', PGLITE_OPEN, pgDir]);
      await runToExit('baseline: bare PGlite open existing dir + select 1', ['--input-type=module', '-e', PGLITE_OPEN, pgDir]);
      const appDir = path.join(tmp, `app-${i}`);
      await serve('cold', appDir);
      await serve('warm', appDir);
      fs.rmSync(pgDir, { recursive: true, force: true });
      fs.rmSync(appDir, { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  const width = Math.max(...[...results.keys()].map((k) => k.length));
  const rows = [...results.entries()].map(([name, { wall, cpu }]) => {
    const cells = [Math.min(...wall), median(wall), Math.max(...wall)].map((ms) => sec(ms).padStart(6));
    return `| ${name.padEnd(width)} | ${cells.join(' | ')} | ${(cpu.length > 0 ? sec(median(cpu)) : '').padStart(10)} |`;
  });
  const header = `| ${'measure (wall seconds)'.padEnd(width)} |    min | median |    max | median CPU |`;
  const rule = `| ${'-'.repeat(width)} | -----: | -----: | -----: | ---------: |`;
  process.stdout.write(`\n${header}\n${rule}\n${rows.join('\n')}\n\n`);
  const cold = median(results.get('serve --demo, cold: spawn → first 200 /readyz')?.wall ?? []);
  const warm = median(results.get('serve --demo, warm: spawn → first 200 /readyz')?.wall ?? []);
  process.stdout.write(`cold median ${sec(cold)} s (goal ≤ ${GOAL_COLD_S} s): ${cold <= GOAL_COLD_S * 1000 ? 'met' : 'NOT met'}\n`);
  process.stdout.write(`warm median ${sec(warm)} s (goal ≤ ${GOAL_WARM_S} s): ${warm <= GOAL_WARM_S * 1000 ? 'met' : 'NOT met'}\n`);
  process.stdout.write(`load average at end: ${loadavg()}\n`);
};

await main();
