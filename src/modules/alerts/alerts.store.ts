import { sql } from 'kysely';
import type { Clock } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import type { Tx } from '../../db/tx.ts';
import { appendEvents, type NewEvent } from '../../events/event-log.ts';

export type AlertSeverity = 'warning' | 'alarm';

export type OpenAlertInput = {
  ruleId: string;
  /** Version of the alert-rules policy that raised it; null for interlocks raised by code. */
  ruleVersion: number | null;
  severity: AlertSeverity;
  subjectType: string;
  subjectId: string;
  subjectLabel: string;
  districtCode: string;
  /** Organisations besides customs of the district that see it and may act on it. */
  orgIds: string[];
  detail: Record<string, unknown>;
};

/**
 * Opens alerts in the caller's transaction, each with its `alert.opened` event. At most one alert
 * per rule and subject is open or acknowledged (alerts_open_idx): opening one already open is a
 * no-op that returns the open one with `opened: false`, so callers (interlocks, the scheduled
 * evaluation) may call it every time the condition is seen. One insert and one append for the
 * whole batch: an ingest batch of unreleased gate-outs raises its alarms in two statements.
 */
export const openAlerts = async (
  trx: Tx,
  clock: Clock,
  inputs: OpenAlertInput[],
  // a composed command's pending events (see IngestOptions.sink): appended by the caller, not here
  sink?: NewEvent[],
): Promise<{ id: string; opened: boolean }[]> => {
  if (inputs.length === 0) {
    return [];
  }
  const now = clock.now();
  const rows = inputs.map((input) => ({
    id: newId('alert', now),
    rule_id: input.ruleId,
    rule_version: input.ruleVersion,
    severity: input.severity,
    subject_type: input.subjectType,
    subject_id: input.subjectId,
    subject_label: input.subjectLabel,
    district_code: input.districtCode,
    org_ids: [...new Set(input.orgIds)].sort(),
    opened_at: now,
    detail: JSON.stringify(input.detail),
  }));
  const inserted = await trx
    .insertInto('alerts')
    .values(rows)
    .onConflict((oc) =>
      oc
        .columns(['rule_id', 'subject_type', 'subject_id'])
        .where(sql<boolean>`state <> 'resolved'`)
        .doNothing(),
    )
    .returning(['id'])
    .execute();
  const opened = new Set(inserted.map((r) => r.id));
  const keyOf = (r: { rule_id: string; subject_type: string; subject_id: string }) => `${r.rule_id}\0${r.subject_type}\0${r.subject_id}`;
  const notOpened = rows.filter((r) => !opened.has(r.id));
  const existing =
    notOpened.length === 0
      ? []
      : await trx
          .selectFrom('alerts')
          .select(['id', 'rule_id', 'subject_type', 'subject_id'])
          .where('state', '<>', 'resolved')
          .where('subject_id', 'in', [...new Set(notOpened.map((r) => r.subject_id))])
          .execute();
  const existingByKey = new Map(existing.map((e) => [keyOf(e), e.id]));
  const events: NewEvent[] = rows
    .map((r, i) => ({ r, input: inputs[i] as OpenAlertInput }))
    .filter(({ r }) => opened.has(r.id))
    .map(({ r, input }) => ({
      type: 'alert.opened',
      aggregateType: 'alert',
      aggregateId: r.id,
      orgIds: r.org_ids,
      districtCode: input.districtCode,
      actor: { type: 'rule' as const, id: input.ruleId },
      payload: {
        ruleId: input.ruleId,
        ruleVersion: input.ruleVersion,
        severity: input.severity,
        subjectType: input.subjectType,
        subjectId: input.subjectId,
        subjectLabel: input.subjectLabel,
        detail: input.detail,
      },
    }));
  if (sink === undefined) {
    await appendEvents(trx, clock, events);
  } else {
    sink.push(...events);
  }
  // the same subject twice in one batch: the first row opened it, the second finds it in the batch
  const batchByKey = new Map(rows.filter((r) => opened.has(r.id)).map((r) => [keyOf(r), r.id]));
  return rows.map((r) =>
    opened.has(r.id) ? { id: r.id, opened: true } : { id: batchByKey.get(keyOf(r)) ?? existingByKey.get(keyOf(r)) ?? r.id, opened: false },
  );
};

export const openAlert = async (trx: Tx, clock: Clock, input: OpenAlertInput): Promise<{ id: string; opened: boolean }> =>
  (await openAlerts(trx, clock, [input]))[0] as { id: string; opened: boolean };

/**
 * Resolves these alerts as their rule did (the condition turned out not to hold), in the caller's
 * transaction; any already resolved is left alone. The `alert.resolved` events go to `sink`, for
 * the caller's one append. Returns the ids resolved.
 */
export const resolveAlertsAsRule = async (
  trx: Tx,
  clock: Clock,
  ids: string[],
  resolution: string,
  sink: NewEvent[],
): Promise<string[]> => {
  if (ids.length === 0) {
    return [];
  }
  const rows = await trx
    .updateTable('alerts')
    .set({ state: 'resolved', resolved_at: clock.now(), resolved_by: null, resolution })
    .where('id', 'in', ids)
    .where('state', '<>', 'resolved')
    .returningAll()
    .execute();
  sink.push(
    ...rows.map((r) => ({
      type: 'alert.resolved',
      aggregateType: 'alert',
      aggregateId: r.id,
      orgIds: r.org_ids,
      districtCode: r.district_code,
      actor: { type: 'rule' as const, id: r.rule_id },
      payload: { ruleId: r.rule_id, subjectType: r.subject_type, subjectId: r.subject_id, resolution },
    })),
  );
  return rows.map((r) => r.id);
};
