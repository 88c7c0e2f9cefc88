import type { ReactNode } from 'react';
import type { ExcelCell } from '../excel.ts';

/** What a table asks its data source for: one page, with the user's search, filters and sort. */
export type FetchParams = {
  offset: number;
  limit: number;
  /** `field` ascending or `-field` descending, absent for the source's own order. */
  sort?: string;
  /** Free-text search, trimmed, absent when empty. */
  q?: string;
  /** Equality filters by parameter name (only the ones set). */
  filters: Record<string, string>;
};

export type FetchResult<T> = { items: T[]; total: number };

export type FetchPage<T> = (params: FetchParams) => Promise<FetchResult<T>>;

export type FilterOption = { value: string; label: string };

export type DataColumn<T> = {
  /** Unique per table; also the sort field (`sort=key`) unless sortKey says otherwise. */
  key: string;
  /** Header text, already translated: shown in the table, the column chooser and the Excel header. */
  title: string;
  /** Cell content; without it the raw value of row[key] is shown (— for empty, Yes/No for booleans). */
  render?: (row: T) => ReactNode;
  /** The Excel cell, as plain text or a number; without it row[key] is used. Give it whenever render is not plain text. */
  exportValue?: (row: T) => ExcelCell;
  sortable?: boolean;
  sortKey?: string;
  /** A select filter above the table: the chosen option's value is sent as `filters[param ?? key]`. */
  filter?: { options: FilterOption[]; param?: string };
  /** Hidden until the user shows it with the column chooser. */
  defaultHidden?: boolean;
  /** false: always shown (e.g. the code that identifies a row). */
  hideable?: boolean;
  /** false: left out of the Excel file (e.g. action buttons). */
  exportable?: boolean;
  /** Pixels; 150 when absent. The table keeps to it (fixed layout) and scrolls sideways when columns do not fit. */
  width?: number;
  align?: 'left' | 'right' | 'center';
  /** Cut long content to one line with … (default); false lets it wrap (e.g. tags). */
  ellipsis?: boolean;
  fixed?: 'left' | 'right';
};
