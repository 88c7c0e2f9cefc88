#!/usr/bin/env node
// `npm run bench -- <name> [args]`: runs bench/<name>.ts through tsx (no build step), default startup.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const benchDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bench');
const known = fs
  .readdirSync(benchDir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -3));
const [first, ...rest] = process.argv.slice(2);
const name = first === undefined || first.startsWith('-') ? 'startup' : first;
if (!known.includes(name)) {
  process.stderr.write(`unknown benchmark "${name}"; known: ${known.join(', ')}\n`);
  process.exit(2);
}
// The benchmark reads its own flags from process.argv.
process.argv = [process.argv[0], path.join(benchDir, `${name}.ts`), ...(name === first ? rest : process.argv.slice(2))];
register();
await import(`../bench/${name}.ts`);
