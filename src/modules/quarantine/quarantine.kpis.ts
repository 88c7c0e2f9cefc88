import type { Principal } from '../../auth/principal.ts';
import { visibleTo } from '../../auth/scope.ts';
import { median, round } from '../../core/stats.ts';
import type { DbOrTx } from '../../db/tx.ts';

/**
 * Quarantine KPIs, from the cases' recorded times (each set by an event in the same transaction):
 * - duration = certificate issue − quarantine start (remote session, boarding, or the radio-pratique decision), §4;
 * - remote share = granted without boarding (telecom, or smart remote not escalated) / granted;
 * - escalation rate = escalated / remote sessions started;
 * - hours saved before berthing = quarantine hours completed before the ship was all fast (or while
 *   it is not yet berthed): time that no longer holds the ship at the berth or anchorage.
 */
export type QuarantineKpis = {
  cases: number;
  granted: number;
  medianDurationMinutes: number | null;
  meanDurationMinutes: number | null;
  remoteShare: number | null;
  escalationRate: number | null;
  hoursSavedBeforeBerthing: number;
  byMode: Record<string, number>;
};

export const quarantineKpis = async (db: DbOrTx, principal: Principal, range: { from?: Date; to?: Date }): Promise<QuarantineKpis> => {
  let qb = db
    .selectFrom('quarantine_cases')
    .innerJoin('port_calls', 'port_calls.id', 'quarantine_cases.port_call_id')
    .select([
      'quarantine_cases.mode',
      'quarantine_cases.started_at',
      'quarantine_cases.escalated_at',
      'quarantine_cases.certificate_issued_at',
      'quarantine_cases.remote_session',
      'port_calls.berthed_at',
    ])
    .where(visibleTo('quarantine_cases', principal));
  if (range.from !== undefined) {
    qb = qb.where('quarantine_cases.declared_at', '>=', range.from);
  }
  if (range.to !== undefined) {
    qb = qb.where('quarantine_cases.declared_at', '<', range.to);
  }
  const rows = await qb.execute();
  const granted = rows.filter((r) => r.certificate_issued_at !== null && r.started_at !== null);
  const durations = granted.map((r) => ((r.certificate_issued_at as Date).getTime() - (r.started_at as Date).getTime()) / 60_000);
  const remote = granted.filter((r) => r.escalated_at === null && (r.mode === 'telecom' || r.mode === 'smart-remote'));
  const sessions = rows.filter((r) => r.remote_session !== null);
  const saved = granted
    .filter((r) => r.berthed_at === null || (r.certificate_issued_at as Date).getTime() <= r.berthed_at.getTime())
    .reduce((s, r) => s + ((r.certificate_issued_at as Date).getTime() - (r.started_at as Date).getTime()) / 3_600_000, 0);
  const byMode: Record<string, number> = {};
  for (const r of rows) {
    if (r.mode !== null) {
      byMode[r.mode] = (byMode[r.mode] ?? 0) + 1;
    }
  }
  const mean = durations.length === 0 ? null : durations.reduce((a, b) => a + b, 0) / durations.length;
  const med = median(durations);
  return {
    cases: rows.length,
    granted: granted.length,
    medianDurationMinutes: med === null ? null : round(med),
    meanDurationMinutes: mean === null ? null : round(mean),
    remoteShare: granted.length === 0 ? null : round(remote.length / granted.length, 3),
    escalationRate: sessions.length === 0 ? null : round(sessions.filter((r) => r.escalated_at !== null).length / sessions.length, 3),
    hoursSavedBeforeBerthing: round(saved, 2),
    byMode,
  };
};
