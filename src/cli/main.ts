import fs from 'node:fs';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { createUser } from '../auth/auth.commands.ts';
import { ROLES, type Role } from '../auth/roles.ts';
import { loadConfig } from '../config.ts';
import { systemClock } from '../core/clock.ts';
import { AppError } from '../core/errors.ts';
import { openDatabase, type DatabaseHandle } from '../db/client.ts';
import { migrate } from '../db/migrator.ts';
import { SYSTEM_ACTOR } from '../events/event-log.ts';
import { verifyChain } from '../events/event-log.ts';
import { importHsCsv } from '../modules/registry/index.ts';
import { startServer } from '../server.ts';
import { registerBerthPlan } from './berth-plan.ts';
import { registerImportEdifact } from './import-edifact.ts';
import { ensureDemoCargo } from '../seed/demo-cargo.ts';
import { ensureDemoDeclarations } from '../seed/demo-declarations.ts';
import { ensureDemoPortCalls } from '../seed/demo-port-calls.ts';
import { DEMO_PASSWORD, DEMO_USERS, ensureDemoUsers } from '../seed/demo-users.ts';
import { DEFAULT_DATASET, loadReferenceData } from '../seed/load-reference-data.ts';

// PGlite's close() resets process.exitCode, so failures are noted here and applied at the very end.
let failed = false;

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const err = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** Opens the configured database, applies migrations, runs fn, closes. */
const withDatabase = async <T>(fn: (h: DatabaseHandle) => Promise<T>): Promise<T> => {
  const config = loadConfig();
  const h = await openDatabase(config.database);
  try {
    await migrate(h.db);
    return await fn(h);
  } finally {
    await h.close();
  }
};

const seedDemo = async (h: DatabaseHandle, dir: string): Promise<void> => {
  const started = Date.now();
  const report = await loadReferenceData({ db: h.db, clock: systemClock }, dir);
  if (report.unchanged === true) {
    out(`Reference data from ${dir}: already loaded, unchanged`);
    return;
  }
  out(
    `Reference data from ${dir}: ${report.created} created, ${report.versioned} later versions, ${report.present} already present (${Date.now() - started} ms)`,
  );
};

const printDemoUsers = (): void => {
  out('Demo users (password for all: ' + DEMO_PASSWORD + '):');
  for (const u of DEMO_USERS) {
    out(`  ${u.username.padEnd(9)} ${u.role.padEnd(18)} ${u.orgCode}`);
  }
};

const program = new Command('portcluster')
  .description(
    'PortCluster: customs–port collaboration for a port cluster. DATABASE_URL selects PostgreSQL; otherwise PGlite in PORTCLUSTER_DATA (./data).',
  )
  .showHelpAfterError();

