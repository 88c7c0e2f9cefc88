import { runCli, type CliRun } from '../../test/cli.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, usingPostgres } from '../../test/db.ts';
import { ManualClock } from '../core/clock.ts';
import { openDatabase, type DatabaseHandle, type Db } from '../db/client.ts';
import {
  appendEvent,
  appendEvents,
  eventHash,
  GENESIS_HASH,
  SYSTEM_ACTOR,
  toStoredEvent,
  verifyChain,
  EVENT_COLUMNS,
  type StoredEvent,
} from './event-log.ts';

let database: DatabaseHandle;
let db: Db;
const clock = new ManualClock('2026-11-01T08:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  await sql`create table t_counter(n int not null)`.execute(db);
  await sql`insert into t_counter(n) values (0)`.execute(db);
});
afterAll(async () => database.close());

const append = (n: number, aggregateId = 'thing-1'): Promise<StoredEvent> =>
  db
    .transaction()
    .execute((trx) =>
      appendEvent(trx, clock, { type: 'test.happened', aggregateType: 'thing', aggregateId, actor: SYSTEM_ACTOR, payload: { n, x: 'a' } }),
    );

const count = async (table: 'events' | 'outbox' | 'jobs'): Promise<number> =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const eventAt = async (h: Db, seq: number): Promise<StoredEvent> =>
  toStoredEvent(await h.selectFrom('events').select(EVENT_COLUMNS).where('seq', '=', seq).executeTakeFirstOrThrow());

/**
 * Changes events the way a DBA with table-owner rights could: the append-only trigger is switched
 * off for one transaction only (DDL is transactional on both PGlite and PostgreSQL), so no session
 * state leaks into later queries on PGlite's single connection.
 */
const tamper = async (h: Db, ...stmts: RawBuilder<unknown>[]): Promise<void> => {
  await h.transaction().execute(async (trx) => {
    await sql`alter table events disable trigger events_no_update`.execute(trx);
    for (const s of stmts) {
      await s.execute(trx);
    }
    await sql`alter table events enable trigger events_no_update`.execute(trx);
  });
};

