import { get, postRaw, type Page } from '../../api/client.ts';
import { cursorPager } from '../port-calls/model.ts';
import type { PortCall } from '../port-calls/types.ts';
import type { Container, ContainerDetail, Interchange, ManifestDetail, ManifestDocument, ManifestSummary } from './types.ts';

const enc = encodeURIComponent;

/** Manifests, offset-paged for the DataTable (the API pages by cursor). */
export const fetchManifestsPage = cursorPager<ManifestSummary>((query, limit, cursor) =>
  get<Page<ManifestSummary>>('/api/v1/manifests', { ...query, limit, cursor }),
);

export const fetchManifest = (id: string): Promise<ManifestDetail> => get<ManifestDetail>(`/api/v1/manifests/${enc(id)}`);

export const fetchManifestVersion = (id: string, version: number): Promise<ManifestDocument> =>
  get<ManifestDocument>(`/api/v1/manifests/${enc(id)}/versions/${version}`);

export const fetchContainersPage = cursorPager<Container>((query, limit, cursor) =>
  get<Page<Container>>('/api/v1/containers', { ...query, limit, cursor }),
);

export const fetchContainer = (id: string): Promise<ContainerDetail> => get<ContainerDetail>(`/api/v1/containers/${enc(id)}`);

/** The box visits of one call (for links from a manifest's boxes to their pages); at most 500, the API's largest page. */
export const fetchCallContainers = async (portCallId: string): Promise<Container[]> =>
  (await get<Page<Container>>('/api/v1/containers', { portCallId, limit: 500 })).items;

/**
 * Sends the file as the user chose it: the server reads the EDIFACT bytes itself (UNA, character
 * set). portCallId names the call a CUSCAR or BAPLIE belongs to when its vessel and voyage do not.
 */
export const uploadInterchange = (file: Blob, fileName: string, portCallId?: string): Promise<Interchange> =>
  postRaw<Interchange>('/api/v1/edifact/interchanges', file, 'application/edifact', { fileName, portCallId });

/** Calls the user may see, newest ETA first as the board lists them, for the upload's optional call. */
export const fetchRecentCalls = async (): Promise<PortCall[]> => (await get<Page<PortCall>>('/api/v1/port-calls', { limit: 200 })).items;

export const fetchInterchangesPage = cursorPager<Interchange>((query, limit, cursor) =>
  get<Page<Interchange>>('/api/v1/edifact/interchanges', { ...query, limit, cursor }),
);

export const fetchInterchange = (id: string): Promise<Interchange> => get<Interchange>(`/api/v1/edifact/interchanges/${enc(id)}`);
