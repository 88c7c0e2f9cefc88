import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../../test/cli.ts';

// berth-plan touches no database; the data dir only keeps the runner away from the developer's own.
let dir: string;
const cli = (...args: string[]): Promise<CliRun> => runCli(args, dir);
const write = (name: string, text: string): string => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

const SMALL = '3\n2\n0 2 4\n0 1\n5 7\n3 99999\n4 4\n20 20\n30 30 30\n';

describe('portcluster berth-plan', () => {
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcluster-berth-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints the optimal plan as JSON', async () => {
    const r = await cli('berth-plan', write('small.txt', SMALL), '--time-limit', '5', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      objective: 15,
      lowerBound: 15,
      status: 'optimal',
      assignments: [
        { ship: 0, berth: 0, start: 0 },
        { ship: 1, berth: 0, start: 5 },
        { ship: 2, berth: 1, start: 4 },
      ],
    });
  }, 60_000);

  it('prints a readable table without --json', async () => {
    const r = await cli('berth-plan', write('small.txt', SMALL), '--time-limit', '5');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Total weighted service time 15, lower bound 15 (proven optimal)');
    expect(r.stdout).toMatch(/ship\s+berth\s+arrival\s+start\s+end\s+wait/);
  }, 60_000);

  it('exits 2 naming the line of a bad file', async () => {
    const r = await cli('berth-plan', write('bad.txt', SMALL.replace('0 1\n', '0\n').replace('30 30 30\n', '')));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('line 4: expected 2 berth opening times, found 1');
  }, 60_000);

  it('exits 1 on an infeasible instance', async () => {
    const r = await cli('berth-plan', write('infeasible.txt', '2\n1\n0 0\n0\n6\n6\n100\n10 10\n'), '--time-limit', '5');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('infeasible');
  }, 60_000);
});
