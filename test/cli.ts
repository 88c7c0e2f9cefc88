import { execFile } from 'node:child_process';

export type CliRun = { code: number; stdout: string; stderr: string };

/** Runs `portcluster <args>` on a PGlite data dir (never the environment's DATABASE_URL). */
export const runCli = (args: string[], dataDir: string): Promise<CliRun> => {
  const env: NodeJS.ProcessEnv = { ...process.env, PORTCLUSTER_DATA: dataDir };
  delete env.DATABASE_URL;
  return new Promise((resolve) => {
    execFile('node', ['bin/portcluster.js', ...args], { env, cwd: process.cwd(), timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
};
