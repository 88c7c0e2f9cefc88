/**
 * The one way the UI talks to the API: JSON in and out, the bearer token attached, the error
 * envelope turned into ApiError with its field paths, and a 401 reported to whoever listens (the
 * session), which sends the user back to sign in.
 */
export type FieldError = { path: string; message: string };

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: FieldError[];
  constructor(status: number, code: string, message: string, details: FieldError[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

let token: string | null = null;
let onUnauthorized: (() => void) | null = null;

export const setToken = (t: string | null): void => {
  token = t;
};
export const setUnauthorizedHandler = (fn: (() => void) | null): void => {
  onUnauthorized = fn;
};

export type Query = Record<string, string | number | boolean | undefined | null>;

export const withQuery = (path: string, query?: Query): string => {
  if (query === undefined) {
    return path;
  }
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') {
      params.set(k, String(v));
    }
  }
  const qs = params.toString();
  return qs === '' ? path : `${path}?${qs}`;
};

const send = async <T>(method: string, url: string, body?: { data: BodyInit; type: string }, accept = 'application/json'): Promise<T> => {
  const headers: Record<string, string> = { accept: accept === 'application/json' ? accept : `${accept}, application/json` };
  if (body !== undefined) {
    headers['content-type'] = body.type;
  }
  if (token !== null) {
    headers.authorization = `Bearer ${token}`;
  }
  const res = await fetch(url, { method, headers, body: body?.data });
  if (res.status === 204) {
    return undefined as T;
  }
  const text = await res.text();
  if (res.ok && accept !== 'application/json') {
    return text as T;
  }
  const json: unknown = text === '' ? null : JSON.parse(text);
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string; details?: FieldError[] } } | null)?.error;
    if (res.status === 401 && token !== null) {
      onUnauthorized?.();
    }
    throw new ApiError(res.status, err?.code ?? `http-${res.status}`, err?.message ?? res.statusText, err?.details ?? []);
  }
  return json as T;
};

export const api = <T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> =>
  send<T>(method, withQuery(path, query), body === undefined ? undefined : { data: JSON.stringify(body), type: 'application/json' });

/** A body sent as is (a file the user picked), with its own content type; the answer is JSON like any other. */
export const postRaw = <T>(path: string, data: Blob | ArrayBuffer | string, contentType: string, query?: Query): Promise<T> =>
  send<T>('POST', withQuery(path, query), { data, type: contentType });

export const get = <T>(path: string, query?: Query): Promise<T> => api<T>('GET', path, undefined, query);
/** A document that is not JSON (EDIFACT, CSV) as text; errors still come as the JSON envelope. */
export const getText = (path: string, accept: string, query?: Query): Promise<string> =>
  send<string>('GET', withQuery(path, query), undefined, accept);
export const post = <T>(path: string, body: unknown): Promise<T> => api<T>('POST', path, body);
export const put = <T>(path: string, body: unknown): Promise<T> => api<T>('PUT', path, body);
export const del = (path: string): Promise<void> => api<void>('DELETE', path);

export type Page<T> = { items: T[]; nextCursor: string | null; total?: number };

export type Me = {
  kind: 'user' | 'api-key';
  id: string;
  username: string | null;
  role: string;
  organisation: { id: string; code: string; nameZh: string; nameEn: string; kind: string; districtCode: string | null };
  allowedRoutes: string[];
};
