import { sql } from 'kysely';
import type { Clock } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import type { Tx } from '../../db/tx.ts';
import { appendEvent } from '../../events/event-log.ts';

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
 * Opens an alert in the caller's transaction, with its `alert.opened` event. At most one alert per
 * rule and subject is open or acknowledged (alerts_open_idx): a second open is a no-op that returns
 * the one already open with `opened: false`, so callers (interlocks, the scheduled evaluation) may
 * call it every time the condition is seen.
 */
export const openAlert = async (trx: Tx, clock: Clock, input: OpenAlertInput): Promise<{ id: string; opened: boolean }> => {
  const now = clock.now();
  const orgIds = [...new Set(input.orgIds)].sort();
  const inserted = await trx
    .insertInto('alerts')
    .values({
      id: newId('alert', now),
      rule_id: input.ruleId,
      rule_version: input.ruleVersion,
      severity: input.severity,
      subject_type: input.subjectType,
      subject_id: input.subjectId,
      subject_label: input.subjectLabel,
      district_code: input.districtCode,
      org_ids: orgIds,
      opened_at: now,
      detail: JSON.stringify(input.detail),
    })
    .onConflict((oc) =>
      oc
        .columns(['rule_id', 'subject_type', 'subject_id'])
        .where(sql<boolean>`state <> 'resolved'`)
        .doNothing(),
    )
    .returning(['id'])
    .executeTakeFirst();
  if (inserted === undefined) {
    const existing = await trx
      .selectFrom('alerts')
      .select('id')
      .where('rule_id', '=', input.ruleId)
      .where('subject_type', '=', input.subjectType)
      .where('subject_id', '=', input.subjectId)
      .where('state', '<>', 'resolved')
      .executeTakeFirstOrThrow();
    return { id: existing.id, opened: false };
  }
  await appendEvent(trx, clock, {
    type: 'alert.opened',
    aggregateType: 'alert',
    aggregateId: inserted.id,
    orgIds,
    districtCode: input.districtCode,
    actor: { type: 'rule', id: input.ruleId },
    payload: {
      ruleId: input.ruleId,
      ruleVersion: input.ruleVersion,
      severity: input.severity,
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      subjectLabel: input.subjectLabel,
      detail: input.detail,
    },
  });
  return { id: inserted.id, opened: true };
};
