import type { AlertRow } from './alerts.commands.ts';

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

export const presentAlert = (r: AlertRow) => ({
  id: r.id,
  ruleId: r.rule_id,
  ruleVersion: r.rule_version,
  severity: r.severity as 'warning' | 'alarm',
  state: r.state as 'open' | 'acknowledged' | 'resolved',
  subject: { type: r.subject_type, id: r.subject_id, label: r.subject_label },
  districtCode: r.district_code,
  orgIds: r.org_ids,
  openedAt: r.opened_at.toISOString(),
  detail: r.detail as Record<string, unknown>,
  acknowledgedAt: iso(r.acknowledged_at),
  acknowledgedBy: r.acknowledged_by,
  resolvedAt: iso(r.resolved_at),
  resolvedBy: r.resolved_by,
  resolution: r.resolution,
});
