import { get, post, type Page } from '../../api/client.ts';
import { cursorPager } from '../port-calls/model.ts';
import type { Alert, AlertRulesPolicy, Evaluation } from './types.ts';

const enc = encodeURIComponent;

export const fetchAlertsPage = cursorPager<Alert>((query, limit, cursor) =>
  get<Page<Alert>>('/api/v1/alerts', { ...query, limit, cursor }),
);

/** How many alerts match (the list's total), without their rows. */
export const countAlerts = async (query: Record<string, string>): Promise<number> =>
  (await get<Page<Alert>>('/api/v1/alerts', { ...query, limit: 1 })).total ?? 0;

export const fetchAlertRules = async (): Promise<AlertRulesPolicy[]> =>
  (await get<{ items: AlertRulesPolicy[] }>('/api/v1/alerts/rules')).items;

export const acknowledgeAlert = (id: string, note?: string): Promise<Alert> =>
  post<Alert>(`/api/v1/alerts/${enc(id)}/acknowledgement`, note !== undefined && note.trim() !== '' ? { note: note.trim() } : {});

export const resolveAlert = (id: string, resolution: string): Promise<Alert> =>
  post<Alert>(`/api/v1/alerts/${enc(id)}/resolution`, { resolution: resolution.trim() });

export const runEvaluation = (): Promise<Evaluation> => post<Evaluation>('/api/v1/alerts/evaluation', {});
