import { get, getText, post, type Page } from '../../api/client.ts';
import { cursorPager } from '../port-calls/model.ts';
import type { InspectionMethod, OfficerCommand } from './model.ts';
import type { Declaration, DeclarationInput, HistoryEvent, ManifestMatch, QueueCount } from './types.ts';

const enc = encodeURIComponent;

/** Declarations, offset-paged for the DataTable (the API pages by cursor). */
export const fetchDeclarationsPage = cursorPager<Declaration>((query, limit, cursor) =>
  get<Page<Declaration>>('/api/v1/declarations', { ...query, limit, cursor }),
);

export const fetchQueues = (): Promise<QueueCount[]> => get<QueueCount[]>('/api/v1/declarations/queues');

export const fetchDeclaration = (id: string): Promise<Declaration> => get<Declaration>(`/api/v1/declarations/${enc(id)}`);

export const fetchHistory = (id: string): Promise<HistoryEvent[]> => get<HistoryEvent[]>(`/api/v1/declarations/${enc(id)}/history`);

export const fetchManifestMatch = (id: string): Promise<ManifestMatch> =>
  get<ManifestMatch>(`/api/v1/declarations/${enc(id)}/manifest-match`);

export const createDeclaration = (body: DeclarationInput): Promise<Declaration> => post<Declaration>('/api/v1/declarations', body);

export const amendDeclaration = (id: string, expectedVersion: number, document: DeclarationInput): Promise<Declaration> =>
  post<Declaration>(`/api/v1/declarations/${enc(id)}/amendments`, { expectedVersion, document });

export const completeDeclaration = (id: string, expectedVersion: number, document: DeclarationInput): Promise<Declaration> =>
  post<Declaration>(`/api/v1/declarations/${enc(id)}/complete-declaration`, { expectedVersion, document });

export const withdrawDeclaration = (id: string, expectedVersion: number, reason?: string): Promise<Declaration> =>
  post<Declaration>(`/api/v1/declarations/${enc(id)}/withdrawal`, { expectedVersion, ...(reason === undefined ? {} : { reason }) });

export type ActBody = {
  expectedVersion: number;
  reason?: string;
  method?: InspectionMethod;
  outcome?: 'clear' | 'discrepancy';
  amountCny?: number;
};

export const actOn = (id: string, command: OfficerCommand, body: ActBody): Promise<Declaration> =>
  post<Declaration>(`/api/v1/declarations/${enc(id)}/actions/${command}`, body);

/** The CUSRES interchange as text: EDIFACT, not JSON. */
export const fetchCusres = (id: string): Promise<string> => getText(`/api/v1/declarations/${enc(id)}/cusres`, 'application/edifact');
