import { sql, type Selectable, type SqlBool } from 'kysely';
import type { Principal } from '../../auth/principal.ts';
import { visibleTo } from '../../auth/scope.ts';
import type { CustomsInstructionsTable } from '../../db/schema.ts';
import type { DbOrTx } from '../../db/tx.ts';
import { containerFlags } from '../cargo/index.ts';
import { INSTRUCTION_CODES, isInstructionCode, type GateMove, type InstructionCode } from './instructions.codes.ts';

type Row = Selectable<CustomsInstructionsTable> & { in_force: boolean };

export type InstructionView = {
  id: string;
  scope: 'container' | 'bill';
  subject: string;
  portCallId: string;
  direction: 'import' | 'export';
  code: InstructionCode;
  meaning: { zh: string; en: string };
  permits: GateMove[];
  sendTime: string;
  declarationId: string | null;
  districtCode: string;
  terminalOrgIds: string[];
  issuedBy: string | null;
  receivedAt: string;
  /** The newest instruction by send time for its call, scope and subject (the must-copy rule). */
  inForce: boolean;
  acknowledgement: { status: 'applied' | 'rejected'; note: string | null; at: string; by: string | null } | null;
};

const codeOf = (s: string): InstructionCode => {
  if (!isInstructionCode(s)) {
    throw new Error(`customs_instructions holds unknown code ${s}`);
  }
  return s;
};

export const presentInstruction = (r: Row): InstructionView => {
  const code = codeOf(r.code);
  const entry = INSTRUCTION_CODES[code];
  return {
    id: r.id,
    scope: r.scope as 'container' | 'bill',
    subject: r.subject,
    portCallId: r.port_call_id,
    direction: r.direction as 'import' | 'export',
    code,
    meaning: { zh: entry.meaningZh, en: entry.meaningEn },
    permits: [...entry.permits],
    sendTime: r.send_time.toISOString(),
    declarationId: r.declaration_id,
    districtCode: r.district_code,
    terminalOrgIds: r.terminal_org_ids,
    issuedBy: r.issued_by,
    receivedAt: r.received_at.toISOString(),
    inForce: r.in_force,
    acknowledgement:
      r.acknowledged_at === null
        ? null
        : {
            status: r.ack_status as 'applied' | 'rejected',
            note: r.ack_note,
            at: r.acknowledged_at.toISOString(),
            by: r.acknowledged_by,
          },
  };
};

// No newer instruction for the same call, scope and subject.
const inForceExpr = sql<SqlBool>`not exists (
  select 1 from customs_instructions newer
  where newer.port_call_id = customs_instructions.port_call_id and newer.scope = customs_instructions.scope
    and newer.subject = customs_instructions.subject and newer.send_time > customs_instructions.send_time)`;

const base = (db: DbOrTx) =>
  db
    .selectFrom('customs_instructions')
    .selectAll('customs_instructions')
    .select(sql<boolean>`${inForceExpr}`.as('in_force'));

