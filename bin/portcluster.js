#!/usr/bin/env node
// Runs the CLI from a bundle in dist/, rebuilt with esbuild (~0.5 s) whenever a source file is
// newer than it. Loading TypeScript through tsx on every start cost ~2 s (bench/RESULTS.md).
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
    external: ['@electric-sql/pglite', 'argon2', 'pg', 'pg-native', 'esbuild', 'swagger-ui-dist'],
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
await import(pathToFileURL(bundle).href);
