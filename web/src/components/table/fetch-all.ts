import type { FetchPage, FetchParams } from './types.ts';

export const EXPORT_PAGE_SIZE = 500;
export const EXPORT_MAX_ROWS = 50_000;

export class TooManyRowsError extends Error {
  readonly total: number;
  readonly max: number;
  constructor(total: number, max: number) {
    super(`${total} rows match; at most ${max} can be exported`);
    this.total = total;
    this.max = max;
  }
}

/**
 * Every row matching the current search, filters and sort, page by page (500 at a time, the
 * API's largest page). Stops at the reported total, or at a short page if the total moves.
 */
export const fetchAllRows = async <T>(
  fetchPage: FetchPage<T>,
  params: Omit<FetchParams, 'offset' | 'limit'>,
  options: { max?: number; onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<T[]> => {
  const max = options.max ?? EXPORT_MAX_ROWS;
  const rows: T[] = [];
  let total = Infinity;
  for (let offset = 0; offset < total; offset += EXPORT_PAGE_SIZE) {
    if (options.signal?.aborted === true) {
      throw new DOMException('Export cancelled', 'AbortError');
    }
    const page = await fetchPage({ ...params, offset, limit: EXPORT_PAGE_SIZE });
    total = page.total;
    if (total > max) {
      throw new TooManyRowsError(total, max);
    }
    rows.push(...page.items);
    options.onProgress?.(rows.length, total);
    if (page.items.length < EXPORT_PAGE_SIZE) {
      break;
    }
  }
  return rows;
};
