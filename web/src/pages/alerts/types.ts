/** The alerts API's shapes (src/modules/alerts/alerts.routes.ts), as the UI reads them. */

export const ALERT_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];
export const SEVERITIES = ['alarm', 'warning'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type Alert = {
  id: string;
  ruleId: string;
  ruleVersion: number | null;
  severity: Severity;
  state: AlertState;
  subject: { type: string; id: string; label: string };
  districtCode: string;
  orgIds: string[];
  openedAt: string;
  detail: Record<string, unknown>;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
};

export type AlertRule = {
  id: string;
  kind: string;
  thresholdHours: number;
  severity: Severity;
  enabled: boolean;
  titleZh: string;
  titleEn: string;
};

export type AlertRulesPolicy = {
  id: string;
  kind: string;
  version: number;
  effectiveFrom: string;
  document: { rules: AlertRule[] };
  note: string;
  publishedBy: string | null;
  createdAt: string;
};

export type Evaluation = { ruleSetVersion: number; evaluatedAt: string; opened: number; resolved: number; open: number };
