import type { Principal } from '../../auth/principal.ts';
import type { DbOrTx } from '../../db/tx.ts';
import { listCalls } from './port-call.repository.ts';

/**
 * Port-call KPIs from the calls' recorded times (each written with its event), domain.md §3:
 * - anchorage waiting = all fast − arrival, for ships that arrived at the anchorage;
 * - pre-arrival reports on time (≥ 24 h before ETA) vs late;
 * - re-declarations (berth under another canonical code) and re-declarations avoided (the same
 *   berthing would have crossed codes before the unification);
 * - berth occupancy: hours alongside (all fast → departure, or → now while alongside) per berth.
 */
export type PortCallKpis = {
  calls: number;
  berthed: number;
  lateReports: number;
  waiting: { count: number; meanHours: number | null; medianHours: number | null; totalHours: number };
  redeclarations: number;
  redeclarationsAvoided: number;
  alongsideHoursByBerth: Record<string, number>;
};

const round = (x: number): number => Math.round(x * 100) / 100;

export const portCallKpis = async (
  db: DbOrTx,
  principal: Principal,
  f: { portLocode?: string; etaFrom?: Date; etaTo?: Date; now: Date },
): Promise<PortCallKpis> => {
  const rows = await listCalls(
    db,
    {
      ...(f.portLocode !== undefined ? { portLocode: f.portLocode } : {}),
      ...(f.etaFrom !== undefined ? { etaFrom: f.etaFrom } : {}),
      ...(f.etaTo !== undefined ? { etaTo: f.etaTo } : {}),
      limit: 100_000,
    },
    principal,
  );
  const waits = rows
    .filter((r) => r.arrival_place === 'anchorage' && r.arrived_at !== null && r.berthed_at !== null)
    .map((r) => ((r.berthed_at as Date).getTime() - (r.arrived_at as Date).getTime()) / 3_600_000)
    .sort((a, b) => a - b);
  const total = waits.reduce((a, b) => a + b, 0);
  const mid = Math.floor(waits.length / 2);
  const median =
    waits.length === 0 ? null : waits.length % 2 === 1 ? (waits[mid] as number) : ((waits[mid - 1] as number) + (waits[mid] as number)) / 2;
  const alongside: Record<string, number> = {};
  for (const r of rows) {
    if (r.berth_id !== null && r.berthed_at !== null) {
      const until = r.departed_at ?? f.now;
      alongside[r.berth_id] = round((alongside[r.berth_id] ?? 0) + (until.getTime() - r.berthed_at.getTime()) / 3_600_000);
    }
  }
  return {
    calls: rows.length,
    berthed: rows.filter((r) => r.berthed_at !== null).length,
    lateReports: rows.filter((r) => r.late_report).length,
    waiting: {
      count: waits.length,
      meanHours: waits.length === 0 ? null : round(total / waits.length),
      medianHours: median === null ? null : round(median),
      totalHours: round(total),
    },
    redeclarations: rows.reduce((s, r) => s + r.redeclarations, 0),
    redeclarationsAvoided: rows.reduce((s, r) => s + r.redeclarations_avoided, 0),
    alongsideHoursByBerth: alongside,
  };
};
