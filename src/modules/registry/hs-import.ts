import { RegistryErrorCode } from './registry.errors.ts';
import type { Selectable } from 'kysely';
import { validateHsCodeFormat } from '../../core/codes.ts';
import { AppError, type ErrorDetail } from '../../core/errors.ts';
import { inTransaction, type DbOrTx } from '../../db/tx.ts';
import type { HsCodesTable } from '../../db/schema.ts';

/**
 * Loads an HS nomenclature CSV (columns section, hscode, description, parent, level; the
 * UN Comtrade layout of /work/shared/data/reference/harmonized-system.csv) into hs_codes.
 * Parsing and validation happen before the database is touched, and the load is one
 * transaction, so a bad file never leaves a half-imported nomenclature behind.
 */

export type HsRow = {
  code: string;
  level: number;
  parent: string | null;
  section: string;
  description: string;
};

export type HsParseError = { line: number; message: string };

export type HsParseResult = {
  rows: HsRow[];
  errors: HsParseError[];
  /** Records deliberately not imported (the "TOTAL" root of the tree), with why. */
  skipped: HsParseError[];
};

export type HsImportResult = { inserted: number; updated: number };

const REQUIRED_COLUMNS = ['section', 'hscode', 'description', 'parent', 'level'] as const;
const LEVELS = new Set([2, 4, 6, 8, 10]);
// Parent value the source uses for chapters (2-digit codes); stored as null.
const ROOT = 'TOTAL';
const BATCH_SIZE = 500;
const ERRORS_IN_MESSAGE = 10;

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180)

export type CsvRecord = { line: number; fields: string[] };

/**
 * Splits RFC 4180 text into records. Quoted fields may hold commas, line breaks and "" for a
 * quote; records end with LF or CRLF. `line` is the 1-based physical line a record starts on,
 * so messages point at what an editor shows. A malformed record is reported and dropped.
 */
export const parseCsv = (text: string): { records: CsvRecord[]; errors: HsParseError[] } => {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // Excel writes a BOM
  const n = src.length;
  const records: CsvRecord[] = [];
  const errors: HsParseError[] = [];
  let i = 0;
  let line = 1;

  const isEol = (at: number): boolean => src[at] === '\n' || src[at] === '\r';
  // Moves past the line break at i (LF or CRLF) and counts the line.
  const skipLineEnd = (): void => {
    if (src[i] === '\r' && src[i + 1] === '\n') {
      i += 2;
    } else if (i < n) {
      i += 1;
    }
    line++;
  };
  const skipRestOfLine = (): void => {
    while (i < n && !isEol(i)) {
      i++;
    }
    skipLineEnd();
  };

  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let problem: string | null = null;

    for (;;) {
      if (src[i] === '"') {
        let value = '';
        let from = i + 1;
        let closed = false;
        while (from <= n) {
          const q = src.indexOf('"', from);
          if (q === -1) {
            break;
          }
          value += src.slice(from, q);
          if (src[q + 1] === '"') {
            value += '"';
            from = q + 2;
          } else {
            i = q + 1;
            closed = true;
            break;
          }
        }
        if (!closed) {
          errors.push({ line: startLine, message: 'quoted field is never closed (missing ")' });
          return { records, errors };
        }
        for (const ch of value) {
          if (ch === '\n') {
            line++;
          }
        }
        fields.push(value);
        if (i < n && src[i] !== ',' && !isEol(i)) {
          problem = `unexpected ${JSON.stringify(src[i])} after a closing quote (quotes inside a field must be doubled)`;
          break;
        }
      } else {
        const start = i;
        while (i < n && src[i] !== ',' && !isEol(i)) {
          i++;
        }
        const value = src.slice(start, i);
        if (value.includes('"')) {
          problem = 'a quote inside an unquoted field (quote the whole field and double the inner quote)';
          break;
        }
        fields.push(value);
      }
      if (src[i] === ',') {
        i++;
        continue;
      }
      break;
    }

    if (problem !== null) {
      errors.push({ line: startLine, message: problem });
      skipRestOfLine();
      continue;
    }
    skipLineEnd();
    // Blank lines (including the usual trailing newline) carry no record.
    if (fields.length === 1 && (fields[0] as string).trim() === '') {
      continue;
    }
    records.push({ line: startLine, fields });
  }
  return { records, errors };
};

// ---------------------------------------------------------------------------------------------
// HS rows

