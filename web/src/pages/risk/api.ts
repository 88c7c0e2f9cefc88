import { get, post } from '../../api/client.ts';
import type { DryRunResult, RiskPolicy, RiskRuleSet } from './types.ts';

export const fetchRuleSets = async (): Promise<RiskPolicy[]> => (await get<{ items: RiskPolicy[] }>('/api/v1/risk/rule-sets')).items;

export const fetchCurrentRuleSet = (): Promise<RiskPolicy> => get<RiskPolicy>('/api/v1/risk/rule-sets/current');

export const dryRunRuleSet = (body: { document: RiskRuleSet; from?: string; to?: string; limit?: number }): Promise<DryRunResult> =>
  post<DryRunResult>('/api/v1/risk/rule-sets/dry-run', body);

export const publishRuleSet = (body: { document: RiskRuleSet; effectiveFrom?: string; note: string }): Promise<RiskPolicy> =>
  post<RiskPolicy>('/api/v1/risk/rule-sets', body);
