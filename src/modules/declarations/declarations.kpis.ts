import { sql } from 'kysely';
import type { Principal } from '../../auth/principal.ts';
import { visibleTo } from '../../auth/scope.ts';
import { mean, median, quantile, round } from '../../core/stats.ts';
import type { DbOrTx } from '../../db/tx.ts';

/**
 * Overall clearance time as GACC defines it: import from the arrival of the means of transport
 * to release, export from the arrival report to release. Both ends are read from the event log
 * (`declaration.goods-arrived` carries the arrival time, `declaration.released` is the release),
 * so the figure is what happened, not what a status column says now.
 */
export const CLEARANCE_GROUPS = ['direction', 'port', 'office', 'channel', 'creditClass'] as const;
export type ClearanceGroup = (typeof CLEARANCE_GROUPS)[number];

type Sample = { direction: string; port: string; office: string; channel: string; creditClass: string; hours: number };

export const clearanceTimes = async (db: DbOrTx, principal: Principal, q: { from?: Date; to?: Date; groupBy: ClearanceGroup }) => {
  let qb = db
    .selectFrom('declarations')
    .leftJoin('port_calls as c', 'c.id', 'declarations.port_call_id')
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('events as e')
          .select([
            sql<string | null>`max(case when e.type = 'declaration.goods-arrived' then e.payload->>'arrivedAt' end)`.as('arrived'),
            sql<Date | null>`min(case when e.type = 'declaration.released' then e.occurred_at end)`.as('released'),
          ])
          .where('e.aggregate_type', '=', 'declaration')
          .whereRef('e.aggregate_id', '=', 'declarations.id')
          .where('e.type', 'in', ['declaration.goods-arrived', 'declaration.released'])
          .as('t'),
      (join) => join.onTrue(),
    )
    .select([
      'declarations.direction',
      'declarations.customs_code',
      'declarations.channel',
      'declarations.credit_class',
      'c.port_locode',
      't.arrived',
      't.released',
    ])
    .where(visibleTo('declarations', principal))
    .where('declarations.released_at', 'is not', null);
  if (q.from !== undefined) {
    qb = qb.where('declarations.released_at', '>=', q.from);
  }
  if (q.to !== undefined) {
    qb = qb.where('declarations.released_at', '<', q.to);
  }
  const rows = await qb.execute();
  const samples: Sample[] = [];
  for (const r of rows) {
    if (r.arrived === null || r.released === null) {
      continue;
    }
    const hours = Math.max(0, (new Date(r.released).getTime() - new Date(r.arrived).getTime()) / 3_600_000);
    samples.push({
      direction: r.direction,
      port: r.port_locode ?? 'unknown',
      office: r.customs_code,
      channel: r.channel ?? 'unknown',
      creditClass: r.credit_class,
      hours,
    });
  }
  const groups = new Map<string, number[]>();
  for (const s of samples) {
    const key = `${s.direction}|${s[q.groupBy]}`;
    groups.set(key, [...(groups.get(key) ?? []), s.hours]);
  }
  const summary = (xs: number[]) => ({
    count: xs.length,
    meanHours: xs.length === 0 ? null : round(mean(xs) as number, 2),
    medianHours: xs.length === 0 ? null : round(median(xs) as number, 2),
    p90Hours: xs.length === 0 ? null : round(quantile(xs, 0.9) as number, 2),
  });
  return {
    definition: 'import: arrival of the means of transport → release; export: arrival report → release (GACC overall clearance time)',
    groupBy: q.groupBy,
    overall: (['import', 'export'] as const).map((direction) => ({
      direction,
      ...summary(samples.filter((s) => s.direction === direction).map((s) => s.hours)),
    })),
    groups: [...groups.entries()]
      .map(([key, xs]) => {
        const [direction, group] = key.split('|') as [string, string];
        return { direction, group, ...summary(xs) };
      })
      .sort((a, b) => a.direction.localeCompare(b.direction) || a.group.localeCompare(b.group)),
  };
};
