/**
 * Web bundle size (issue 3): what a browser downloads, gzipped, before the first screen.
 *
 *   npx tsx bench/web-size.ts        (also `npm run bench -- web-size`)
 *
 * Builds the UI as `npm run build:web` does, plus `--manifest`, into a temporary folder (web/dist,
 * which a running server may be serving, is left alone). Then:
 *
 * - **initial route**: what index.html loads before any route — its entry script, the chunks it
 *   names in modulepreload links, every chunk those statically `import` (recursively; a lazy
 *   `import()` is not followed) and its stylesheets. Found from the built files themselves, then
 *   checked against the Vite manifest.
 * - **route chunks**, from the manifest: for the overview (`/`), the sign-in page and the other lazy
 *   routes, the chunks the route needs on top of the initial ones, and separately what the route
 *   loads lazily later (the cluster map when it renders, the Excel writer on export).
 *
 * Each file is gzipped on its own with zlib level 9 (servers compress per response); sizes in KiB.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GOAL_KIB = 400;

type ManifestChunk = {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
};
type Manifest = Record<string, ManifestChunk>;

const kib = (bytes: number): string => (bytes / 1024).toFixed(1);

const build = (outDir: string): number => {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
  const t0 = Date.now();
  execFileSync(
    path.join(ROOT, 'node_modules', '.bin', 'vite'),
    ['build', '--config', 'web/vite.config.ts', '--manifest', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    { cwd: ROOT, env, stdio: 'inherit' },
  );
  return Date.now() - t0;
};

/** Static imports of a built ES module chunk: `import{a as b}from"./x.js"` and `import"./x.js"`, not `import("./x.js")`. */
const staticImports = (code: string): string[] =>
  [...code.matchAll(/\bimport\s*(?:[\w$*{}\s,]+?\s*from\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g)].map((m) => m[1] ?? '');

/** The files index.html loads up front, following static imports: paths relative to the build folder. */
const initialFromHtml = (dist: string): Set<string> => {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const attr = (tag: string, name: string): string | undefined => new RegExp(`\\b${name}="([^"]+)"`).exec(tag)?.[1];
  const files = new Set<string>();
  const queue: string[] = [];
  for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const isScript = tag.startsWith('<script') && attr(tag, 'type') === 'module';
    const rel = attr(tag, 'rel');
    const url = isScript ? attr(tag, 'src') : rel === 'modulepreload' || rel === 'stylesheet' ? attr(tag, 'href') : undefined;
    if (url !== undefined && url.startsWith('/')) {
      queue.push(url.slice(1));
    }
  }
  while (queue.length > 0) {
    const file = queue.pop() ?? '';
    if (files.has(file)) {
      continue;
    }
    files.add(file);
    if (file.endsWith('.js')) {
      const code = fs.readFileSync(path.join(dist, file), 'utf8');
      for (const spec of staticImports(code)) {
        queue.push(path.posix.join(path.posix.dirname(file), spec));
      }
    }
  }
  return files;
};

/** A manifest entry and every chunk it statically imports, recursively: their keys and their files (with CSS). */
const closure = (manifest: Manifest, key: string): { keys: Set<string>; files: Set<string> } => {
  const keys = new Set<string>();
  const files = new Set<string>();
  const visit = (k: string): void => {
    const chunk = manifest[k];
    if (chunk === undefined || keys.has(k)) {
      return;
    }
    keys.add(k);
    files.add(chunk.file);
    for (const css of chunk.css ?? []) {
      files.add(css);
    }
    for (const i of chunk.imports ?? []) {
      visit(i);
    }
  };
  visit(key);
  return { keys, files };
};

/**
 * What a route loads later through import() — from any of its chunks, and from those in turn (the
 * map on render, the Excel writer on export) — minus what is already loaded. The entry's own
 * import()s are the other routes, so they are not followed.
 */
const lazyClosure = (manifest: Manifest, routeKeys: Set<string>, entryKey: string, loaded: Set<string>): Set<string> => {
  const files = new Set<string>();
  const seen = new Set<string>();
  const queue = [...routeKeys];
  while (queue.length > 0) {
    const k = queue.pop() ?? '';
    if (k === entryKey) {
      continue;
    }
    for (const d of manifest[k]?.dynamicImports ?? []) {
      if (seen.has(d)) {
        continue;
      }
      seen.add(d);
      const c = closure(manifest, d);
      for (const f of c.files) {
        if (!loaded.has(f)) {
          files.add(f);
        }
      }
      queue.push(...c.keys);
    }
  }
  return files;
};

