import { loadUserPrincipal } from '../auth/authenticate.ts';
import type { Principal } from '../auth/principal.ts';
import type { Clock } from '../core/clock.ts';
import { containerNumber } from '../core/codes.ts';
import type { Db } from '../db/client.ts';
import { inTransaction } from '../db/tx.ts';
import { SYSTEM_ACTOR } from '../events/event-log.ts';
import { fileManifest, ingestContainerEvents, type FileManifestInput } from '../modules/cargo/index.ts';
import {
  fileCall,
  planBerth,
  recordArrival,
  recordBerthing,
  recordQuarantineOutcome,
  startCargoOperations,
} from '../modules/port-calls/index.ts';

/**
 * Demo only: one container ship already alongside at Qianwan (the previous voyage of a demo
 * ship), with an import manifest of twelve boxes in various stages — discharged, held, released,
 * gated out — and an export pre-stowage manifest for a ship still to come, so the cargo pages
 * have something to show. Everything goes through the same commands as the API.
 */
const box = containerNumber;

const user = async (db: Db, username: string): Promise<Principal | null> => {
  const row = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
  return row === undefined ? null : loadUserPrincipal(db, row.id);
};

type Goods = { description: string; hsCode: string; packageType: string; perBoxKg: number };
const GOODS: Goods[] = [
  { description: 'New pneumatic tyres for lorries', hsCode: '401120', packageType: 'PK', perBoxKg: 18_500 },
  { description: 'Portable computers', hsCode: '847130', packageType: 'CT', perBoxKg: 6_200 },
  { description: 'Smartphones', hsCode: '851713', packageType: 'CT', perBoxKg: 4_800 },
  { description: 'Soybeans, not for sowing, in bulk bags', hsCode: '120190', packageType: 'JB', perBoxKg: 26_000 },
];

