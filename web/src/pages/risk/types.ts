/** The customs risk API's shapes (src/modules/risk/risk.routes.ts), as the UI reads them. */

/** The API's channel enum, most lenient first (the server's order of strictness). */
export const RISK_CHANNELS = ['release', 'document-review', 'machine-scan', 'manual-inspection', 'machine-then-manual'] as const;
export type RiskChannel = (typeof RISK_CHANNELS)[number];

export const CREDIT_CLASSES = ['advanced-certified', 'general-certified', 'general', 'discredited'] as const;
export type CreditClass = (typeof CREDIT_CLASSES)[number];

export type RiskRule = {
  id: string;
  condition: string;
  channel: RiskChannel;
  enabled?: boolean;
  reasonZh: string;
  reasonEn: string;
};

export type ReferenceValue = { hsPrefix: string; minCnyPerKg: number; maxCnyPerKg: number };

export type RiskRuleSet = {
  rules: RiskRule[];
  referenceValues: ReferenceValue[];
  sensitiveWords: string[];
  randomSelection: { seed: string; channel: RiskChannel; rates: Record<CreditClass, number> };
};

export type RiskPolicy = {
  id: string;
  kind: string;
  version: number;
  effectiveFrom: string;
  document: RiskRuleSet;
  note: string;
  publishedBy: string | null;
  createdAt: string;
};

export type FiredRule = { ruleId: string; channel: RiskChannel; reasonZh: string; reasonEn: string; detail: string };

export type DryRunResult = {
  draftVersion: number;
  window: { from: string | null; to: string };
  total: number;
  skipped: number;
  current: Record<RiskChannel, number>;
  draft: Record<RiskChannel, number>;
  changedCount: number;
  changed: { declarationId: string; entryId: string | null; from: RiskChannel; to: RiskChannel; fired: FiredRule[] }[];
};
