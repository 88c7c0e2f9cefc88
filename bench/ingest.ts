/**
 * Durable ingest benchmark (issue 5): terminal events through the real HTTP batch endpoint
 * (POST /api/v1/container-events) of a spawned `portcluster serve --demo`, on PostgreSQL and on
 * PGlite, and — in the same run, on the same PostgreSQL database — the ceiling of the machine:
 * pgbench writing the same rows per batch with no application (bench/ingest-ceiling.sql).
 *
 *   npx tsx bench/ingest.ts [--db postgres|pglite|both] [--events 200000] [--pglite-events 50000]
 *                           [--batch 1000] [--clients 4] [--ceiling-seconds 15]
 *                           [--no-ceiling] [--no-chain-check] [--keep-db]
 *
 * --batch and --clients take comma lists (e.g. --batch 500,1000,2000 --clients 1,2,4): each
 * combination is a separate run on a fresh database. PostgreSQL: PGHOST/PGPORT/PGUSER (default
 * 127.0.0.1:5432, postgres); the bench creates and drops its own databases.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { containerNumber } from '../src/core/codes.ts';
import { api, rng } from './lib/api.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GOAL_EVENTS_PER_S = 10_000;
const GOAL_RATIO = 0.6;
const BOXES_PER_MANIFEST = 1_000; // keeps each filing under the default 1 MiB body limit
const CALLS = 6; // one per QQCT berth

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'both' },
    events: { type: 'string', default: '200000' },
    'pglite-events': { type: 'string', default: '50000' },
    batch: { type: 'string', default: '1000' },
    clients: { type: 'string', default: '4' },
    'ceiling-seconds': { type: 'string', default: '15' },
    'no-ceiling': { type: 'boolean', default: false },
    'no-chain-check': { type: 'boolean', default: false },
    'keep-db': { type: 'boolean', default: false },
  },
});
const positive = (name: string, raw: string): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`--${name} must be a positive integer, got "${raw}"`);
  }
  return n;
};
const list = (name: string, raw: string): number[] => raw.split(',').map((x) => positive(name, x.trim()));
const dbKinds = values.db === 'both' ? (['postgres', 'pglite'] as const) : [values.db];
if (!dbKinds.every((k) => k === 'postgres' || k === 'pglite')) {
  throw new Error(`--db must be postgres, pglite or both, got "${values.db}"`);
}
const pgEvents = positive('events', values.events);
const pgliteEvents = positive('pglite-events', values['pglite-events']);
const batches = list('batch', values.batch);
const clientCounts = list('clients', values.clients);
const ceilingSeconds = positive('ceiling-seconds', values['ceiling-seconds']);

const PG = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? 'postgres',
};
const pgUrl = (database: string): string => `postgres://${PG.user}@${PG.host}:${PG.port}/${database}`;
const withPg = async <T>(database: string, fn: (c: pg.Client) => Promise<T>): Promise<T> => {
  const c = new pg.Client({ ...PG, database });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
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
const log = (s: string): void => {
  process.stdout.write(`${s}\n`);
};
const loadavg = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};

// CPU seconds of one process (utime + stime) and of the whole machine, from /proc.
const CLK_TCK = 100;
const procCpuS = (pid: number): number => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
};
const machineCpu = (): { busy: number; total: number } => {
  const f = (fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - (f[3] ?? 0) - (f[4] ?? 0), total };
};

/** CPU seconds so far of each PostgreSQL backend serving the database (local server only). */
const backendCpu = async (database: string): Promise<Map<number, number>> => {
  const pids = await withPg('postgres', (c) =>
    c.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [database]),
  );
  const cpu = new Map<number, number>();
  for (const { pid } of pids.rows) {
    try {
      cpu.set(pid, procCpuS(pid));
    } catch {
      // gone, or not on this machine
    }
  }
  return cpu;
};

type Server = { port: number; pid: number; stop: () => Promise<void>; output: () => string };

