#!/usr/bin/env node
// Runs at `npm install`: initialises one empty PGlite cluster (initdb in WebAssembly, ~6 s) and
// keeps it as a tarball, so a first start on a fresh data dir copies it (~1–2 s) instead.
// Failing here is harmless: the server then runs initdb itself.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
try {
  const { PGlite } = await import('@electric-sql/pglite');
  const version = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')).version;
  const file = path.join(root, 'node_modules', '.cache', 'portcluster', `pglite-${version}.tar`);
  if (!fs.existsSync(file)) {
    const pg = await PGlite.create();
    const blob = await pg.dumpDataDir('none');
    await pg.close();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(`${file}.tmp`, Buffer.from(await blob.arrayBuffer()));
    fs.renameSync(`${file}.tmp`, file);
    console.log(`portcluster: prepared an empty PGlite cluster at ${path.relative(root, file)}`);
  }
} catch (err) {
  console.warn(`portcluster: could not prepare the PGlite template (${err.message}); the first start will initialise the database itself`);
}