/** Problems with one row on its own (shape, level, parent prefix); empty when the row is fine. */
export const checkHsRow = (row: HsRow): string[] => {
  const problems: string[] = [];
  if (!/^\d+$/.test(row.code)) {
    problems.push(`hscode "${row.code}" must be digits only`);
  }
  if (!LEVELS.has(row.level)) {
    problems.push(`level "${row.level}" must be 2, 4, 6, 8 or 10`);
  } else if (row.code.length !== row.level) {
    problems.push(`hscode "${row.code}" has ${row.code.length} digits but level is ${row.level}`);
  }
  if (row.level === 2) {
    if (row.parent !== null) {
      problems.push(`a 2-digit code must have parent ${ROOT}, got "${row.parent}"`);
    }
  } else if (LEVELS.has(row.level)) {
    if (row.parent === null) {
      problems.push(`a level-${row.level} code needs a parent of level ${row.level - 2}`);
    } else if (!/^\d+$/.test(row.parent) || row.parent.length !== row.level - 2) {
      problems.push(`parent "${row.parent}" must be a ${row.level - 2}-digit code`);
    } else if (!row.code.startsWith(row.parent)) {
      problems.push(`parent "${row.parent}" is not a prefix of hscode "${row.code}"`);
    }
  }
  if (row.section.trim() === '') {
    problems.push('section is empty');
  }
  if (row.description.trim() === '') {
    problems.push('description is empty');
  }
  return problems;
};

/**
 * Parses and validates an HS nomenclature CSV. Every problem is reported with its line number;
 * a file with any error must not be imported (importHsCsv enforces this).
 */
export const parseHsCsv = (text: string): HsParseResult => {
  const { records, errors } = parseCsv(text);
  const rows: HsRow[] = [];
  const skipped: HsParseError[] = [];
  const header = records[0];
  if (header === undefined) {
    errors.push({ line: 1, message: 'file is empty (expected a header line)' });
    return { rows, errors, skipped };
  }

  const columns = header.fields.map((f) => f.trim().toLowerCase());
  const index = new Map<string, number>();
  columns.forEach((c, k) => {
    if (index.has(c)) {
      errors.push({ line: header.line, message: `column "${c}" appears twice in the header` });
    }
    index.set(c, k);
  });
  const missing = REQUIRED_COLUMNS.filter((c) => !index.has(c));
  if (missing.length > 0) {
    errors.push({
      line: header.line,
      message: `header is missing required column(s) ${missing.join(', ')} (expected ${REQUIRED_COLUMNS.join(',')})`,
    });
    return { rows, errors, skipped };
  }
  const col = (r: CsvRecord, name: (typeof REQUIRED_COLUMNS)[number]): string => (r.fields[index.get(name) as number] as string).trim();

  const firstLineOf = new Map<string, number>();
  for (const r of records.slice(1)) {
    if (r.fields.length !== columns.length) {
      errors.push({ line: r.line, message: `expected ${columns.length} fields, found ${r.fields.length}` });
      continue;
    }
    const code = col(r, 'hscode');
    const levelText = col(r, 'level');
    const parentText = col(r, 'parent');
    // The source ends with a grand-total record (hscode TOTAL, level 5): the tree's root, not a code.
    if (code === ROOT) {
      skipped.push({ line: r.line, message: `root record "${ROOT}" is not an HS code` });
      continue;
    }
    if (!/^\d+$/.test(levelText)) {
      errors.push({ line: r.line, message: `level "${levelText}" must be 2, 4, 6, 8 or 10` });
      continue;
    }
    const row: HsRow = {
      code,
      level: Number(levelText),
      parent: parentText === ROOT ? null : parentText,
      section: col(r, 'section'),
      description: col(r, 'description'),
    };
    const problems = checkHsRow(row);
    const seen = firstLineOf.get(code);
    if (seen !== undefined) {
      problems.push(`hscode "${code}" already appears on line ${seen}`);
    } else {
      firstLineOf.set(code, r.line);
    }
    if (problems.length > 0) {
      errors.push({ line: r.line, message: problems.join('; ') });
      continue;
    }
    rows.push(row);
  }
  errors.sort((a, b) => a.line - b.line);
  return { rows, errors, skipped };
};

