import { loadUserPrincipal } from '../auth/authenticate.ts';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../db/client.ts';
import { fileCall, type FileCallInput } from '../modules/port-calls/index.ts';
import { declareHealth, HEALTH_QUESTIONS } from '../modules/quarantine/index.ts';

/**
 * Demo only: a handful of ships on their way, filed by the demo agent when the demo database has no
 * port call yet, so the arrivals board, the quarantine queue and the berth plan have something to
 * show. Times are relative to the first start. Every call goes through the same commands as the API.
 */
const NO = Object.fromEntries(HEALTH_QUESTIONS.map((q) => [q, false])) as Record<(typeof HEALTH_QUESTIONS)[number], boolean>;

type DemoCall = { input: Omit<FileCallInput, 'eta' | 'etd' | 'lastPortDeparture'>; etaHours: number; stayHours: number; declare: boolean };

const QGD = { portCode: 'CNQGD', customsCode: '4218' };
const calls: DemoCall[] = [
  {
    input: {
      portLocode: 'CNTAO',
      declaredCode: QGD,
      vessel: { imo: '1001037', draftM: 14.5 },
      voyage: '061E',
      lastPort: 'KRPUS',
      nextPort: 'JPTYO',
      purpose: 'cargo',
      cargoType: 'container',
      cargoSummary: '1,800 TEU discharge, 1,650 TEU load',
      crewCount: 24,
      dangerousGoods: false,
    },
    etaHours: 30,
    stayHours: 20,
    declare: true,
  },
  {
    input: {
      portLocode: 'CNTAO',
      declaredCode: { portCode: 'CNQDG', customsCode: '4202' },
      vessel: { imo: '1004015', draftM: 8.2 },
      voyage: 'OP2611',
      lastPort: 'JPFUK',
      purpose: 'passengers',
      cargoType: 'cruise',
      cargoSummary: 'Cruise call, 2,600 passengers',
      crewCount: 1100,
      passengerCount: 2600,
      dangerousGoods: false,
    },
    etaHours: 26,
    stayHours: 10,
    declare: true,
  },
  {
    input: {
      portLocode: 'CNTAO',
      declaredCode: QGD,
      vessel: { imo: '1001049', draftM: 10 },
      voyage: '112W',
      lastPort: 'KRINC',
      portsOfCall: [{ locode: 'BRSSZ', departedAt: '' }],
      purpose: 'cargo',
      cargoType: 'container',
      cargoSummary: '600 TEU',
      crewCount: 18,
      dangerousGoods: true,
    },
    etaHours: 8,
    stayHours: 12,
    declare: true,
  },
  {
    input: {
      portLocode: 'CNTAO',
      declaredCode: QGD,
      vessel: { imo: '1001051', draftM: 8 },
      voyage: '045N',
      lastPort: 'CNSHA',
      purpose: 'cargo',
      cargoType: 'container',
      crewCount: 14,
      dangerousGoods: false,
    },
    etaHours: 28,
    stayHours: 8,
    declare: false,
  },
  {
    input: {
      portLocode: 'CNTAO',
      declaredCode: QGD,
      vessel: { imo: '1001025', draftM: 15.5 },
      voyage: '008E',
      lastPort: 'SGSIN',
      purpose: 'cargo',
      cargoType: 'container',
      crewCount: 25,
      dangerousGoods: false,
    },
    etaHours: 36,
    stayHours: 24,
    declare: false,
  },
];

export const ensureDemoPortCalls = async ({ db, clock }: { db: Db; clock: Clock }): Promise<number> => {
  const any = await db.selectFrom('port_calls').select('id').limit(1).executeTakeFirst();
  if (any !== undefined) {
    return 0;
  }
  const user = await db.selectFrom('users').select('id').where('username', '=', 'agent').executeTakeFirst();
  const agent = user === undefined ? null : await loadUserPrincipal(db, user.id);
  if (agent === null) {
    return 0;
  }
  const now = clock.now().getTime();
  const at = (hours: number): string => new Date(now + hours * 3_600_000).toISOString();
  for (const c of calls) {
    const call = await fileCall({ db, clock }, agent, {
      ...c.input,
      ...(c.input.portsOfCall !== undefined ? { portsOfCall: c.input.portsOfCall.map((p) => ({ ...p, departedAt: at(-240) })) } : {}),
      lastPortDeparture: at(c.etaHours - 30),
      eta: at(c.etaHours),
      etd: at(c.etaHours + c.stayHours),
    });
    if (c.declare) {
      await declareHealth({ db, clock }, agent, call.id, {
        healthDeclaration: { master: 'Demo Master', answers: NO },
        sanitationCertificate: {
          number: `QD-SSC-${c.input.voyage}`,
          issuedOn: new Date(now - 90 * 86_400_000).toISOString().slice(0, 10),
          issuedAt: 'CNTAO',
        },
        crewHealth: { feverCount: 0, illCount: 0 },
      });
    }
  }
  return calls.length;
};
