import { loadUserPrincipal } from '../auth/authenticate.ts';
import type { Principal } from '../auth/principal.ts';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../db/client.ts';
import { ingestContainerEvents } from '../modules/cargo/index.ts';
import { act, declare, type DeclarationInput, type DeclarationRow } from '../modules/declarations/index.ts';

/**
 * Demo only: the trader's declarations for the bills of the demo ship alongside at Qianwan (see
 * demo-cargo.ts) and the next ship's export, driven by the officer into different statuses so the
 * workbench, the declarant's list and the terminal's instructions have something to show; and one
 * gate-out of a box customs never released, which raises the interlock alarm. Everything goes
 * through the same commands as the API, so the risk rules in force pick the channels.
 */
const user = async (db: Db, username: string): Promise<Principal | null> => {
  const row = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
  return row === undefined ? null : loadUserPrincipal(db, row.id);
};

type BillGoods = { number: string; boxes: string[]; hsCode: string; description: string; netKg: number; grossKg: number };

/** One declaration per bill, its items built from the manifest's goods so weights and HS agree. */
const billGoods = async (db: Db, billNumber: string): Promise<BillGoods | null> => {
  const row = await db
    .selectFrom('bills')
    .innerJoin('manifests', 'manifests.id', 'bills.manifest_id')
    .select(['bills.number', 'bills.equipment', 'manifests.document'])
    .where('bills.number', '=', billNumber)
    .executeTakeFirst();
  if (row === undefined) {
    return null;
  }
  const doc = row.document as {
    bills: { number: string; goods: { hsCode: string; description: string; grossKg: number; netKg?: number | null }[] }[];
  };
  const goods = doc.bills.find((b) => b.number === billNumber)?.goods ?? [];
  const first = goods[0];
  if (first === undefined) {
    return null;
  }
  const grossKg = goods.reduce((s, g) => s + g.grossKg, 0);
  const netKg = Math.round(goods.reduce((s, g) => s + (g.netKg ?? g.grossKg * 0.95), 0));
  return { number: billNumber, boxes: row.equipment, hsCode: first.hsCode.padEnd(10, '0'), description: first.description, netKg, grossKg };
};

const body = (b: BillGoods, over: Partial<DeclarationInput>): DeclarationInput => ({
  direction: 'import',
  procedure: 'standard',
  enterpriseCode: '3702930001',
  customsCode: '4218',
  transport: { mode: '2', vesselName: 'ZHONG GU JI NAN', voyage: '059E', billNumber: b.number, containerNumbers: b.boxes },
  tradeMode: '0110',
  transactionTerms: 'CIF',
  tradeCountry: 'KR',
  packages: 200 * b.boxes.length,
  packageType: 'CT',
  grossKg: b.grossKg,
  netKg: b.netKg,
  currency: 'USD',
  items: [
    { hsCode: b.hsCode, description: b.description, quantity: b.netKg, unit: 'KG', netKg: b.netKg, value: b.netKg * 4, origin: 'KR' },
  ],
  ...over,
});

/** Moves a declaration on with the officer's commands, skipping those its status does not allow. */
const drive = async (deps: { db: Db; clock: Clock }, officer: Principal, d: DeclarationRow, steps: Parameters<typeof act>[3][]) => {
  let row = d;
  for (const step of steps) {
    try {
      row = await act(deps, officer, row.id, step, step === 'record-inspection' ? { outcome: 'clear' } : {});
    } catch {
      // the rules may already have moved it further (e.g. released on the release channel)
    }
  }
  return row;
};

export const ensureDemoDeclarations = async ({ db, clock }: { db: Db; clock: Clock }): Promise<number> => {
  const any = await db.selectFrom('declarations').select('id').limit(1).executeTakeFirst();
  if (any !== undefined) {
    return 0;
  }
  const trader = await user(db, 'trader');
  const officer = await user(db, 'officer');
  const terminal = await user(db, 'terminal');
  if (trader === null || officer === null || terminal === null) {
    return 0;
  }
  const deps = { db, clock };
  const bills = await Promise.all(['COSU6310000', 'COSU6310001', 'COSU6310002', 'TGHU-EXP-77001'].map((n) => billGoods(db, n)));
  const [tyres, electronics, grain, valves] = bills;
  if (!tyres || !electronics || !grain) {
    return 0;
  }
  let filed = 0;
  // released after review: the boxes already went out of the gate
  const released = await declare(deps, trader, body(tyres, {}));
  await drive(deps, officer, released, ['review', 'release']);
  filed += 1;
  // waiting in the officer's queue
  await declare(deps, trader, body(electronics, { enterpriseCode: '3702940002', tradeCountry: 'KR' }));
  filed += 1;
  // an inspection ordered: the terminal gets its inspection instructions
  const inspected = await declare(deps, trader, body(grain, {}));
  await drive(deps, officer, inspected, ['review', 'order-inspection']);
  filed += 1;
  if (valves) {
    // an export declared in advance, before the boxes reach the terminal
    await declare(
      deps,
      trader,
      body(valves, {
        direction: 'export',
        procedure: 'advance',
        tradeCountry: 'SG',
        transactionTerms: 'FOB',
        transport: { mode: '2', vesselName: 'ZHONG GU JI NAN', voyage: '008E', billNumber: valves.number, containerNumbers: valves.boxes },
        items: [
          {
            hsCode: '8481800000',
            description: 'Valves and taps for pipes',
            quantity: 240,
            unit: 'PCS',
            netKg: valves.netKg,
            value: 96_000,
            origin: 'CN',
          },
        ],
      }),
    );
    filed += 1;
  }
  // the terminal lets a box out that customs never released: stored, and the interlock alarm goes off
  const unreleased = grain.boxes.at(-1);
  if (unreleased !== undefined) {
    await ingestContainerEvents(deps, terminal, [
      {
        eventId: `QQCT-GO-${unreleased}`,
        kind: 'gate-out',
        containerNumber: unreleased,
        occurredAt: new Date(clock.now().getTime() - 3_600_000).toISOString(),
        vehicle: '鲁B52399',
      },
    ]);
  }
  return filed;
};
