#!/usr/bin/env node
// Runs the CLI from a bundle in dist/, rebuilt with esbuild (~0.5 s) whenever a source file is
// newer than it. Loading TypeScript through tsx on every start cost ~2 s (bench/RESULTS.md).
// Before `serve`, it also builds the web UI (web/ → web/dist) with Vite when that is missing or stale.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist', 'portcluster.mjs');

const newestSource = (dir) => {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      newest = Math.max(newest, newestSource(full));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  }
  return newest;
};

const isStale = () => {
  if (!fs.existsSync(bundle)) {
    return true;
  }
  const built = fs.statSync(bundle).mtimeMs;
  return newestSource(path.join(root, 'src')) > built || fs.statSync(path.join(root, 'package-lock.json')).mtimeMs > built;
};

// ---------------------------------------------------------------------------------------------
// The web UI. `serve` answers / from web/dist (src/http/web.routes.ts), so a start rebuilds it
// when web/dist/index.html is missing or older than any input of the build.
//
// Concurrent starts: a lock file lets one process build while the others wait and then find the
// build fresh; and each build is written to its own folder and renamed into place, so a server
// that is already running never serves a half-written web/dist (even if a stale lock is broken
// and two builds do overlap).
//
// PORTCLUSTER_WEB_BUILD=required makes a failed or impossible build fatal instead of a warning
// (the browser tests set it: they must never run against an old UI).
const webDir = path.join(root, 'web');
const webDist = path.join(webDir, 'dist');
const webIndex = path.join(webDist, 'index.html');
const webInputs = [
  path.join(webDir, 'src'),
  path.join(webDir, 'public'),
  path.join(webDir, 'index.html'),
  path.join(webDir, 'vite.config.ts'),
  path.join(root, 'package-lock.json'),
];
// Scratch space beside the server bundle: git-, lint- and prettier-ignored like the rest of dist/.
const scratch = path.join(root, 'dist');
const webLock = path.join(scratch, '.web-build.lock');
const LOCK_WAIT_MS = 10 * 60_000;

const warn = (message) => process.stderr.write(`WARNING: ${message}\n`);

/** The first file or folder under `p` changed after `than` (a folder's own time covers deletions), or null. */
const newerThan = (p, than) => {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return null; // an optional input (web/public) that does not exist
  }
  if (!st.isDirectory()) {
    return /\.test\.tsx?$/.test(p) || st.mtimeMs <= than ? null : p;
  }
  if (st.mtimeMs > than) {
    return p;
  }
  for (const name of fs.readdirSync(p)) {
    const hit = newerThan(path.join(p, name), than);
    if (hit !== null) {
      return hit;
    }
  }
  return null;
};

/** Why web/dist must be (re)built, or null when it is up to date. */
const webStaleReason = () => {
  if (!fs.existsSync(webIndex)) {
    return 'web/dist was missing';
  }
  const built = fs.statSync(webIndex).mtimeMs;
  for (const input of webInputs) {
    const hit = newerThan(input, built);
    if (hit !== null) {
      return `${path.relative(root, hit)} changed`;
    }
  }
  return null;
};