const sizes = (dist: string, files: Iterable<string>): { file: string; raw: number; gz: number }[] =>
  [...files]
    .map((file) => {
      const buf = fs.readFileSync(path.join(dist, file));
      return { file, raw: buf.length, gz: zlib.gzipSync(buf, { level: 9 }).length };
    })
    .sort((a, b) => b.gz - a.gz);

const total = (rows: { raw: number; gz: number }[]): { raw: number; gz: number } =>
  rows.reduce((t, r) => ({ raw: t.raw + r.raw, gz: t.gz + r.gz }), { raw: 0, gz: 0 });

const table = (title: string, rows: { file: string; raw: number; gz: number }[]): void => {
  const t = total(rows);
  console.log(`\n${title}: ${rows.length} file(s), ${kib(t.gz)} KiB gzipped (${kib(t.raw)} KiB raw)`);
  console.log('| file | raw KiB | gzip KiB |');
  console.log('| ---- | ------: | -------: |');
  for (const r of rows) {
    console.log(`| ${r.file} | ${kib(r.raw)} | ${kib(r.gz)} |`);
  }
};

const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'portcluster-web-size-'));
try {
  const ms = build(dist);
  const manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite', 'manifest.json'), 'utf8')) as Manifest;
  const entryKey = Object.keys(manifest).find((k) => manifest[k]?.isEntry === true);
  if (entryKey === undefined) {
    throw new Error('no entry in the Vite manifest');
  }

  const initial = initialFromHtml(dist);
  const fromManifest = closure(manifest, entryKey).files;
  const missing = [...fromManifest].filter((f) => !initial.has(f));
  const extra = [...initial].filter((f) => !fromManifest.has(f));
  if (missing.length > 0 || extra.length > 0) {
    console.warn(
      `WARNING: index.html and the manifest disagree on the initial files: missing ${missing.join(', ')}; extra ${extra.join(', ')}`,
    );
  }
  const initialRows = sizes(dist, initial);
  const initialGz = total(initialRows).gz;

  console.log(`Web bundle, built in ${(ms / 1000).toFixed(1)} s, ${new Date().toISOString()}, Node ${process.version}`);
  table('Initial route (index.html: entry + modulepreload + static imports + CSS)', initialRows);

  // The lazy routes: each one's own chunks (beyond the initial ones), then what it loads later.
  const routes = Object.entries(manifest).filter(([, c]) => c.isDynamicEntry === true && (c.src ?? '').startsWith('src/pages/'));
  const summary: { route: string; own: number; later: number }[] = [];
  for (const [key, chunk] of routes) {
    const route = closure(manifest, key);
    const own = [...route.files].filter((f) => !initial.has(f));
    const later = lazyClosure(manifest, route.keys, entryKey, new Set([...initial, ...own]));
    const ownRows = sizes(dist, own);
    const laterRows = sizes(dist, later);
    summary.push({ route: chunk.src ?? key, own: total(ownRows).gz, later: total(laterRows).gz });
    if (chunk.src === 'src/pages/OverviewPage.tsx') {
      table('Overview route (/): its own chunks on top of the initial ones', ownRows);
      table('Overview route (/): loaded lazily by the page afterwards', laterRows);
    }
  }
  console.log('\nEvery lazy route, gzipped KiB on top of the initial route:');
  console.log('| route module | own chunks | loaded later by the route (on render or on use) |');
  console.log('| ------------ | ---------: | ----------------------------------------------: |');
  for (const s of summary.sort((a, b) => a.route.localeCompare(b.route))) {
    console.log(`| ${s.route} | ${kib(s.own)} | ${kib(s.later)} |`);
  }

  const allRows = sizes(
    dist,
    Object.values(manifest)
      .flatMap((c) => [c.file, ...(c.css ?? [])])
      .filter((f, i, a) => a.indexOf(f) === i),
  );
  console.log(`\nAll chunks: ${allRows.length} files, ${kib(total(allRows).gz)} KiB gzipped (${kib(total(allRows).raw)} KiB raw)`);
  console.log(
    `\nInitial route: ${kib(initialGz)} KiB gzipped against a goal of ≤ ${GOAL_KIB} KiB: ${initialGz <= GOAL_KIB * 1024 ? 'met' : 'NOT met'}`,
  );
} finally {
  fs.rmSync(dist, { recursive: true, force: true });
}