/** One instruction, whatever its tenant: for commands that already decided the caller may act on it. */
export const loadInstruction = async (db: DbOrTx, id: string): Promise<InstructionView | undefined> => {
  const row = await base(db).where('customs_instructions.id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : presentInstruction(row);
};

export const findInstruction = async (db: DbOrTx, principal: Principal, id: string): Promise<InstructionView | undefined> => {
  const row = await base(db)
    .where('customs_instructions.id', '=', id)
    .where(visibleTo('customs_instructions', principal))
    .executeTakeFirst();
  return row === undefined ? undefined : presentInstruction(row);
};

export type InstructionFilter = {
  portCallId?: string;
  scope?: 'container' | 'bill';
  subject?: string;
  code?: InstructionCode;
  inForce?: boolean;
  unacknowledged?: boolean;
};

/** Instructions the caller may see, newest received first (keyset on id: ids sort by creation). */
export const listInstructions = async (
  db: DbOrTx,
  principal: Principal,
  f: InstructionFilter & { limit: number; afterId?: string },
): Promise<InstructionView[]> => {
  let q = base(db).where(visibleTo('customs_instructions', principal));
  if (f.portCallId !== undefined) {
    q = q.where('customs_instructions.port_call_id', '=', f.portCallId);
  }
  if (f.scope !== undefined) {
    q = q.where('customs_instructions.scope', '=', f.scope);
  }
  if (f.subject !== undefined) {
    // container numbers are stored upper-case; bill numbers as sent
    q = q.where('customs_instructions.subject', 'in', [...new Set([f.subject.trim(), f.subject.trim().toUpperCase()])]);
  }
  if (f.code !== undefined) {
    q = q.where('customs_instructions.code', '=', f.code);
  }
  if (f.inForce === true) {
    q = q.where(inForceExpr);
  }
  if (f.unacknowledged === true) {
    q = q.where('customs_instructions.acknowledged_at', 'is', null);
  }
  if (f.afterId !== undefined) {
    q = q.where('customs_instructions.id', '<', f.afterId);
  }
  const rows = await q
    .orderBy('customs_instructions.id', 'desc')
    .limit(f.limit + 1)
    .execute();
  return rows.map(presentInstruction);
};

/** The instruction in force for one subject on one call (newest send time), if any. */
export const instructionInForce = async (
  db: DbOrTx,
  q: { portCallId: string; scope: 'container' | 'bill'; subject: string },
): Promise<InstructionView | undefined> => {
  const row = await base(db)
    .where('customs_instructions.port_call_id', '=', q.portCallId)
    .where('customs_instructions.scope', '=', q.scope)
    .where('customs_instructions.subject', '=', q.subject)
    .orderBy('customs_instructions.send_time', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : presentInstruction(row);
};

export type ReleaseState = {
  containerId: string;
  portCallId: string;
  districtCode: string;
  terminalOrgIds: string[];
  /** The box's own or its bill's instruction with the newest send time (up to the probe time). */
  instruction: { code: InstructionCode; sendTime: Date } | null;
  /** customs-released / on-hold as the cargo flags say, from customs events up to the probe time. */
  flags: { customsReleased: boolean; onHold: boolean };
};

type FlagRow = Parameters<typeof containerFlags>[0];

/**
 * What customs said about each box at a moment (`at`; null: now, everything known), in one
 * statement for any number of probes: the newest instruction for the box or any of its bills sent
 * by then, and the customs flag times from events that occurred by then. Results in probe order.
 */
export const releaseStates = async (db: DbOrTx, probes: { containerId: string; at: Date | null }[]): Promise<ReleaseState[]> => {
  if (probes.length === 0) {
    return [];
  }
  const rows = await sql<{
    i: number;
    id: string;
    port_call_id: string;
    district_code: string;
    terminal_org_ids: string[];
    code: string | null;
    send_time: Date | null;
    released_at: Date | null;
    hold_at: Date | null;
    lifted_at: Date | null;
  }>`
    select t.i::int as i, c.id, c.port_call_id, c.district_code, pc.terminal_org_ids,
           ins.code, ins.send_time, f.released_at, f.hold_at, f.lifted_at
    from unnest(${probes.map((p) => p.containerId)}::text[], ${probes.map((p) => p.at?.toISOString() ?? null)}::timestamptz[])
           with ordinality as t(container_id, at, i)
    join containers c on c.id = t.container_id
    join port_calls pc on pc.id = c.port_call_id
    left join lateral (
      select ci.code, ci.send_time from customs_instructions ci
      where ci.port_call_id = c.port_call_id
        and ((ci.scope = 'container' and ci.subject = c.number::text) or (ci.scope = 'bill' and ci.subject = any(c.bill_numbers)))
        and (t.at is null or ci.send_time <= t.at)
      -- at equal send times the box's own instruction is the more specific one
      order by ci.send_time desc, (ci.scope = 'container') desc
      limit 1
    ) ins on true
    left join lateral (
      select max(e.occurred_at) filter (where e.kind = 'customs-release') as released_at,
             max(e.occurred_at) filter (where e.kind = 'customs-hold') as hold_at,
             max(e.occurred_at) filter (where e.kind = 'customs-hold-lifted') as lifted_at
      from container_events e
      where e.container_id = c.id and e.kind in ('customs-release', 'customs-hold', 'customs-hold-lifted')
        and (t.at is null or e.occurred_at <= t.at)
    ) f on true
    order by t.i`.execute(db);
  const byIndex = new Map(rows.rows.map((r) => [Number(r.i), r]));
  return probes.map((p, k) => {
    const r = byIndex.get(k + 1);
    if (r === undefined) {
      throw new Error(`releaseStates: no box ${p.containerId}`);
    }
    const at = (d: Date | null) => (d === null ? null : new Date(d));
    // The cargo module's own flag rule, fed with the customs times as of the probe.
    const flags = containerFlags({
      customs_released_at: at(r.released_at),
      customs_hold_at: at(r.hold_at),
      customs_hold_lifted_at: at(r.lifted_at),
      discharged_at: null,
      loaded_at: null,
      gated_in_at: null,
      gated_out_at: null,
      terminal_released_at: null,
    } as FlagRow);
    return {
      containerId: r.id,
      portCallId: r.port_call_id,
      districtCode: r.district_code,
      terminalOrgIds: r.terminal_org_ids,
      instruction: r.code === null || r.send_time === null ? null : { code: codeOf(r.code), sendTime: new Date(r.send_time) },
      flags: { customsReleased: flags.customsReleased, onHold: flags.onHold },
    };
  });
};
