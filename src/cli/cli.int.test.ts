import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../../test/cli.ts';
import { usingPostgres } from '../../test/db.ts';
import { openDatabase } from '../db/client.ts';

const HS_FILE = path.resolve(process.cwd(), '../shared/data/reference/harmonized-system.csv');
const SAMPLES = path.resolve(process.cwd(), '../shared/data/edifact/samples');

let dataDir: string;
const cli = (...args: string[]): Promise<CliRun> => runCli(args, dataDir);

// The CLI reads its database from the environment; on the PostgreSQL run this file would only
// repeat itself against the embedded database, so it runs in the PGlite pass.
describe.skipIf(usingPostgres())('portcluster CLI', () => {
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcluster-cli-'));
    const seeded = await cli('seed');
    expect(seeded.code, seeded.stderr).toBe(0);
  }, 180_000);
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('lists organisations as JSON', async () => {
    const r = await cli('orgs', 'list', '--json');
    expect(r.code).toBe(0);
    const orgs = JSON.parse(r.stdout) as { code: string; kind: string }[];
    expect(orgs.map((o) => o.code)).toContain('QD-CUSTOMS');
    expect(orgs.find((o) => o.code === 'QD-CUSTOMS')?.kind).toBe('customs');
  }, 60_000);

  it('creates a user, and refuses a role that does not fit the organisation', async () => {
    const ok = await cli(
      'users',
      'create',
      '--org',
      'DEMO-TRADER',
      '--role',
      'declarant',
      '--username',
      'buyer1',
      '--password',
      'a long password',
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Created user buyer1');
    const wrong = await cli(
      'users',
      'create',
      '--org',
      'DEMO-TRADER',
      '--role',
      'customs-officer',
      '--username',
      'fake1',
      '--password',
      'a long password',
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('auth.role-org-mismatch');
    const again = await cli(
      'users',
      'create',
      '--org',
      'DEMO-TRADER',
      '--role',
      'declarant',
      '--username',
      'buyer1',
      '--password',
      'a long password',
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('auth.username-taken');
    const unknown = await cli(
      'users',
      'create',
      '--org',
      'DEMO-TRADER',
      '--role',
      'pirate',
      '--username',
      'x1',
      '--password',
      'a long password',
    );
    expect(unknown.code).not.toBe(0);
  }, 60_000);

  it.skipIf(!fs.existsSync(HS_FILE))(
    'imports the HS nomenclature, and refuses a broken file without changing anything',
    async () => {
      const r = await cli('reference', 'import', 'hs', HS_FILE);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/HS nomenclature HS2022: \d+ inserted, \d+ updated/);
      const bad = path.join(dataDir, 'bad.csv');
      fs.writeFileSync(bad, 'section,hscode,description,parent,level\nI,01,Animals,TOTAL,2\nI,0101x,Horses,01,4\n');
      const refused = await cli('reference', 'import', 'hs', bad);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('line 3');
      const again = await cli('reference', 'import', 'hs', HS_FILE);
      expect(again.stdout).toMatch(/: 0 inserted, 6939 updated/);
    },
    120_000,
  );

  it.skipIf(!fs.existsSync(SAMPLES))(
    'imports an EDIFACT file as a user, with per-message results; a defective file exits 1 naming segment and tag',
    async () => {
      const user = await cli(
        'users',
        'create',
        '--org',
        'QQCT',
        '--role',
        'terminal-operator',
        '--username',
        'qqct-edi',
        '--password',
        'a long password',
      );
      expect(user.code, user.stderr).toBe(0);
      const ok = await cli('import', 'edifact', path.join(SAMPLES, 'php-edifact_D95B_BAPLIE.edi'), '--as', 'qqct-edi');
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain('BAPLIE 1907 D:95B: 30 segments, 3 boxes → imported');
      const bad = await cli('import', 'edifact', path.join(SAMPLES, 'apimeister_d95b_coprar.edi'), '--as', 'qqct-edi');
      expect(bad.code).toBe(1);
      expect(bad.stdout).toMatch(/error edi\.[a-z-]+ at segment 29 UNT: .*56/);
      const missing = await cli('import', 'edifact', path.join(dataDir, 'nope.edi'), '--as', 'qqct-edi');
      expect(missing.code).toBe(2);
    },
    120_000,
  );

  it('refuses a second process on the same embedded data dir, clearly, and works again once it is free', async () => {
    const held = await openDatabase({ kind: 'pglite', dataDir });
    try {
      const refused = await cli('orgs', 'list');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`in use by process ${process.pid}`);
      expect(refused.stderr).toContain('DATABASE_URL');
    } finally {
      await held.close();
    }
    expect((await cli('orgs', 'list')).code).toBe(0);
  }, 60_000);
});