const pidAlive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for the build lock: another start building the UI holds it; a dead process's lock is removed. */
const acquireWebLock = async () => {
  fs.mkdirSync(scratch, { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  let told = false;
  for (;;) {
    try {
      fs.writeFileSync(webLock, String(process.pid), { flag: 'wx' });
      return;
    } catch (e) {
      if (e.code !== 'EEXIST') {
        throw e;
      }
    }
    let holder = 0;
    let age = 0;
    try {
      holder = Number(fs.readFileSync(webLock, 'utf8'));
      age = Date.now() - fs.statSync(webLock).mtimeMs;
    } catch {
      continue; // released between our attempt and the read: try again at once
    }
    if ((Number.isInteger(holder) && holder > 0 && !pidAlive(holder)) || age > LOCK_WAIT_MS) {
      fs.rmSync(webLock, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`gave up waiting for ${path.relative(root, webLock)} (held by pid ${holder})`);
    }
    if (!told) {
      process.stdout.write(`Waiting for another start (pid ${holder}) to finish building the web UI\n`);
      told = true;
    }
    await sleep(250);
  }
};

const releaseWebLock = () => {
  try {
    if (fs.readFileSync(webLock, 'utf8') === String(process.pid)) {
      fs.rmSync(webLock, { force: true });
    }
  } catch {
    // already gone
  }
};

/** Puts a finished build in place of web/dist (two renames; the old one is removed after). */
const installWebBuild = (built) => {
  const old = path.join(scratch, `.web-old-${process.pid}`);
  fs.rmSync(old, { recursive: true, force: true });
  try {
    fs.renameSync(webDist, old);
  } catch (e) {
    if (e.code !== 'ENOENT') {
      throw e;
    }
  }
  try {
    fs.renameSync(built, webDist);
  } catch (e) {
    // Only when two builds overlapped: the other one is already in place and just as fresh.
    if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') {
      throw e;
    }
    fs.rmSync(built, { recursive: true, force: true });
  }
  fs.rmSync(old, { recursive: true, force: true });
};

const restoreNodeEnv = (value) => {
  if (value === undefined) {
    delete process.env.NODE_ENV;
  } else {
    process.env.NODE_ENV = value;
  }
};

const ensureWebBuild = async () => {
  const required = process.env.PORTCLUSTER_WEB_BUILD === 'required';
  const fail = (message) => {
    if (required) {
      throw new Error(`${message} (PORTCLUSTER_WEB_BUILD=required)`);
    }
    warn(message);
  };
  if (webStaleReason() === null) {
    return;
  }
  let vite;
  try {
    vite = await import('vite');
  } catch (e) {
    if (e.code !== 'ERR_MODULE_NOT_FOUND') {
      throw e;
    }
    // A production install (no devDependencies) serves the build it was shipped with.
    if (fs.existsSync(webIndex) && !required) {
      return;
    }
    fail(
      fs.existsSync(webIndex)
        ? 'web/dist is older than web/src and Vite is not installed to rebuild it'
        : 'the web UI is not built (no web/dist) and Vite is not installed to build it: the API starts without the UI. ' +
            'Install the dev dependencies (`npm install`) and run `npm run build:web`.',
    );
    return;
  }
  await acquireWebLock();
  try {
    const reason = webStaleReason(); // another start may have built it while this one waited
    if (reason === null) {
      return;
    }
    const started = Date.now();
    const out = path.join(scratch, `.web-build-${process.pid}`);
    // web/dist is always the production UI (the Vite dev server is for development). Vite follows
    // NODE_ENV when it is set, and a parent such as Vitest sets it to "test", which gave a React
    // development build; the server itself has not loaded yet, so this affects the build only.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      try {
        await vite.build({
          configFile: path.join(webDir, 'vite.config.ts'),
          logLevel: 'warn',
          mode: 'production',
          build: { outDir: out, emptyOutDir: true },
        });
      } finally {
        restoreNodeEnv(nodeEnv);
      }
      // The build holds the sources as they were when it started: a file saved during it stays newer.
      fs.utimesSync(path.join(out, 'index.html'), new Date(started), new Date(started));
      installWebBuild(out);
    } catch (e) {
      fs.rmSync(out, { recursive: true, force: true });
      const then = fs.existsSync(webIndex) ? 'Serving the previous build of web/dist.' : 'The API starts without the UI.';
      fail(`building the web UI failed: ${e instanceof Error ? e.message : String(e)}${required ? '' : `\n${then}`}`);
      return;
    }
    process.stdout.write(`Built the web UI in ${((Date.now() - started) / 1000).toFixed(1)} s (${reason})\n`);
  } finally {
    releaseWebLock();
  }
};
// ---------------------------------------------------------------------------------------------

if (isStale()) {
  const { buildSync } = await import('esbuild');
  // Build in a private folder and rename, so processes starting together never load a half-written bundle.
  const tmpDir = path.join(root, 'dist', `.build-${process.pid}`);
  const tmp = path.join(tmpDir, 'portcluster.mjs');
  buildSync({
    entryPoints: [path.join(root, 'src', 'cli', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Bundling the pure-JS dependencies too: loading kysely and typebox as hundreds of separate
    // ES modules took ~0.5 s. Packages with native or WebAssembly files stay external.
    external: ['@electric-sql/pglite', 'argon2', 'pg', 'pg-native', 'esbuild', 'swagger-ui-dist', 'highs'],
    banner: {
      js: "import { createRequire as __portclusterRequire } from 'node:module'; const require = __portclusterRequire(import.meta.url);",
    },
    sourcemap: 'linked',
    outfile: tmp,
    logLevel: 'error',
  });
  fs.renameSync(`${tmp}.map`, `${bundle}.map`);
  fs.renameSync(tmp, bundle);
  fs.rmSync(tmpDir, { recursive: true, force: true });
}
const args = process.argv.slice(2);
if (args.find((a) => !a.startsWith('-')) === 'serve' && !args.includes('--help') && !args.includes('-h')) {
  await ensureWebBuild();
}
await import(pathToFileURL(bundle).href);