const startServer = async (env: NodeJS.ProcessEnv): Promise<Server> => {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['bin/portcluster.js', 'serve', '--demo'], {
    cwd: ROOT,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  let exited = false;
  const exit = new Promise<void>((r) =>
    child.once('exit', () => {
      exited = true;
      r();
    }),
  );
  // Request logs are drained, not kept: only the start-up lines matter for errors.
  for (const s of [child.stdout, child.stderr]) {
    s?.setEncoding('utf8');
    s?.on('data', (chunk: string) => {
      if (out.length < 200) {
        out.push(chunk);
      }
    });
  }
  const t0 = Date.now();
  for (;;) {
    if (exited) {
      throw new Error(`server exited during start:\n${out.join('')}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      await res.arrayBuffer();
      if (res.status === 200) {
        break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() - t0 > 180_000) {
      child.kill('SIGKILL');
      throw new Error(`server not ready in 180 s:\n${out.join('')}`);
    }
    await sleep(100);
  }
  return {
    port,
    pid: child.pid as number,
    output: () => out.join(''),
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exit;
      clearTimeout(timer);
    },
  };
};

const OWNERS = ['MSC', 'COS', 'OOL', 'EGL', 'MAE', 'CMA', 'HLX', 'ONE', 'YML', 'ZIM'];
const boxNumber = (i: number): string => containerNumber(OWNERS[i % OWNERS.length] as string, 100_000 + Math.floor(i / OWNERS.length));
const GOODS = [
  { description: 'New pneumatic tyres for lorries', hsCode: '401120', packageType: 'PK' },
  { description: 'Portable computers', hsCode: '847130', packageType: 'CT' },
  { description: 'Smartphones', hsCode: '851713', packageType: 'CT' },
  { description: 'Soybeans not for sowing, bagged', hsCode: '120190', packageType: 'BG' },
];
const HOUR = 3_600_000;
// Deterministic pseudo-random numbers, so every run sends the same kind of stream.

type Cluster = { terminalToken: string; calls: { id: string; boxes: string[]; berthAt: number }[] };

/**
 * The demo cluster's share of the run: calls at the six QQCT berths (QQCT is the only demo
 * terminal organisation with a user, so Rizhao and Yantai terminals cannot serve a call here),
 * each with import manifests of 1,000 boxes, so every box is a visit the terminal may report on.
 */
const setUpCluster = async (port: number, boxes: number): Promise<Cluster> => {
  const { must, login } = api(port);
  const agent = await login('agent');
  const terminal = await login('terminal');
  const officer = await login('officer');
  const now = Date.now();
  const perCall = Math.ceil(boxes / CALLS);
  const calls: Cluster['calls'] = [];
  for (let c = 0; c < CALLS; c++) {
    // Berthed 12 days ago and later, so every event of the stream lies in the past.
    const berthAt = now - 12 * 24 * HOUR + c * 6 * HOUR;
    const call = (await must(201, agent, 'POST', '/api/v1/port-calls', {
      portLocode: 'CNTAO',
      declaredCode: { portCode: 'CNQGD', customsCode: '4218' },
      vessel: { imo: ['1001037', '1001049', '1001051'][c % 3], draftM: 13.5 },
      voyage: `B${String(c + 1).padStart(2, '0')}E-${now.toString(36)}`,
      lastPort: 'KRPUS',
      lastPortDeparture: new Date(berthAt - 40 * HOUR).toISOString(),
      eta: new Date(berthAt - 2 * HOUR).toISOString(),
      etd: new Date(berthAt + 36 * HOUR).toISOString(),
      purpose: 'cargo',
      cargoType: 'container',
      crewCount: 22,
      dangerousGoods: false,
    })) as { id: string };
    const berths = (await must(200, terminal, 'GET', '/api/v1/berths?q=QQCT-0&limit=50')) as {
      items: { id: string; code: string }[];
    };
    const berth = berths.items.find((b) => b.code === `QQCT-0${c + 1}`);
    if (berth === undefined) {
      throw new Error(`berth QQCT-0${c + 1} not found`);
    }
    await must(200, terminal, 'POST', `/api/v1/port-calls/${call.id}/berth-plan`, {
      berthId: berth.id,
      start: new Date(berthAt).toISOString(),
      end: new Date(berthAt + 30 * HOUR).toISOString(),
    });
    const numbers = Array.from({ length: Math.min(perCall, boxes - c * perCall) }, (_, i) => boxNumber(c * perCall + i));
    for (let m = 0; m * BOXES_PER_MANIFEST < numbers.length; m++) {
      const chunk = numbers.slice(m * BOXES_PER_MANIFEST, (m + 1) * BOXES_PER_MANIFEST);
      // One bill per 4 boxes, one goods line per bill: a typical consolidated import manifest.
      const bills = [];
      for (let b = 0; b * 4 < chunk.length; b++) {
        const g = GOODS[b % GOODS.length] as (typeof GOODS)[number];
        bills.push({
          number: `MEDU${c}${m}${String(b).padStart(5, '0')}`,
          shipper: 'Busan Trading Co',
          consignee: 'Qingdao Import Co',
          placeOfLoading: 'KRPUS',
          placeOfDischarge: 'CNTAO',
          goods: [{ ...g, packages: 100, grossKg: 18_000, equipment: chunk.slice(b * 4, b * 4 + 4) }],
        });
      }
      await must(201, agent, 'POST', '/api/v1/manifests', {
        kind: 'import-original',
        portCallId: call.id,
        documentNumber: `MF-${c}-${m}`,
        bills,
        equipment: chunk.map((number, i) => ({ number, sizeType: i % 3 === 0 ? '22G1' : '45G1', fullness: 'full' })),
      });
    }
    // Customs releases every box on berthing (not timed): the stream's gate-outs are then lawful, as
    // in a real terminal; an unreleased one would raise the interlock alarm the benchmark is not about.
    for (let r = 0; r < numbers.length; r += 5_000) {
      await must(200, officer, 'POST', '/api/v1/container-events', {
        events: numbers.slice(r, r + 5_000).map((number) => ({
          eventId: `REL-${now.toString(36)}-${number}`,
          kind: 'customs-release',
          containerNumber: number,
          occurredAt: new Date(berthAt).toISOString(),
          portCallId: call.id,
        })),
      });
    }
    calls.push({ id: call.id, boxes: numbers, berthAt });
  }
  return { terminalToken: terminal, calls };
};

type Event = {
  eventId: string;
  kind: string;
  containerNumber: string;
  occurredAt: string;
  location: string;
  portCallId: string;
  vehicle?: string;
};

/**
 * Each box: discharge within the call's first day, 2–6 yard moves hours apart, terminal release,
 * gate-out by truck. All events of all boxes are sent in event-time order, as a terminal system
 * would forward them, cut into batches.
 */
const eventStream = (cluster: Cluster, total: number, tag: string): Event[] => {
  const rand = rng(42);
  const events: (Event & { t: number })[] = [];
  const block = (): string =>
    `QQCT/Y${String(1 + Math.floor(rand() * 40)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 30)).padStart(2, '0')}-${1 + Math.floor(rand() * 5)}`;
  outer: for (let round = 0; ; round++) {
    for (const call of cluster.calls) {
      for (const number of call.boxes) {
        let t = call.berthAt + rand() * 24 * HOUR;
        const moves = 2 + Math.floor(rand() * 5);
        const kinds = ['discharge', ...Array<string>(moves).fill('yard-move'), 'terminal-release', 'gate-out'];
        for (const [k, kind] of kinds.entries()) {
          events.push({
            t,
            eventId: `${tag}-${number}-${round}-${k}`,
            kind,
            containerNumber: number,
            occurredAt: new Date(t).toISOString(),
            location: kind === 'gate-out' ? 'QQCT/GATE-3' : block(),
            portCallId: call.id,
            ...(kind === 'gate-out' ? { vehicle: `鲁B${String(10_000 + Math.floor(rand() * 89_999))}` } : {}),
          });
          t += (1 + rand() * 20) * HOUR;
        }
        if (events.length >= total) {
          break outer;
        }
      }
    }
  }
  events.length = total;
  events.sort((a, b) => a.t - b.t);
  return events.map(({ t: _t, ...e }) => e);
};

type Sample = Record<string, number>;

/**
 * Samples what the bench database's backends do, every 10 ms: active backends by wait event and
 * statement, and separately the backend holding the event-chain lock (the app's serial section;
 * "idle in transaction" there is time the server spends between statements with the lock held).
 */
const sampleActivity = (database: string): { stop: () => Promise<{ all: Sample; holder: Sample }> } => {
  const all: Sample = {};
  const holder: Sample = {};
  let running = true;
  const loop = withPg('postgres', async (c) => {
    while (running) {
      const r = await c.query<{ holds: boolean; what: string }>(
        `select l.pid is not null as holds,
                case when a.state = 'active' then coalesce(a.wait_event_type || ':' || a.wait_event, 'cpu') else a.state end || ' | ' ||
                regexp_replace(left(regexp_replace(ltrim(a.query), '\\s+', ' ', 'g'), 44), '\\$\\d+', '$', 'g') as what
         from pg_stat_activity a
         left join pg_locks l on l.pid = a.pid and l.locktype = 'advisory' and l.objid = 74290002 and l.granted
         where a.datname = $1 and a.pid <> pg_backend_pid() and (a.state = 'active' or l.pid is not null)`,
        [database],
      );
      let held = false;
      for (const { holds, what } of r.rows) {
        if (holds) {
          held = true;
          holder[what] = (holder[what] ?? 0) + 1;
        } else if (!what.startsWith('idle')) {
          all[what] = (all[what] ?? 0) + 1;
        }
      }
      if (!held) {
        holder['(lock free)'] = (holder['(lock free)'] ?? 0) + 1;
      }
      await sleep(10);
    }
  });
  return {
    stop: async () => {
      running = false;
      await loop;
      return { all, holder };
    },
  };
};

type RunResult = {
  db: 'postgres' | 'pglite';
  batch: number;
  clients: number;
  events: number;
  boxes: number;
  wallS: number;
  eventsPerS: number;
  p50: number;
  p99: number;
  max: number;
  serverCpu: number;
  dbCpu: number | null;
  machineBusy: number;
  activity?: { all: Sample; holder: Sample };
  /** Parameters of COUNT_SQL: the run's event id pattern and call ids. */
  rowsOf: [string, string[]];
  ceiling?: { lock: Ceiling; noLock: Ceiling };
};
type Ceiling = { tps: number; eventsPerS: number; latAvgMs: number; p99Ms: number };

/** Sends pre-serialised batches from `clients` concurrent keep-alive clients; every event must be accepted. */
const drive = async (
  port: number,
  token: string,
  bodies: { json: string; n: number }[],
  clients: number,
): Promise<{ wallS: number; latencies: number[] }> => {
  let next = 0;
  const latencies: number[] = [];
  let accepted = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < bodies.length; i = next++) {
        const b = bodies[i] as { json: string; n: number };
        const t = performance.now();
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/container-events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: b.json,
        });
        const text = await res.text();
        latencies.push(performance.now() - t);
        if (res.status !== 200) {
          throw new Error(`batch ${i}: HTTP ${res.status} ${text.slice(0, 1000)}`);
        }
        const r = JSON.parse(text) as { accepted: number; duplicates: number; rejected: number; results: { status: string }[] };
        if (r.accepted !== b.n) {
          const bad = r.results.find((x) => x.status !== 'accepted');
          throw new Error(
            `batch ${i}: ${r.accepted} of ${b.n} accepted, ${r.duplicates} duplicates, ${r.rejected} rejected: ${JSON.stringify(bad)}`,
          );
        }
        accepted += r.accepted;
      }
    }),
  );
  const wallS = (performance.now() - t0) / 1000;
  if (accepted !== bodies.reduce((s, b) => s + b.n, 0)) {
    throw new Error(`accepted ${accepted} events, sent ${bodies.reduce((s, b) => s + b.n, 0)}`);
  }
  return { wallS, latencies };
};

// Only this run's rows: the demo seed may file boxes and events of its own.
const COUNT_SQL = `select
  (select count(*) from container_events where sender_event_id like $1)::int as container_events,
  (select count(*) from events where aggregate_type = 'container' and payload->>'senderEventId' like $1)::int as events,
  (select count(*) from outbox o join events e on e.seq = o.event_seq
    where e.aggregate_type = 'container' and e.payload->>'senderEventId' like $1)::int as outbox,
  (select count(*) from container_events e join containers c on c.id = e.container_id
    where c.port_call_id = any($2::text[]) and e.kind <> 'customs-release')::int as flagged,
  (select count(*) from containers c where c.port_call_id = any($2::text[])
    and exists (select 1 from container_events e where e.container_id = c.id and e.kind = 'gate-out'))::int as gated_out`;
type Counts = { container_events: number; events: number; outbox: number; flagged: number; gated_out: number };

const checkCounts = (c: Counts, events: number): void => {
  const bad = (['container_events', 'events', 'outbox', 'flagged'] as const).filter((k) => c[k] !== events);
  if (bad.length > 0) {
    throw new Error(`rows missing after the run (expected ${events} each): ${JSON.stringify(c)}`);
  }
};

const verifyChain = (env: NodeJS.ProcessEnv): string => {
  const out = execFileSync(process.execPath, ['bin/portcluster.js', 'audit', 'verify'], { cwd: ROOT, env, encoding: 'utf8' });
  return out.trim().split('\n').at(-1) ?? '';
};

const baseEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // The job runner is off: it would drain the outbox (webhook fan-out) while we measure the
    // write path; the fan-out job is still enqueued in every batch's transaction.
    PORTCLUSTER_JOBS: 'off',
    PORTCLUSTER_RATE_LIMIT: '1000000',
    PORTCLUSTER_TOKEN_TTL: '7200',
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  delete env.PORTCLUSTER_DATA;
  return env;
};

/** pgbench with the ceiling script on the run's database; p99 from the per-transaction log. */
const pgbench = (database: string, batch: number, clients: number, region: number, boxes: number, lock: boolean): Ceiling => {
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-pgbench-'));
  try {
    const out = execFileSync(
      'pgbench',
      [
        ...['-h', PG.host, '-p', String(PG.port), '-U', PG.user, '-n', '-M', 'prepared'],
        ...['-c', String(clients), '-j', String(Math.min(2, clients)), '-T', String(ceilingSeconds)],
        ...['-D', `batch=${batch}`, '-D', `lock=${lock ? 1 : 0}`, '-D', `region=${region}`, '-D', `boxes=${boxes}`],
        ...['-f', path.join(ROOT, 'bench', 'ingest-ceiling.sql'), '-l', '--log-prefix', path.join(logDir, 'tx'), database],
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1]);
    const latAvgMs = Number(/latency average = ([\d.]+) ms/.exec(out)?.[1]);
    const lat: number[] = [];
    for (const f of fs.readdirSync(logDir)) {
      for (const line of fs.readFileSync(path.join(logDir, f), 'utf8').split('\n')) {
        const us = Number(line.split(' ')[2]);
        if (line !== '' && Number.isFinite(us)) {
          lat.push(us / 1000);
        }
      }
    }
    if (!/number of failed transactions: 0 /.test(out) && /failed transactions/.test(out)) {
      throw new Error(`pgbench reported failures:\n${out}`);
    }
    return { tps, eventsPerS: tps * batch, latAvgMs, p99Ms: pct(lat, 99) };
  } finally {
    fs.rmSync(logDir, { recursive: true, force: true });
  }
};

const ceiling = async (database: string, batch: number, clients: number): Promise<RunResult['ceiling']> => {
  // A numbered lookup of the run's boxes with what an audit row carries; the API run's rows stay.
  const boxes = await withPg(database, async (c) => {
    await c.query(`create table bench_boxes as
      select (row_number() over (order by c.id) - 1)::int as n, c.id, c.number, c.port_call_id, c.district_code,
             pc.terminal_org_ids[1] as terminal_org_id, array[pc.agent_org_id] || pc.terminal_org_ids as org_ids,
             (select id from users where username = 'terminal') as user_id
      from containers c join port_calls pc on pc.id = c.port_call_id`);
    await c.query('create unique index on bench_boxes (n)');
    await c.query('analyze bench_boxes');
    return (await c.query<{ n: number }>('select count(*)::int as n from bench_boxes')).rows[0]?.n ?? 0;
  });
  if (boxes < batch) {
    throw new Error(`ceiling: ${boxes} boxes are too few for a batch of ${batch}`);
  }
  // With too few boxes for a region each, regions wrap and may overlap (row waits).
  const region = Math.max(batch, Math.floor(boxes / clients));
  const lock = pgbench(database, batch, clients, region, boxes, true);
  const noLock = pgbench(database, batch, clients, region, boxes, false);
  return { lock, noLock };
};

const runPostgres = async (events: number, batch: number, clients: number): Promise<RunResult> => {
  const database = `bench_ingest_${process.pid}_${batch}_${clients}`;
  await withPg('postgres', (c) => c.query(`create database ${database}`));
  try {
    const env = { ...baseEnv(), DATABASE_URL: pgUrl(database) };
    const result = await runApi('postgres', env, events, batch, clients, database);
    await withPg(database, async (c) => {
      const counts = (await c.query<Counts>(COUNT_SQL, result.rowsOf)).rows[0] as Counts;
      checkCounts(counts, events);
      log(`  rows: ${JSON.stringify(counts)}`);
    });
    if (!values['no-chain-check']) {
      log(`  ${verifyChain(env)}`);
    }
    if (!values['no-ceiling']) {
      result.ceiling = await ceiling(database, batch, clients);
    }
    return result;
  } finally {
    if (values['keep-db']) {
      log(`  kept database ${database}`);
    } else {
      await withPg('postgres', (c) => c.query(`drop database if exists ${database} with (force)`));
    }
  }
};

const runPglite = async (events: number, batch: number, clients: number): Promise<RunResult> => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-pglite-'));
  try {
    const env = { ...baseEnv(), PORTCLUSTER_DATA: dir };
    const result = await runApi('pglite', env, events, batch, clients, null);
    // The server holds the data dir while it runs; it is stopped now, so open it here.
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create(dir);
    const counts = (await db.query<Counts>(COUNT_SQL, result.rowsOf)).rows[0] as Counts;
    const settings = await db.query<{ name: string; setting: string }>(
      `select name, setting from pg_settings where name in ('synchronous_commit', 'fsync', 'wal_sync_method')`,
    );
    await db.close();
    checkCounts(counts, events);
    log(`  rows: ${JSON.stringify(counts)}`);
    log(`  PGlite settings: ${settings.rows.map((r) => `${r.name}=${r.setting}`).join(', ')}`);
    if (!values['no-chain-check']) {
      log(`  ${verifyChain(env)}`);
    }
    return result;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
};

const runApi = async (
  db: 'postgres' | 'pglite',
  env: NodeJS.ProcessEnv,
  events: number,
  batch: number,
  clients: number,
  database: string | null,
): Promise<RunResult> => {
  log(`\n[${db}] ${events} events, batch ${batch}, ${clients} client(s); load average ${loadavg()}`);
  const server = await startServer(env);
  try {
    const boxes = Math.ceil(events / 6); // 6 events a box on average
    const t0 = performance.now();
    const cluster = await setUpCluster(server.port, boxes);
    log(
      `  set-up: ${CALLS} calls, ${boxes} boxes on ${Math.ceil(boxes / BOXES_PER_MANIFEST) + CALLS - 1} manifests in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const tag = `r${Date.now().toString(36)}`;
    const stream = eventStream(cluster, events, tag);
    const bodies: { json: string; n: number }[] = [];
    for (let i = 0; i < stream.length; i += batch) {
      const chunk = stream.slice(i, i + batch);
      bodies.push({ json: JSON.stringify({ events: chunk }), n: chunk.length });
    }
    const cpu0 = procCpuS(server.pid);
    const m0 = machineCpu();
    const db0 = database === null ? null : await backendCpu(database);
    const sampler = database === null ? null : sampleActivity(database);
    const { wallS, latencies } = await drive(server.port, cluster.terminalToken, bodies, clients);
    const activity = await sampler?.stop();
    const serverCpu = procCpuS(server.pid) - cpu0;
    let dbCpu: number | null = null;
    if (database !== null && db0 !== null) {
      dbCpu = 0;
      for (const [pid, s] of await backendCpu(database)) {
        dbCpu += s - (db0.get(pid) ?? 0);
      }
    }
    const m1 = machineCpu();
    const r: RunResult = {
      db,
      batch,
      clients,
      events,
      boxes,
      wallS,
      eventsPerS: events / wallS,
      p50: pct(latencies, 50),
      p99: pct(latencies, 99),
      max: Math.max(...latencies),
      serverCpu: serverCpu / wallS,
      dbCpu: dbCpu === null ? null : dbCpu / wallS,
      machineBusy: (m1.busy - m0.busy) / (m1.total - m0.total),
      ...(activity === undefined ? {} : { activity }),
      rowsOf: [`${tag}-%`, cluster.calls.map((c) => c.id)],
    };
    log(
      `  ${Math.round(r.eventsPerS)} events/s (${wallS.toFixed(2)} s), batch latency p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms, max ${r.max.toFixed(0)} ms; server CPU ${(r.serverCpu * 100).toFixed(0)} % of a core${r.dbCpu === null ? '' : `, its PostgreSQL backends ${(r.dbCpu * 100).toFixed(0)} %`}, machine ${(r.machineBusy * 100).toFixed(0)} % busy`,
    );
    return r;
  } finally {
    await server.stop();
  }
};

const pgVersionAndSettings = async (): Promise<string> =>
  withPg('postgres', async (c) => {
    const v = (await c.query<{ v: string }>('select version() as v')).rows[0]?.v ?? '';
    const s = await c.query<{ name: string; setting: string }>(
      `select name, setting from pg_settings
       where name in ('synchronous_commit', 'fsync', 'wal_sync_method', 'full_page_writes', 'shared_buffers', 'max_wal_size', 'commit_delay')
       order by name`,
    );
    return `${v}\n  ${s.rows.map((r) => `${r.name}=${r.setting}`).join(', ')}`;
  });

const main = async (): Promise<void> => {
  const cpus = os.cpus();
  log(
    `CPU: ${cpus[0]?.model ?? 'unknown'}, ${cpus.length} cores; memory ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; node ${process.version}`,
  );
  log(`load average at start: ${loadavg()}`);
  if (dbKinds.includes('postgres')) {
    const info = await pgVersionAndSettings();
    log(info);
    if (!/synchronous_commit=on/.test(info) || !/fsync=on/.test(info)) {
      throw new Error('synchronous_commit and fsync must be on for a durable-ingest figure');
    }
  }
  const results: RunResult[] = [];
  for (const kind of dbKinds) {
    for (const batch of batches) {
      for (const clients of clientCounts) {
        results.push(kind === 'postgres' ? await runPostgres(pgEvents, batch, clients) : await runPglite(pgliteEvents, batch, clients));
      }
    }
  }

  log(
    '\n| db | batch | clients | events | events/s | p50 ms | p99 ms | server CPU | PG CPU | machine busy | ceiling ev/s (lock) | ratio | ceiling ev/s (no lock) | ratio |',
  );
  log(
    '| -- | ----: | ------: | -----: | -------: | -----: | -----: | ---------: | -----: | -----------: | ------------------: | ----: | ---------------------: | ----: |',
  );
  for (const r of results) {
    const c = r.ceiling;
    const ratio = (x: Ceiling | undefined): string => (x === undefined ? '' : `${((r.eventsPerS / x.eventsPerS) * 100).toFixed(0)} %`);
    log(
      `| ${r.db} | ${r.batch} | ${r.clients} | ${r.events} | ${Math.round(r.eventsPerS)} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ${(r.serverCpu * 100).toFixed(0)} % | ${r.dbCpu === null ? '' : `${(r.dbCpu * 100).toFixed(0)} %`} | ${(r.machineBusy * 100).toFixed(0)} % | ${c === undefined ? '' : Math.round(c.lock.eventsPerS)} | ${ratio(c?.lock)} | ${c === undefined ? '' : Math.round(c.noLock.eventsPerS)} | ${ratio(c?.noLock)} |`,
    );
  }
  for (const r of results) {
    if (r.ceiling !== undefined) {
      const f = (c: Ceiling): string => `${c.tps.toFixed(1)} tx/s, latency avg ${c.latAvgMs.toFixed(0)} ms, p99 ${c.p99Ms.toFixed(0)} ms`;
      log(`\nceiling, batch ${r.batch}, ${r.clients} client(s): with lock ${f(r.ceiling.lock)}; without ${f(r.ceiling.noLock)}`);
    }
    if (r.activity !== undefined) {
      const show = (title: string, sample: Sample): void => {
        const total = Object.values(sample).reduce((a, b) => a + b, 0);
        log(`${title} (batch ${r.batch}, ${r.clients} clients, ${total} samples):`);
        for (const [what, n] of Object.entries(sample)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 10)) {
          log(`  ${((n / total) * 100).toFixed(0).padStart(3)} %  ${what}`);
        }
      };
      show('other active backends by wait event | statement', r.activity.all);
      show('event-chain lock holder by state | statement', r.activity.holder);
    }
  }
  const best = results.filter((r) => r.db === 'postgres').sort((a, b) => b.eventsPerS - a.eventsPerS)[0];
  if (best !== undefined) {
    const ratio = best.ceiling === undefined ? null : best.eventsPerS / best.ceiling.lock.eventsPerS;
    log(
      `\nbest PostgreSQL: ${Math.round(best.eventsPerS)} events/s (batch ${best.batch}, ${best.clients} clients): goal ≥ ${GOAL_EVENTS_PER_S} ${best.eventsPerS >= GOAL_EVENTS_PER_S ? 'met' : 'NOT met'}` +
        (ratio === null
          ? ''
          : `; ${(ratio * 100).toFixed(0)} % of the ceiling with the lock (goal ≥ ${GOAL_RATIO * 100} %: ${ratio >= GOAL_RATIO ? 'met' : 'NOT met'})`),
    );
  }
  log(`load average at end: ${loadavg()}`);
};

await main();
