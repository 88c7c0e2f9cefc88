import { createUser } from '../auth/auth.commands.ts';
import type { Role } from '../auth/roles.ts';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../db/client.ts';
import { SYSTEM_ACTOR } from '../events/event-log.ts';

/** One demo user per role, in the demo organisations of reference-data/shandong (docs/DEMO.md). */
export const DEMO_USERS: { username: string; role: Role; orgCode: string; displayName: string }[] = [
  { username: 'officer', role: 'customs-officer', orgCode: 'QD-CUSTOMS', displayName: '王关员 (customs officer)' },
  { username: 'analyst', role: 'risk-analyst', orgCode: 'QD-CUSTOMS', displayName: '李分析 (risk analyst)' },
  { username: 'terminal', role: 'terminal-operator', orgCode: 'QQCT', displayName: '张调度 (terminal planner)' },
  { username: 'agent', role: 'agent', orgCode: 'DEMO-AGENCY', displayName: '陈代理 (shipping agent)' },
  { username: 'trader', role: 'declarant', orgCode: 'DEMO-TRADER', displayName: '刘报关 (declarant)' },
  { username: 'lab', role: 'laboratory', orgCode: 'QD-LAB', displayName: '赵化验 (laboratory)' },
  { username: 'rail', role: 'operator', orgCode: 'DEMO-RAIL', displayName: '孙班列 (rail / zone operator)' },
  { username: 'admin', role: 'admin', orgCode: 'PLATFORM', displayName: '平台管理员 (administrator)' },
];

/** Demo only: printed at start and written in docs/DEMO.md. Never use the demo seed in production. */
export const DEMO_PASSWORD = 'portcluster-demo';

export const ensureDemoUsers = async ({ db, clock }: { db: Db; clock: Clock }): Promise<{ created: string[] }> => {
  const created: string[] = [];
  for (const u of DEMO_USERS) {
    const exists = await db.selectFrom('users').select('id').where('username', '=', u.username).executeTakeFirst();
    if (exists !== undefined) {
      continue;
    }
    const org = await db.selectFrom('organisations').select('id').where('code', '=', u.orgCode).executeTakeFirst();
    if (org === undefined) {
      throw new Error(`demo organisation ${u.orgCode} is missing: run the seed first`);
    }
    await createUser(
      { db, clock },
      { orgId: org.id, username: u.username, displayName: u.displayName, role: u.role, password: DEMO_PASSWORD },
      SYSTEM_ACTOR,
    );
    created.push(u.username);
  }
  return { created };
};
