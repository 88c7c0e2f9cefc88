import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrator.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

/**
 * Creating a PGlite cluster takes ~6 s (initdb in WebAssembly); loading a dump takes ~1 s. So
 * the migrated database is built once per run and every test file starts from a copy of it.
 * On PostgreSQL (DATABASE_URL set) each file makes its own schema instead (test/db.ts).
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const file = path.join(os.tmpdir(), `portcluster-template-${process.pid}.tar`);
  if (process.env.DATABASE_URL === undefined || process.env.DATABASE_URL === '') {
    const h = await openDatabase({ kind: 'pglite', dataDir: null });
    await migrate(h.db);
    const pg = (h as unknown as { raw?: { dumpDataDir(c: 'none'): Promise<Blob> } }).raw;
    if (pg === undefined) {
      throw new Error('PGlite handle does not expose its raw instance');
    }
    const blob = await pg.dumpDataDir('none');
    fs.writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
    await h.close();
  }
  project.provide('pgliteTemplate', file);
  return () => fs.rmSync(file, { force: true });
}