export const ensureDemoCargo = async ({ db, clock }: { db: Db; clock: Clock }): Promise<number> => {
  const any = await db.selectFrom('manifests').select('id').limit(1).executeTakeFirst();
  if (any !== undefined) {
    return 0;
  }
  const agent = await user(db, 'agent');
  const terminal = await user(db, 'terminal');
  const officer = await user(db, 'officer');
  const berth = await db.selectFrom('berths').select('id').where('code', '=', 'QQCT-02').executeTakeFirst();
  if (agent === null || terminal === null || officer === null || berth === undefined) {
    return 0;
  }
  const deps = { db, clock };
  const now = clock.now().getTime();
  const at = (hours: number): string => new Date(now + hours * 3_600_000).toISOString();

  // The ship arrived 30 h ago; the agent reports it late (it is only now on the platform).
  const call = await fileCall(deps, agent, {
    portLocode: 'CNTAO',
    declaredCode: { portCode: 'CNQGD', customsCode: '4218' },
    vessel: { imo: '1001037', draftM: 14.2 },
    voyage: '059E',
    lastPort: 'KRPUS',
    lastPortDeparture: at(-60),
    eta: at(-30),
    etd: at(8),
    purpose: 'cargo',
    cargoType: 'container',
    cargoSummary: '12 boxes (demo)',
    crewCount: 24,
    dangerousGoods: false,
  });
  await planBerth(deps, terminal, call.id, { berthId: berth.id, start: at(-29), end: at(8) });
  await recordArrival(deps, agent, call.id, { at: at(-30), place: 'anchorage' });
  await recordBerthing(deps, terminal, call.id, { at: at(-29) });
  await inTransaction(db, (trx) =>
    recordQuarantineOutcome(trx, clock, call.id, SYSTEM_ACTOR, { mode: 'telecom', pratiqueGrantedAt: new Date(now - 29.5 * 3_600_000) }),
  );
  await startCargoOperations(deps, terminal, call.id, { at: at(-28) });

  const numbers = Array.from({ length: 12 }, (_, i) => box(i % 2 === 0 ? 'COS' : 'MSC', 410_000 + i * 37));
  const bills: FileManifestInput['bills'] = [0, 1, 2].map((b) => ({
    number: `COSU6${String(310_000 + b)}`,
    consignee: ['Qingdao Rubber Trading Co', 'Jiaozhou Electronics Import Co', 'Shandong Grain Logistics'][b] ?? null,
    shipper: ['Busan Tyre Co', 'Busan Electronics Export', 'Busan Agri Export'][b] ?? null,
    placeOfLoading: 'KRPUS',
    placeOfDischarge: 'CNTAO',
    goods: numbers.slice(b * 4, b * 4 + 4).map((n, k) => {
      const g = GOODS[(b + k) % GOODS.length] as Goods;
      return {
        description: g.description,
        hsCode: g.hsCode,
        packages: 200 + k * 10,
        packageType: g.packageType,
        grossKg: g.perBoxKg,
        netKg: g.perBoxKg * 0.95,
        equipment: [n],
      };
    }),
  }));
  // One house bill under the first master bill.
  const first = numbers[0] as string;
  bills.push({
    number: 'QDHB-2611-01',
    masterNumber: bills[0]?.number ?? null,
    consignee: 'Qingdao Tyre Retail Co',
    goods: [
      {
        description: 'New pneumatic tyres (house bill share)',
        hsCode: '401120',
        packages: 40,
        packageType: 'PK',
        grossKg: 3_000,
        netKg: 2_850,
        equipment: [first],
      },
    ],
  });
  await fileManifest(deps, agent, {
    kind: 'import-original',
    portCallId: call.id,
    documentNumber: 'QD-059E-IMP-01',
    bills,
    equipment: numbers.map((number, i) => ({
      number,
      sizeType: i % 3 === 0 ? '45G1' : '22G1',
      fullness: 'full',
      seals: [`CN${880_100 + i}`],
    })),
  });

  // Discharge over the first hours alongside; customs and the terminal then move some boxes on.
  const events: Record<string, unknown>[] = [];
  numbers.forEach((n, i) => {
    events.push({
      eventId: `QQCT-D-${n}`,
      kind: 'discharge',
      containerNumber: n,
      occurredAt: at(-27.5 + i * 0.25),
      location: `0${String(10 + i)}0482`,
    });
    events.push({
      eventId: `QQCT-Y-${n}`,
      kind: 'yard-move',
      containerNumber: n,
      occurredAt: at(-27.3 + i * 0.25),
      location: `Y${String.fromCharCode(65 + (i % 4))}-${String(i + 1).padStart(2, '0')}-3`,
    });
  });
  numbers
    .slice(0, 6)
    .forEach((n, i) =>
      events.push({ eventId: `QQCT-TR-${n}`, kind: 'terminal-release', containerNumber: n, occurredAt: at(-12 + i * 0.5) }),
    );
  numbers.slice(0, 4).forEach((n, i) =>
    events.push({
      eventId: `QQCT-GO-${n}`,
      kind: 'gate-out',
      containerNumber: n,
      occurredAt: at(-6 + i * 0.5),
      vehicle: `鲁B${String(52_300 + i)}`,
    }),
  );
  await ingestContainerEvents(deps, terminal, events);
  const customs: Record<string, unknown>[] = numbers
    .slice(0, 8)
    .map((n, i) => ({ eventId: `QDC-R-${n}`, kind: 'customs-release', containerNumber: n, occurredAt: at(-20 + i * 0.5) }));
  const held = numbers[10] as string;
  customs.push({ eventId: `QDC-H-${held}`, kind: 'customs-hold', containerNumber: held, occurredAt: at(-18) });
  await ingestContainerEvents(deps, officer, customs);

  // The next ship's export boxes, filed ahead of loading.
  const next = await db.selectFrom('port_calls').select('id').where('voyage', '=', '008E').executeTakeFirst();
  if (next !== undefined) {
    const exports = Array.from({ length: 4 }, (_, i) => box('TGH', 520_000 + i * 11));
    await fileManifest(deps, agent, {
      kind: 'export-pre-stowage',
      portCallId: next.id,
      documentNumber: 'QD-008E-EXP-01',
      bills: [
        {
          number: 'TGHU-EXP-77001',
          shipper: 'Weifang Machinery Export Co',
          consignee: 'Singapore Industrial Supply Pte',
          placeOfLoading: 'CNTAO',
          placeOfDischarge: 'SGSIN',
          goods: exports.map((n, k) => ({
            description: 'Valves and taps for pipes',
            hsCode: '8481',
            packages: 60 + k,
            packageType: 'CS',
            grossKg: 9_000 + k * 250,
            equipment: [n],
          })),
        },
      ],
      equipment: exports.map((number) => ({ number, sizeType: '22G1', fullness: 'full' })),
    });
  }
  return numbers.length;
};
