/**
 * Berth allocation benchmark (issue 4): solves every DBAP instance under ../shared/data/bap (Lalla-Ruiz
 * et al. 2012 and Kramer et al. 2019), checks each plan with the independent checker and compares with
 * the reference values.
 *
 *   npm run bench -- berth-allocation [--time-limit S] [--only PATTERN] [--seed N]
 *
 * Default limits: 5 s per Lalla-Ruiz instance, 60 s per Kramer instance (--time-limit overrides both).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkPlan, parseDbap, solve } from '../src/optimisation/berth-allocation/index.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA = path.resolve(ROOT, '../shared/data/bap');

const { values } = parseArgs({
  options: { 'time-limit': { type: 'string' }, only: { type: 'string' }, seed: { type: 'string', default: '1' } },
});
if (!fs.existsSync(DATA)) {
  process.stderr.write(`no instances: ${DATA} is absent\n`);
  process.exit(2);
}

// Proven optima from REFERENCE-VALUES.md (Lalla-Ruiz set); best public results for Kramer f200x15
// (a Rust metaheuristic: 12,978 on -01 in 120 s, 10,896 on -02 in 200 s; none known for the others).
const references = new Map<string, { value: number; kind: 'optimum' | 'best known' }>();
const refText = fs.readFileSync(path.join(DATA, 'REFERENCE-VALUES.md'), 'utf8');
for (const m of refText.matchAll(/^\|\s*(f\d+x\d+-\d+)\s*\|\s*(\d+)\s*\|/gm)) {
  references.set(m[1] ?? '', { value: Number(m[2]), kind: 'optimum' });
}
references.set('f200x15-01', { value: 12978, kind: 'best known' });
references.set('f200x15-02', { value: 10896, kind: 'best known' });

const folders = ['dbap-lalla-ruiz2012', 'dbap-kramer2019'];
const files = folders.flatMap((folder) =>
  fs
    .readdirSync(path.join(DATA, folder))
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => ({ folder, name: f.slice(0, -4), file: path.join(DATA, folder, f) })),
);
const only = values.only === undefined ? null : new RegExp(values.only);
const selected = files.filter((f) => only === null || only.test(f.name));

const rows: string[] = [];
const line = (cells: (string | number)[]): string => `| ${cells.join(' | ')} |`;
const header = line([
  'instance',
  'N×M',
  'status',
  'objective',
  'lower bound',
  'reference',
  'gap to ref.',
  'gap to LB',
  'seconds',
  'checker',
]);
process.stdout.write(
  `Berth allocation, seed ${values.seed}, Node ${process.version}, ${os.cpus().length} cores, ${new Date().toISOString()}\n\n${header}\n${line(Array.from({ length: 10 }, () => '---'))}\n`,
);

type Summary = { solved: number; optimal: number; refKnown: number; atRef: number; gaps: number[]; seconds: number[] };
const summary = new Map<string, Summary>();
for (const f of selected) {
  const instance = parseDbap(fs.readFileSync(f.file, 'utf8'));
  const limit = values['time-limit'] !== undefined ? Number(values['time-limit']) : f.folder === 'dbap-kramer2019' ? 60 : 5;
  const r = await solve(instance, { timeLimitSeconds: limit, seed: Number(values.seed) });
  const check = checkPlan(instance, r.assignments);
  const ref = references.get(f.name);
  const verdict =
    r.objective === null
      ? '— (no plan)'
      : check.feasible && check.objective === r.objective
        ? 'feasible ✓'
        : `FAILED: ${check.violations.length} violations`;
  const gapRef = ref !== undefined && r.objective !== null ? (100 * (r.objective - ref.value)) / ref.value : null;
  const gapLb = r.objective !== null && r.lowerBound !== null ? (100 * (r.objective - r.lowerBound)) / r.objective : null;
  const row = line([
    f.name,
    `${instance.ships.length}×${instance.berths.length}`,
    r.status,
    r.objective ?? '—',
    r.lowerBound ?? '—',
    ref === undefined ? '—' : `${ref.value}${ref.kind === 'optimum' ? '' : ' (best known)'}`,
    gapRef === null ? '—' : `${gapRef.toFixed(2)} %`,
    gapLb === null ? '—' : `${gapLb.toFixed(2)} %`,
    r.seconds.toFixed(1),
    verdict,
  ]);
  rows.push(row);
  process.stdout.write(`${row}\n`);
  const group = f.name.replace(/-\d+$/, '');
  const s = summary.get(group) ?? { solved: 0, optimal: 0, refKnown: 0, atRef: 0, gaps: [], seconds: [] };
  s.solved += r.objective === null ? 0 : 1;
  s.optimal += r.status === 'optimal' ? 1 : 0;
  if (gapRef !== null) {
    s.refKnown += 1;
    s.atRef += gapRef <= 0 ? 1 : 0;
    s.gaps.push(gapRef);
  }
  s.seconds.push(r.seconds);
  summary.set(group, s);
}

const mean = (xs: number[]): string => (xs.length === 0 ? '—' : (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2));
process.stdout.write(
  `\n${line(['group', 'instances', 'proven optimal', 'with reference', 'at or below ref.', 'mean gap to ref. %', 'mean s', 'max s'])}\n${line(Array.from({ length: 8 }, () => '---'))}\n`,
);
for (const [group, s] of summary) {
  process.stdout.write(
    `${line([group, s.seconds.length, s.optimal, s.refKnown, s.atRef, mean(s.gaps), mean(s.seconds), Math.max(...s.seconds).toFixed(1)])}\n`,
  );
}