program
  .command('serve')
  .description('Migrate and serve the API on PORT (default 8080)')
  .option('--demo', 'seed the demo cluster and one demo user per role before serving')
  .option('--seed-dir <dir>', 'reference-data folder for --demo', DEFAULT_DATASET)
  .action(async (opts: { demo?: boolean; seedDir: string }) => {
    const t0 = Date.now();
    const config = loadConfig();
    const server = await startServer(config, {
      log: out,
      beforeListen: async (h) => {
        out(`Database: ${h.description}`);
        if (opts.demo === true) {
          await seedDemo(h, opts.seedDir);
          const { created } = await ensureDemoUsers({ db: h.db, clock: systemClock });
          if (created.length > 0) {
            out(`Created demo users: ${created.join(', ')}`);
          }
          const filed = await ensureDemoPortCalls({ db: h.db, clock: systemClock });
          if (filed > 0) {
            out(`Filed ${filed} demo port calls (ships due in the next 8–36 hours)`);
          }
          const boxes = await ensureDemoCargo({ db: h.db, clock: systemClock });
          if (boxes > 0) {
            out(`Filed demo manifests: a ship alongside at Qianwan with ${boxes} import boxes in various stages, and one export manifest`);
          }
          const declared = await ensureDemoDeclarations({ db: h.db, clock: systemClock });
          if (declared > 0) {
            out(`Filed ${declared} demo declarations (released, in the officer's queue, under inspection, an export in advance)`);
          }
        }
      },
    });
    if (opts.demo === true) {
      printDemoUsers();
    }
    const shown = server.url.replace('0.0.0.0', 'localhost').replace('127.0.0.1', 'localhost');
    out(`PortCluster ready at ${shown} (API docs ${shown}/docs) in ${Date.now() - t0} ms`);
    const shutdown = (signal: string): void => {
      out(`${signal}: shutting down`);
      server.stop().then(
        () => process.exit(0),
        (e: unknown) => {
          err(`shutdown failed: ${(e as Error).message}`);
          process.exit(1);
        },
      );
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });

program
  .command('migrate')
  .description('Apply pending database migrations (exits non-zero if one fails)')
  .action(async () => {
    const config = loadConfig();
    const h = await openDatabase(config.database);
    try {
      const applied = await migrate(h.db, { onApply: (m) => out(`applied ${m.file}`) });
      out(applied.length === 0 ? `Nothing to apply on ${h.description}` : `Applied ${applied.length} migration(s) on ${h.description}`);
    } finally {
      await h.close();
    }
  });

program
  .command('seed')
  .description('Load a reference-data folder (default: the Shandong demo cluster); safe to run again')
  .option('--dir <dir>', 'reference-data folder with manifest.json', DEFAULT_DATASET)
  .option('--demo-users', 'also create one demo user per role')
  .action(async (opts: { dir: string; demoUsers?: boolean }) => {
    await withDatabase(async (h) => {
      await seedDemo(h, opts.dir);
      if (opts.demoUsers === true) {
        const { created } = await ensureDemoUsers({ db: h.db, clock: systemClock });
        out(`Demo users created: ${created.length === 0 ? 'none (already present)' : created.join(', ')}`);
      }
    });
  });

const reference = program.command('reference').description('Reference data');
reference
  .command('import')
  .description('Import a reference file. KIND: hs (HS nomenclature CSV: section,hscode,description,parent,level)')
  .argument('<kind>', 'hs')
  .argument('<file>', 'path of the file')
  .option('--edition <edition>', 'edition label stored with each code', 'HS2022')
  .action(async (kind: string, file: string, opts: { edition: string }) => {
    if (kind !== 'hs') {
      throw new Error(`Unknown reference kind "${kind}"; known: hs`);
    }
    const text = fs.readFileSync(file, 'utf8');
    await withDatabase(async (h) => {
      const r = await importHsCsv(h.db, text, opts.edition);
      out(
        `HS nomenclature ${opts.edition}: ${r.inserted} inserted, ${r.updated} updated${r.skipped.length > 0 ? `, ${r.skipped.length} non-code rows skipped` : ''}`,
      );
    });
  });

const audit = program.command('audit').description('Audit trail');
audit
  .command('verify')
  .description('Walk the hash-chained event log; exit 1 at the first broken link')
  .action(async () => {
    await withDatabase(async (h) => {
      const bar = new cliProgress.SingleBar(
        { format: 'verifying {bar} {value}/{total} events', stream: process.stderr },
        cliProgress.Presets.shades_classic,
      );
      let started = false;
      const report = await verifyChain(h.db, {
        onProgress: (checked, total) => {
          if (!started && process.stderr.isTTY) {
            bar.start(total, 0);
            started = true;
          }
          if (started) {
            bar.update(checked);
          }
        },
      });
      if (started) {
        bar.stop();
      }
      if (report.ok) {
        out(`Audit chain intact: ${report.checked} events verified, head ${report.lastHash.slice(0, 16)}…`);
      } else {
        err(
          `Audit chain BROKEN at event ${report.brokenAt.id} (seq ${report.brokenAt.seq}): ${report.brokenAt.reason}. ${report.checked} events before it verified.`,
        );
        failed = true;
      }
    });
  });

const orgs = program.command('orgs').description('Organisations');
orgs
  .command('list')
  .description('List organisations')
  .option('--json', 'print JSON')
  .action(async (opts: { json?: boolean }) => {
    await withDatabase(async (h) => {
      const rows = await h.db
        .selectFrom('organisations')
        .select(['id', 'code', 'kind', 'name_en', 'name_zh', 'district_code'])
        .orderBy('code')
        .execute();
      if (opts.json === true) {
        out(
          JSON.stringify(
            rows.map((r) => ({
              id: r.id,
              code: r.code,
              kind: r.kind,
              nameEn: r.name_en,
              nameZh: r.name_zh,
              districtCode: r.district_code,
            })),
            null,
            2,
          ),
        );
        return;
      }
      for (const r of rows) {
        out(`${r.code.padEnd(16)} ${r.kind.padEnd(11)} ${r.name_en}`);
      }
    });
  });

const users = program.command('users').description('Users');
users
  .command('create')
  .description('Create a user in an organisation')
  .requiredOption('--org <code>', 'organisation code')
  .addOption(new Option('--role <role>', 'role').choices([...ROLES]).makeOptionMandatory())
  .requiredOption('--username <username>', 'login name')
  .requiredOption('--password <password>', 'password (at least 8 characters)')
  .option('--display-name <name>', 'name shown in the UI')
  .action(async (opts: { org: string; role: Role; username: string; password: string; displayName?: string }) => {
    await withDatabase(async (h) => {
      const org = await h.db.selectFrom('organisations').select('id').where('code', '=', opts.org).executeTakeFirst();
      if (org === undefined) {
        throw new Error(`No organisation with code ${opts.org} (see: portcluster orgs list)`);
      }
      const { id } = await createUser(
        { db: h.db, clock: systemClock },
        {
          orgId: org.id,
          username: opts.username,
          displayName: opts.displayName ?? opts.username,
          role: opts.role,
          password: opts.password,
        },
        SYSTEM_ACTOR,
      );
      out(`Created user ${opts.username} (${id}) as ${opts.role} in ${opts.org}`);
    });
  });

registerBerthPlan(program);
registerImportEdifact(program, {
  withDatabase,
  clock: systemClock,
  fail: () => {
    failed = true;
  },
});
try {
  await program.parseAsync(process.argv);
} catch (e) {
  const error = e as Error;
  err(error instanceof AppError ? `${error.code}: ${error.message}` : `error: ${error.message}`);
  failed = true;
}
if (failed) {
  process.exitCode = 1;
}
