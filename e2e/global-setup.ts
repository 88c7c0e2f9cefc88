import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ARTIFACTS, ROOT, WEB_INDEX } from './paths.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the server of this run listens, e.g. http://127.0.0.1:41234 */
    baseUrl: string;
    /** web/dist/index.html as the server served it at the start of the run. */
    webIndex: string;
  }
}

const READY_TIMEOUT_MS = 300_000; // a cold start (~7 s) plus a UI build on a busy machine
const STOP_TIMEOUT_MS = 15_000;

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const stop = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
};

/**
 * The REAL server, started as `npm start` does (`bin/portcluster.js serve --demo`) on a free port
 * with a fresh embedded database, for the whole run. bin/portcluster.js builds web/dist first when
 * it is missing or stale; PORTCLUSTER_WEB_BUILD=required makes a failed build fail the run instead
 * of letting the journeys test the previous UI.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  fs.rmSync(path.join(ARTIFACTS, 'screenshots'), { recursive: true, force: true });
  fs.rmSync(path.join(ARTIFACTS, 'downloads'), { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcluster-e2e-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORTCLUSTER_DATA: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    PORTCLUSTER_WEB_BUILD: 'required',
    // Every journey opens fresh browser contexts, each loading the page and its assets from one
    // IP; the default 600 requests a minute per client is meant for people, not for this.
    PORTCLUSTER_RATE_LIMIT: '100000',
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  // Vitest sets NODE_ENV=test; the server under test runs as `npm start` does.
  delete env.NODE_ENV;

  const logFile = path.join(ARTIFACTS, 'server.log');
  const log = fs.createWriteStream(logFile);
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'portcluster.js'), 'serve', '--demo'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      output += chunk;
      log.write(chunk);
      // Say in the test log when the UI was (re)built or something went wrong.
      for (const line of chunk.split('\n')) {
        if (/^(Built the web UI|WARNING|Error)/.test(line)) {
          process.stdout.write(`[e2e server] ${line}\n`);
        }
      }
    });
  }

  const baseUrl = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output.slice(-4000)}`);
      }
      if (Date.now() - t0 > READY_TIMEOUT_MS) {
        throw new Error(`the server was not ready after ${READY_TIMEOUT_MS / 1000} s:\n${output.slice(-4000)}`);
      }
      const ok = await fetch(`${baseUrl}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) {
        break;
      }
      await sleep(200);
    }
    const page = await fetch(`${baseUrl}/`, { headers: { accept: 'text/html' } });
    if (!page.ok) {
      throw new Error(`the server is up but GET / answered ${page.status}: ${await page.text()}`);
    }
  } catch (e) {
    await stop(child);
    log.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  process.stdout.write(`[e2e server] ready at ${baseUrl} in ${((Date.now() - t0) / 1000).toFixed(1)} s (log: ${logFile})\n`);
  project.provide('baseUrl', baseUrl);
  project.provide('webIndex', fs.readFileSync(WEB_INDEX, 'utf8'));

  return async () => {
    await stop(child);
    log.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
