import { get, post, type Page } from '../../api/client.ts';
import { cursorPager } from './model.ts';
import type { DomainEvent, PortCall, QuarantineCase } from './types.ts';

const enc = encodeURIComponent;

/** The arrivals board, offset-paged for the DataTable (the API pages by cursor). */
export const fetchCallsPage = cursorPager<PortCall>((query, limit, cursor) =>
  get<Page<PortCall>>('/api/v1/port-calls', { ...query, limit, cursor }),
);

export const fetchCall = (id: string): Promise<PortCall> => get<PortCall>(`/api/v1/port-calls/${enc(id)}`);

export const callStep = (id: string, path: string, body: Record<string, unknown>): Promise<PortCall> =>
  post<PortCall>(`/api/v1/port-calls/${enc(id)}/${path}`, body);

/** Every event of one aggregate (a call, a quarantine case), oldest first. */
export const fetchEvents = async (aggregateId: string): Promise<DomainEvent[]> => {
  const out: DomainEvent[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 10; i += 1) {
    const page: Page<DomainEvent> = await get<Page<DomainEvent>>('/api/v1/events', { aggregateId, limit: 500, cursor });
    out.push(...page.items);
    cursor = page.nextCursor;
    if (cursor === null) {
      break;
    }
  }
  return out;
};

export const fetchCasesPage = cursorPager<QuarantineCase>((query, limit, cursor) =>
  get<Page<QuarantineCase>>('/api/v1/quarantine-cases', { ...query, limit, cursor }),
);

export const fetchCase = (id: string): Promise<QuarantineCase> => get<QuarantineCase>(`/api/v1/quarantine-cases/${enc(id)}`);

export const caseStep = (id: string, path: string, body: Record<string, unknown>): Promise<QuarantineCase> =>
  post<QuarantineCase>(`/api/v1/quarantine-cases/${enc(id)}/${path}`, body);

/** The call's quarantine case, or null before the health declaration (a list filter, so no 404 in the console). */
export const findCallCase = async (callId: string): Promise<QuarantineCase | null> =>
  (await get<Page<QuarantineCase>>('/api/v1/quarantine-cases', { portCallId: callId, limit: 1 })).items[0] ?? null;
