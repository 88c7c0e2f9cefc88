import { buildApp, type App } from './app.ts';
import type { Config } from './config.ts';
import { systemClock } from './core/clock.ts';
import { openDatabase, type DatabaseHandle } from './db/client.ts';
import { migrate } from './db/migrator.ts';
import { webhookJobs } from './events/webhooks.ts';
import { JobRunner } from './jobs/runner.ts';
import { Scheduler } from './jobs/schedule.ts';
import { alertJobs } from './modules/alerts/index.ts';
import { declarationJobs } from './modules/declarations/index.ts';

export type RunningServer = { app: App; database: DatabaseHandle; runner: JobRunner | null; url: string; stop(): Promise<void> };

/**
 * Opens the database, applies pending migrations (a failure throws, and the CLI exits non-zero),
 * starts the HTTP server and the job runner, and stops both cleanly on SIGINT/SIGTERM.
 */
export const startServer = async (
  config: Config,
  opts: { beforeListen?: (database: DatabaseHandle) => Promise<void>; log?: (line: string) => void } = {},
): Promise<RunningServer> => {
  const log = opts.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const database = await openDatabase(config.database);
  try {
    const applied = await migrate(database.db);
    if (applied.length > 0) {
      log(`Applied ${applied.length} migration(s) on ${database.description}`);
    }
    await opts.beforeListen?.(database);
  } catch (err) {
    await database.close();
    throw err;
  }
  const app = await buildApp({ config, database });
  const runner = config.runJobs ? new JobRunner(database.db, systemClock, { logger: app.log }) : null;
  for (const def of [...webhookJobs(), ...alertJobs(), ...declarationJobs()]) {
    runner?.register(def);
  }
  // recurring jobs only where a runner runs them; the first tick is deferred (start-up stays as fast)
  const scheduler = runner === null ? null : new Scheduler(database.db, systemClock, undefined, { logger: app.log });
  const address = await app.listen({ port: config.port, host: config.host });
  runner?.start();
  scheduler?.start();
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await scheduler?.stop();
      await runner?.stop();
      await app.close();
      await database.close();
    })();
    return stopping;
  };
  return { app, database, runner, url: address, stop };
};