// One error listing the first problems; `details` keeps them all for API callers.
const summarise = (intro: string, problems: ErrorDetail[]): AppError => {
  const shown = problems.slice(0, ERRORS_IN_MESSAGE).map((e) => `${e.path}: ${e.message}`);
  const more = problems.length > shown.length ? `\n  … and ${problems.length - shown.length} more` : '';
  return new AppError(
    'INVALID_INPUT',
    RegistryErrorCode.INVALID_HS_FILE,
    `${intro}; nothing was imported:\n  ${shown.join('\n  ')}${more}`,
    problems,
  );
};
const atLines = (errors: HsParseError[]): ErrorDetail[] => errors.map((e) => ({ path: `line ${e.line}`, message: e.message }));

/**
 * Upserts rows into hs_codes in one transaction, in batches of 500. Rows are re-checked first,
 * and after the load every parent must exist in the table (from this file or an earlier one);
 * otherwise the whole transaction rolls back. `updated` counts codes that already existed.
 * Codes absent from `rows` are left as they are.
 */
export const importHsCodes = async (db: DbOrTx, rows: HsRow[], edition: string): Promise<HsImportResult> => {
  if (edition.trim() === '') {
    throw new AppError('INVALID_INPUT', RegistryErrorCode.INVALID_HS_FILE, 'edition must not be empty');
  }
  const problems: ErrorDetail[] = [];
  const seen = new Set<string>();
  rows.forEach((row, k) => {
    const p = checkHsRow(row);
    // Postgres refuses to upsert the same key twice in one statement; say so plainly instead.
    if (seen.has(row.code)) {
      p.push(`hscode "${row.code}" appears more than once`);
    }
    seen.add(row.code);
    if (p.length > 0) {
      problems.push({ path: `rows[${k}]`, message: p.join('; ') });
    }
  });
  if (problems.length > 0) {
    throw summarise(`${problems.length} HS row(s) are invalid`, problems);
  }

  return inTransaction(db, async (trx) => {
    let inserted = 0;
    let updated = 0;
    for (let start = 0; start < rows.length; start += BATCH_SIZE) {
      const batch = rows.slice(start, start + BATCH_SIZE);
      const existing = await trx
        .selectFrom('hs_codes')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(
          'code',
          'in',
          batch.map((r) => r.code),
        )
        .executeTakeFirstOrThrow();
      const already = Number(existing.n);
      await trx
        .insertInto('hs_codes')
        .values(batch.map((r) => ({ ...r, edition })))
        .onConflict((oc) =>
          oc.column('code').doUpdateSet((eb) => ({
            level: eb.ref('excluded.level'),
            parent: eb.ref('excluded.parent'),
            section: eb.ref('excluded.section'),
            description: eb.ref('excluded.description'),
            edition: eb.ref('excluded.edition'),
          })),
        )
        .execute();
      updated += already;
      inserted += batch.length - already;
    }

    const orphans = await trx
      .selectFrom('hs_codes as c')
      .leftJoin('hs_codes as p', 'p.code', 'c.parent')
      .select(['c.code', 'c.parent'])
      .where('c.parent', 'is not', null)
      .where('p.code', 'is', null)
      .orderBy('c.code')
      .execute();
    if (orphans.length > 0) {
      // Throwing inside execute() rolls the whole load back.
      throw summarise(
        'HS import would leave codes whose parent does not exist',
        orphans.map((o) => ({ path: `hscode ${o.code}`, message: `parent "${o.parent}" is not in hs_codes` })),
      );
    }
    return { inserted, updated };
  });
};

/** Parses, refuses the whole file if any row is bad, then imports. */
export const importHsCsv = async (db: DbOrTx, text: string, edition: string): Promise<HsImportResult & { skipped: HsParseError[] }> => {
  const { rows, errors, skipped } = parseHsCsv(text);
  if (errors.length > 0) {
    throw summarise(`HS nomenclature file has ${errors.length} invalid line(s)`, atLines(errors));
  }
  const result = await importHsCodes(db, rows, edition);
  return { ...result, skipped };
};

/** Looks a code up as written on a document ("2601.11" and "260111" are the same code). */
export const findHsCode = async (db: DbOrTx, code: string): Promise<Selectable<HsCodesTable> | undefined> => {
  const f = validateHsCodeFormat(code);
  if (!f.ok) {
    return undefined;
  }
  return db.selectFrom('hs_codes').selectAll().where('code', '=', f.value).executeTakeFirst();
};

export const isKnownHsCode = async (db: DbOrTx, code: string): Promise<boolean> => (await findHsCode(db, code)) !== undefined;