const errorOf = async (p: Promise<unknown>): Promise<Error & { code?: string }> => {
  try {
    await p;
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected the statement to be refused');
};

describe('event log', () => {
  it('chains each appended event to the one before it, starting from the genesis hash', async () => {
    expect(await count('events')).toBe(0);
    const appended: StoredEvent[] = [];
    for (let n = 1; n <= 5; n += 1) {
      clock.advance(1000);
      appended.push(await append(n, n % 2 === 0 ? 'thing-2' : 'thing-1'));
    }
    expect(appended[0]?.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < appended.length; i += 1) {
      expect(appended[i]?.prevHash).toBe(appended[i - 1]?.hash);
      expect(appended[i]?.seq).toBe((appended[i - 1]?.seq ?? 0) + 1);
    }
    // What was stored is what was hashed.
    for (const e of appended) {
      const stored = await eventAt(db, e.seq);
      expect(stored.hash).toBe(e.hash);
      expect(eventHash(stored)).toBe(e.hash);
    }
    expect(await count('outbox')).toBe(5);
    expect(await verifyChain(db)).toEqual({ ok: true, checked: 5, lastHash: appended[4]?.hash });
    // Batching must not change the outcome.
    expect(await verifyChain(db, { batchSize: 2 })).toEqual({ ok: true, checked: 5, lastHash: appended[4]?.hash });
  });

  it('is refused UPDATE, DELETE and TRUNCATE by the database', async () => {
    const refused = [
      sql`update events set payload = '{}'::jsonb where seq = 1`,
      sql`delete from events where seq = 5`,
      // outbox references events, so truncate both or the FK check fires before the trigger
      sql`truncate events, outbox`,
    ];
    for (const [i, stmt] of refused.entries()) {
      const e = await errorOf(stmt.execute(db));
      expect(e.message).toMatch(new RegExp(`events are append-only: ${['UPDATE', 'DELETE', 'TRUNCATE'][i]} refused`));
      expect(e.code).toBe('42501');
    }
    expect(await count('events')).toBe(5);
    expect(await count('outbox')).toBe(5);
    expect((await verifyChain(db)).ok).toBe(true);
  });

  it('commits or rolls back an event together with the change it records', async () => {
    const before = { events: await count('events'), outbox: await count('outbox'), jobs: await count('jobs') };
    await expect(
      db.transaction().execute(async (trx) => {
        await sql`update t_counter set n = n + 100`.execute(trx);
        await appendEvent(trx, clock, {
          type: 'test.happened',
          aggregateType: 'thing',
          aggregateId: 'thing-1',
          actor: SYSTEM_ACTOR,
          payload: { n: 99 },
        });
        throw new Error('business rule failed after the append');
      }),
    ).rejects.toThrow('business rule failed');
    expect({ events: await count('events'), outbox: await count('outbox'), jobs: await count('jobs') }).toEqual(before);
    expect((await sql<{ n: number }>`select n from t_counter`.execute(db)).rows[0]?.n).toBe(0);
    // The chain continues from the last committed event, not the rolled-back one.
    const last = await eventAt(db, 5);
    const next = await append(6);
    expect(next.prevHash).toBe(last.hash);
    expect(await verifyChain(db)).toMatchObject({ ok: true, checked: 6 });
  });

  it('detects a payload changed by one byte, naming the event', async () => {
    const target = await eventAt(db, 3);
    await tamper(db, sql`update events set payload = jsonb_set(payload, '{x}', '"b"') where seq = 3`);
    expect((await eventAt(db, 3)).payload).toEqual({ n: 3, x: 'b' });
    expect(await verifyChain(db)).toEqual({
      ok: false,
      checked: 2,
      brokenAt: { seq: 3, id: target.id, reason: 'content does not match its hash' },
    });
    await tamper(db, sql`update events set payload = jsonb_set(payload, '{x}', '"a"') where seq = 3`);
    expect((await verifyChain(db)).ok).toBe(true);
  });

  it('detects a broken prev_hash link', async () => {
    const target = await eventAt(db, 4);
    await tamper(db, sql`update events set prev_hash = ${'f'.repeat(64)} where seq = 4`);
    expect(await verifyChain(db)).toEqual({
      ok: false,
      checked: 3,
      brokenAt: { seq: 4, id: target.id, reason: 'prev_hash does not match the previous event' },
    });
    await tamper(db, sql`update events set prev_hash = ${target.prevHash} where seq = 4`);
    expect((await verifyChain(db)).ok).toBe(true);
  });

  it('detects an event rewritten with a recomputed hash at the next link, and a deleted event', async () => {
    const original = await eventAt(db, 3);
    const forged = { ...original, payload: { n: 3, x: 'forged' } };
    const forgedHash = eventHash(forged);
    await tamper(db, sql`update events set payload = ${JSON.stringify(forged.payload)}::jsonb, hash = ${forgedHash} where seq = 3`);
    const four = await eventAt(db, 4);
    expect(await verifyChain(db)).toMatchObject({ ok: false, checked: 3, brokenAt: { seq: 4, id: four.id } });
    await tamper(db, sql`update events set payload = ${JSON.stringify(original.payload)}::jsonb, hash = ${original.hash} where seq = 3`);
    expect((await verifyChain(db)).ok).toBe(true);

    // Deleting a row in the middle is caught at its successor. Done in a rolled-back transaction,
    // since the outbox row keeps the event (FK) and we want the log intact afterwards.
    const rollback = new Error('rollback');
    await expect(
      db.transaction().execute(async (trx) => {
        await sql`alter table events disable trigger events_no_update`.execute(trx);
        await sql`delete from outbox where event_seq = 2`.execute(trx);
        await sql`delete from events where seq = 2`.execute(trx);
        expect(await verifyChain(trx)).toMatchObject({ ok: false, checked: 1, brokenAt: { seq: 3, id: original.id } });
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(await verifyChain(db)).toMatchObject({ ok: true, checked: 6 });
  });

  it('keeps concurrent transactions from interleaving (PGlite: the driver lock; PostgreSQL: row and chain locks)', async () => {
    const before = await count('events');
    const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction().execute(async (trx) => {
          // Read-modify-write with a yield in between, inviting another transaction to interleave.
          const { n } = (await sql<{ n: number }>`select n from t_counter for update`.execute(trx)).rows[0] as { n: number };
          await tick();
          await sql`update t_counter set n = ${n + 1}`.execute(trx);
          await tick();
          return appendEvent(trx, clock, {
            type: 'test.counted',
            aggregateType: 'counter',
            aggregateId: 'c',
            actor: SYSTEM_ACTOR,
            payload: { n: n + 1 },
          });
        }),
      ),
    );
    expect((await sql<{ n: number }>`select n from t_counter`.execute(db)).rows[0]?.n).toBe(20);
    const seqs = results.map((e) => e.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => (seqs[0] as number) + i));
    expect(new Set(seqs).size).toBe(20);
    // Counter values follow commit order, i.e. seq order.
    const rows = await db.selectFrom('events').select(['seq', 'payload']).where('type', '=', 'test.counted').orderBy('seq').execute();
    expect(rows.map((r) => (r.payload as { n: number }).n)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await verifyChain(db)).toMatchObject({ ok: true, checked: before + 20 });
  });
});

type Run = CliRun;
const cli = runCli;

// The CLI opens the environment's database, so only the PGlite run exercises it.
describe('event log, batch appends', () => {
  let bdatabase: DatabaseHandle;
  let bdb: Db;
  beforeAll(async () => {
    bdatabase = await createTestDatabase();
    bdb = bdatabase.db;
  });
  afterAll(async () => bdatabase.close());
  const appendOne = (n: number) =>
    bdb
      .transaction()
      .execute((trx) =>
        appendEvent(trx, clock, { type: 'test.happened', aggregateType: 'thing', aggregateId: 'x', actor: SYSTEM_ACTOR, payload: { n } }),
      );
  const countIn = async (table: 'outbox'): Promise<number> =>
    Number(
      (
        await bdb
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('appends a batch in one go, chained in order between single appends, with one outbox row per event', async () => {
    const outboxBefore = await countIn('outbox');
    await appendOne(100);
    const batch = await bdb.transaction().execute((trx) =>
      appendEvents(
        trx,
        clock,
        Array.from({ length: 250 }, (_, i) => ({
          type: 'test.batched',
          aggregateType: 'thing',
          aggregateId: `thing-${i % 7}`,
          orgIds: i % 2 === 0 ? ['org_b', 'org_"a"'] : [],
          districtCode: i % 3 === 0 ? '4200' : null,
          actor: SYSTEM_ACTOR,
          payload: { i, text: 'quote " backslash \\ 中文 🚢 \u2028' },
        })),
      ),
    );
    await appendOne(101);
    expect(batch).toHaveLength(250);
    expect(batch.map((b) => b.seq)).toEqual([...batch.map((b) => b.seq)].sort((a, b) => a - b));
    expect(await countIn('outbox')).toBe(outboxBefore + 252);
    const first = await eventAt(bdb, batch[0]?.seq ?? 0);
    expect(first.orgIds).toEqual(['org_"a"', 'org_b']);
    expect(first.districtCode).toBe('4200');
    expect(first.payload).toEqual({ i: 0, text: 'quote " backslash \\ 中文 🚢 \u2028' });
    const report = await verifyChain(bdb);
    expect(report.ok).toBe(true);
  });
});

describe.skipIf(usingPostgres())('portcluster audit verify', () => {
  let dir: string;
  let targetId: string;
  let broken: Run | undefined;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcluster-audit-'));
    const seeded = await cli(['seed'], dir);
    expect(seeded.code, seeded.stderr).toBe(0);
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('exits 0 and says "intact" on the seeded log', async () => {
    const intact = await cli(['audit', 'verify'], dir);
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.stdout).toMatch(/Audit chain intact: \d+ events verified/);
    expect(Number(/intact: (\d+) events/.exec(intact.stdout)?.[1])).toBeGreaterThan(3);
  }, 120_000);

  it('names the tampered event on stderr', async () => {
    const h = await openDatabase({ kind: 'pglite', dataDir: dir });
    try {
      targetId = (await eventAt(h.db, 3)).id;
      await tamper(h.db, sql`update events set payload = jsonb_set(payload, '{tampered}', 'true') where seq = 3`);
    } finally {
      await h.close();
    }
    broken = await cli(['audit', 'verify'], dir);
    expect(broken.stderr).toContain(`Audit chain BROKEN at event ${targetId} (seq 3): content does not match its hash`);
    expect(broken.stdout).not.toContain('intact');
  }, 120_000);

  // KNOWN BUG (reported, not fixed here): main.ts sets process.exitCode = 1 inside withDatabase,
  // and PGlite 0.4.6's close() then resets process.exitCode to 0. Drop `.fails` once fixed.
  it('exits 1 on the broken chain', () => {
    expect(broken?.code).toBe(1);
  });
});
