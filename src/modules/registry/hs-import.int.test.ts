import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../db/client.ts';
import { migrate } from '../../db/migrator.ts';
import { findHsCode, importHsCodes, importHsCsv, isKnownHsCode, parseHsCsv, type HsRow } from './hs-import.ts';

const FILE = path.resolve(process.cwd(), '../shared/data/reference/harmonized-system.csv');
const present = fs.existsSync(FILE);
if (!present) {
  console.warn(`hs-import.int.test: shared data is missing (${FILE}); skipping the HS import tests`);
}

const EDITION = 'HS2022';
const SLOW = 60_000;

describe.skipIf(!present)('HS nomenclature import (real file, PGlite)', () => {
  let h: DatabaseHandle;
  let text: string;
  let rows: HsRow[];
  let dataLines: number;

  const count = async (): Promise<number> => {
    const r = await h.db
      .selectFrom('hs_codes')
      .select([(eb) => eb.fn.countAll<number>().as('n'), sql<number>`count(distinct code)`.as('distinct')])
      .executeTakeFirstOrThrow();
    // The primary key makes these equal; asserting it guards against a schema change.
    expect(Number(r.distinct)).toBe(Number(r.n));
    return Number(r.n);
  };

  beforeAll(async () => {
    text = fs.readFileSync(FILE, 'utf8');
    dataLines = text.split(/\r?\n/).filter((l) => l.trim() !== '').length - 1;
    h = await openDatabase({ kind: 'pglite', dataDir: null });
    await migrate(h.db);
  }, SLOW);

  afterAll(async () => {
    await h?.close();
  });

  it('parses the real file with no errors, one row per data line except the TOTAL root', () => {
    const parsed = parseHsCsv(text);
    expect(parsed.errors).toEqual([]);
    expect(dataLines).toBe(6940);
    // The last line is the grand total (hscode TOTAL, level 5): the root of the tree, not a code.
    expect(parsed.skipped).toEqual([{ line: 6941, message: expect.stringMatching(/root/) }]);
    expect(parsed.rows.length + parsed.skipped.length).toBe(dataLines);
    rows = parsed.rows;
    expect(rows).toHaveLength(6939);
    expect(rows.filter((r) => r.level === 2)).toHaveLength(97);
    // The same file with CRLF line ends parses to the same rows.
    expect(parseHsCsv(text.replace(/\n/g, '\r\n')).rows).toEqual(rows);
  });

  it(
    'imports every row, and a second import updates in place without duplicates',
    async () => {
      expect(await count()).toBe(0);
      const first = await importHsCsv(h.db, text, EDITION);
      expect(first).toMatchObject({ inserted: rows.length, updated: 0 });
      expect(await count()).toBe(rows.length);

      const second = await importHsCodes(h.db, rows, 'HS2022-r2');
      expect(second).toEqual({ inserted: 0, updated: rows.length });
      expect(await count()).toBe(rows.length);
      const editions = await h.db.selectFrom('hs_codes').select('edition').distinct().execute();
      expect(editions).toEqual([{ edition: 'HS2022-r2' }]);
    },
    SLOW,
  );

  it('finds known codes and rejects unknown ones', async () => {
    expect(await isKnownHsCode(h.db, '260111')).toBe(true);
    expect(await isKnownHsCode(h.db, '2601.11')).toBe(true);
    expect(await findHsCode(h.db, '260111')).toEqual({
      code: '260111',
      level: 6,
      parent: '2601',
      section: 'V',
      description: 'Iron ores and concentrates; non-agglomerated',
      edition: 'HS2022-r2',
    });
    expect(await findHsCode(h.db, '26')).toMatchObject({ level: 2, parent: null });
    expect(await isKnownHsCode(h.db, '260119')).toBe(false);
    expect(await isKnownHsCode(h.db, '999998')).toBe(false);
    expect(await isKnownHsCode(h.db, '2601111000')).toBe(false);
    expect(await isKnownHsCode(h.db, 'iron')).toBe(false);
    expect(await findHsCode(h.db, '26011')).toBeUndefined();
  });

  it("keeps the source's chapter 99 placeholder (999999 'not specified according to kind')", async () => {
    // UN Comtrade adds 99 / 9999 / 999999 for unspecified goods; it is in the shared file, so it loads.
    expect(await findHsCode(h.db, '999999')).toMatchObject({ parent: '9999', section: 'TOTAL' });
  });

  it(
    'refuses a file with one bad row and leaves the table unchanged',
    async () => {
      const before = await count();
      const lines = text.split('\n');
      // A changed description early on would show if anything had been written.
      const ironIdx = lines.findIndex((l) => l.startsWith('V,260111,'));
      lines[ironIdx] = 'V,260111,CHANGED,2601,6';
      const badIdx = lines.findIndex((l) => l.startsWith('XVI,8471'));
      const badLine = lines[badIdx] as string;
      lines[badIdx] = badLine.replace(/,4$/, ',3');
      expect(lines[badIdx]).not.toBe(badLine);

      await expect(importHsCsv(h.db, lines.join('\n'), 'broken')).rejects.toThrow(new RegExp(`line ${badIdx + 1}: level "3"`));
      expect(await count()).toBe(before);
      expect((await findHsCode(h.db, '260111'))?.description).toBe('Iron ores and concentrates; non-agglomerated');
      expect(await h.db.selectFrom('hs_codes').select('code').where('edition', '=', 'broken').execute()).toEqual([]);
    },
    SLOW,
  );

  it(
    'rolls back every batch when the load leaves a code without its parent',
    async () => {
      const before = await count();
      const changed = rows.map((r) => ({ ...r, description: `CHANGED ${r.description}` }));
      // Valid on its own, but 26011110 exists nowhere, so the final integrity check fails.
      changed.push({ code: '2601111000', level: 10, parent: '26011110', section: 'V', description: 'orphan' });

      await expect(importHsCodes(h.db, changed, 'orphaned')).rejects.toThrow(/parent "26011110" is not in hs_codes/);
      expect(await count()).toBe(before);
      expect(await isKnownHsCode(h.db, '2601111000')).toBe(false);
      expect((await findHsCode(h.db, '260111'))?.description).toBe('Iron ores and concentrates; non-agglomerated');
    },
    SLOW,
  );

  it('refuses invalid rows handed straight to importHsCodes', async () => {
    const bad: HsRow[] = [
      { code: '01', level: 2, parent: null, section: 'I', description: 'Animals' },
      { code: '01', level: 2, parent: null, section: 'I', description: 'Animals again' },
      { code: '011', level: 3, parent: '01', section: 'I', description: 'Odd' },
    ];
    await expect(importHsCodes(h.db, bad, EDITION)).rejects.toThrow(/rows\[1\].*more than once[\s\S]*rows\[2\].*level "3"/);
    await expect(importHsCodes(h.db, rows.slice(0, 1), ' ')).rejects.toThrow(/edition/);
  });
});
