import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { loadUserPrincipal } from '../auth/authenticate.ts';
import type { Clock } from '../core/clock.ts';
import type { DatabaseHandle } from '../db/client.ts';
import { importInterchange, MAX_EDIFACT_BYTES } from '../modules/cargo/index.ts';

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/**
 * `portcluster import edifact FILE --as USER`: the same import as the upload endpoint, acting as a
 * named user (who may see which calls and boxes decides what imports). Exit 1 when any message is
 * not imported, 2 when the file cannot be read or is too large.
 */
export const registerImportEdifact = (
  program: Command,
  deps: { withDatabase: <T>(fn: (h: DatabaseHandle) => Promise<T>) => Promise<T>; clock: Clock; fail: () => void },
): void => {
  const group = program.command('import').description('Import files into the platform');
  group
    .command('edifact')
    .description('Import a UN/EDIFACT interchange (CUSCAR, BAPLIE, COARRI, CODECO, IFTSTA) as a user')
    .argument('<file>', 'the interchange file')
    .requiredOption('--as <username>', 'the user the file comes from (e.g. the demo "terminal" or "agent")')
    .option('--port-call <id>', 'the call a CUSCAR or BAPLIE belongs to, when vessel and voyage do not name it')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts: { as: string; portCall?: string; json?: boolean }) => {
      let bytes: Buffer;
      try {
        const size = fs.statSync(file).size;
        if (size > MAX_EDIFACT_BYTES) {
          process.stderr.write(`error: ${file} has ${size} bytes; at most ${MAX_EDIFACT_BYTES} are accepted\n`);
          process.exitCode = 2;
          return;
        }
        bytes = fs.readFileSync(file);
      } catch (e) {
        process.stderr.write(`error: cannot read ${file}: ${(e as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      await deps.withDatabase(async (h) => {
        const user = await h.db.selectFrom('users').select('id').where('username', '=', opts.as).executeTakeFirst();
        const principal = user === undefined ? null : await loadUserPrincipal(h.db, user.id);
        if (principal === null) {
          throw new Error(`No active user ${opts.as} (see: portcluster users create)`);
        }
        const bar = new cliProgress.SingleBar(
          { format: `${path.basename(file)} {bar} {value}/{total} boxes`, stream: process.stderr },
          cliProgress.Presets.shades_classic,
        );
        const tty = process.stderr.isTTY;
        let started = false;
        const result = await importInterchange(
          { db: h.db, clock: deps.clock },
          principal,
          { bytes, fileName: path.basename(file), portCallId: opts.portCall ?? null },
          (done, total) => {
            if (!tty) {
              return;
            }
            if (!started) {
              bar.start(total, 0);
              started = true;
            }
            bar.update(Math.min(done, total));
          },
        );
        if (started) {
          bar.stop();
        }
        if (opts.json === true) {
          out(JSON.stringify(result, null, 2));
        } else {
          out(
            `${result.fileName ?? file}: ${result.ok ? 'sound' : 'DEFECTIVE'} interchange ${result.controlRef ?? '(no UNB)'}, ${result.messages.length} message(s), id ${result.id}`,
          );
          for (const e of result.errors) {
            out(`  error ${e.code} at segment ${e.segment ?? '-'} ${e.tag ?? ''}: ${e.message}`);
          }
          for (const m of result.messages) {
            const ev = m.outcome.events;
            const counts = ev === undefined ? '' : ` (${ev.accepted} accepted, ${ev.duplicates} duplicates, ${ev.rejected} rejected)`;
            out(
              `  ${m.type} ${m.ref} ${m.version}: ${m.segmentCount} segments, ${m.equipmentCount} boxes → ${m.outcome.status}${counts}${m.outcome.reason !== undefined ? `: ${m.outcome.reason}` : ''}`,
            );
            for (const r of (ev?.rejections ?? []).slice(0, 20)) {
              out(`    ${r.eventId ?? '?'} ${r.code}: ${r.reason}`);
            }
          }
        }
        if (
          !result.ok ||
          result.messages.some(
            (m) => m.outcome.status === 'rejected' || m.outcome.status === 'unsupported' || m.outcome.status === 'partly-imported',
          )
        ) {
          deps.fail();
        }
      });
    });
};
