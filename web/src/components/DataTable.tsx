import { ClearOutlined, DownloadOutlined, ReloadOutlined, SearchOutlined, SettingOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Checkbox, Empty, Input, Popover, Result, Select, Skeleton, Tooltip, Typography, theme } from 'antd';
import type { TableColumnsType, TableProps } from 'antd';
import { Table } from 'antd';
import { useEffect, useMemo, useState, type KeyboardEvent, type ReactElement, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { usePrefs } from '../lib/prefs-context.tsx';
import type { ExcelCell, ExcelColumn } from './excel.ts';
import { useColumnPrefs } from './table/column-prefs.ts';
import { fetchAllRows, TooManyRowsError } from './table/fetch-all.ts';
import { textWidth } from './table/text-width.ts';
import type { DataColumn, FetchPage, FetchParams } from './table/types.ts';

export type { DataColumn, FetchPage, FetchParams, FetchResult, FilterOption } from './table/types.ts';

/**
 * The one list table of the app: server-side paging, sorting, search and select filters, a
 * column chooser remembered per table, empty / error / loading states, and an Excel export of
 * everything matching the current search and filters (not just the page on screen).
 *
 * Data comes from `fetchPage`, cached by TanStack Query under `[...queryKey, 'page', params]`:
 * after a change, `queryClient.invalidateQueries({ queryKey })` refreshes the table. Put every
 * input of fetchPage that is not a table param (an as-of date, a parent id) into queryKey.
 *
 * Test hooks: data-testid data-table (root), table-search, table-total, table-columns,
 * table-export, table-filter-<key>, table-retry, table-empty, table-error; rows are tr[data-row-key].
 */
export type DataTableProps<T extends object> = {
  queryKey: readonly unknown[];
  fetchPage: FetchPage<T>;
  columns: DataColumn<T>[];
  rowKey: string | ((row: T) => string);
  /** File name stem of the export (`<exportName>-<YYYY-MM-DD>.xlsx`); also the column-chooser memory unless tableId is given. */
  exportName: string;
  /** Worksheet name in the export (e.g. the page title). */
  exportSheetName?: string;
  /** Where the column choice is remembered (localStorage); default exportName. */
  tableId?: string;
  /** Extra controls, shown at the start of the toolbar's right-hand side. */
  toolbar?: ReactNode;
  searchPlaceholder?: string;
  /** false hides the search box (for sources without free-text search). */
  search?: boolean;
  /** Sort sent when the user has not chosen one (`field` or `-field`). */
  defaultSort?: string;
  pageSize?: number;
  onRowClick?: (row: T) => void;
};

const PAGE_SIZES = [10, 20, 50, 100];
const DEFAULT_WIDTH = 150;

const rawValue = (row: object, key: string): unknown => (row as Record<string, unknown>)[key];

const todayIn = (timeZone: string): string => {
  try {
    // en-CA writes dates as YYYY-MM-DD.
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  } catch {
    return new Date().toISOString().slice(0, 10);
  }
};

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function DataTable<T extends object>(props: DataTableProps<T>): ReactElement {
  const { columns, fetchPage, queryKey, onRowClick } = props;
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const { message } = App.useApp();
  const { token } = theme.useToken();
  const prefs = useColumnPrefs(props.tableId ?? props.exportName);

  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(props.pageSize ?? 20);
  const [sort, setSort] = useState<string | undefined>(props.defaultSort);
  const [searchText, setSearchText] = useState('');
  const [q, setQ] = useState('');
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [exporting, setExporting] = useState(false);

  // A new data source (another as-of date, another parent): back to its first page.
  const sourceKey = JSON.stringify(queryKey);
  const [lastSource, setLastSource] = useState(sourceKey);
  if (lastSource !== sourceKey) {
    setLastSource(sourceKey);
    setPage(1);
  }

  // Search as the user types (300 ms after the last key), or at once on Enter.
  useEffect(() => {
    const next = searchText.trim();
    if (next === q) {
      return undefined;
    }
    const timer = window.setTimeout(() => {
      setQ(next);
      setPage(1);
    }, 300);
    return () => window.clearTimeout(timer);
  }, [searchText, q]);

  const params = useMemo<FetchParams>(
    () => ({
      offset: (page - 1) * pageSize,
      limit: pageSize,
      filters,
      ...(sort !== undefined ? { sort } : {}),
      ...(q !== '' ? { q } : {}),
    }),
    [page, pageSize, filters, sort, q],
  );

  const query = useQuery({
    queryKey: [...queryKey, 'page', params],
    queryFn: () => fetchPage(params),
    placeholderData: keepPreviousData,
  });
  const total = query.data?.total ?? 0;

  // Rows went away under the user (a filter elsewhere, a deletion): show the last page that has some.
  useEffect(() => {
    if (query.data !== undefined && !query.isPlaceholderData && total > 0 && params.offset >= total) {
      setPage(Math.max(1, Math.ceil(total / pageSize)));
    }
  }, [query.data, query.isPlaceholderData, total, params.offset, pageSize]);

  const visible = columns.filter((c) => c.hideable === false || prefs.isVisible(c.key, c.defaultHidden));
  // Fixed layout: columns keep their widths (long text ends in …), and the table scrolls sideways when they do not fit.
  const scrollX = visible.reduce((sum, c) => sum + (c.width ?? DEFAULT_WIDTH), 0);
  const filtering = q !== '' || Object.keys(filters).length > 0;
  const sortField = sort?.replace(/^-/, '');
  const sortDesc = sort?.startsWith('-') === true;

  const defaultCell = (row: T, key: string): ReactNode => {
    const v = rawValue(row, key);
    if (v === null || v === undefined || v === '') {
      return <Typography.Text type="secondary">—</Typography.Text>;
    }
    if (typeof v === 'boolean') {
      return v ? t('table.yes') : t('table.no');
    }
    if (Array.isArray(v)) {
      return v.map(String).join(t('table.listSep'));
    }
    return typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v);
  };

  const antColumns: TableColumnsType<T> = visible.map((c) => {
    const field = c.sortKey ?? c.key;
    return {
      key: c.key,
      title: c.title,
      render: (_: unknown, row: T) => (c.render !== undefined ? c.render(row) : defaultCell(row, c.key)),
      sorter: c.sortable === true,
      sortOrder: c.sortable === true && sortField === field ? (sortDesc ? 'descend' : 'ascend') : null,
      sortDirections: ['ascend', 'descend'],
      ...(c.width !== undefined ? { width: c.width } : {}),
      ...(c.align !== undefined ? { align: c.align } : {}),
      ellipsis: c.ellipsis ?? true,
      ...(c.fixed !== undefined ? { fixed: c.fixed } : {}),
    };
  });

  const onChange: TableProps<T>['onChange'] = (pagination, _filters, sorter, extra) => {
    if (extra.action === 'sort') {
      const s = Array.isArray(sorter) ? sorter[0] : sorter;
      const col = columns.find((c) => c.key === s?.columnKey);
      const field = col === undefined ? undefined : (col.sortKey ?? col.key);
      setSort(
        field !== undefined && s?.order !== undefined && s.order !== null
          ? s.order === 'descend'
            ? `-${field}`
            : field
          : props.defaultSort,
      );
      setPage(1);
    } else if (extra.action === 'paginate') {
      const size = pagination.pageSize ?? pageSize;
      setPage(size !== pageSize ? 1 : (pagination.current ?? 1));
      setPageSize(size);
    }
  };

  const setFilter = (param: string, value: string | undefined) => {
    setFilters((prev) => {
      const next = { ...prev };
      if (value === undefined || value === '') {
        delete next[param];
      } else {
        next[param] = value;
      }
      return next;
    });
    setPage(1);
  };

  const clearAll = () => {
    setSearchText('');
    setQ('');
    setFilters({});
    setPage(1);
  };

  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      setQ(searchText.trim());
      setPage(1);
    }
  };

  const exportValue = (c: DataColumn<T>, row: T): ExcelCell => {
    if (c.exportValue !== undefined) {
      return c.exportValue(row);
    }
    const v = rawValue(row, c.key);
    if (v === null || v === undefined) {
      return null;
    }
    if (Array.isArray(v)) {
      return v.map(String).join(t('table.listSep'));
    }
    return typeof v === 'object' ? JSON.stringify(v) : (v as ExcelCell);
  };

  const runExport = async () => {
    const key = 'data-table-export';
    setExporting(true);
    try {
      // Start loading exceljs (a separate chunk) while the rows arrive.
      const excel = import('./excel.ts');
      const rows = await fetchAllRows(
        fetchPage,
        { filters, ...(sort !== undefined ? { sort } : {}), ...(q !== '' ? { q } : {}) },
        {
          onProgress: (done, all) =>
            void message.open({ key, type: 'loading', content: t('table.exporting', { done, total: all }), duration: 0 }),
        },
      );
      if (rows.length === 0) {
        void message.open({ key, type: 'info', content: t('table.exportEmpty') });
        return;
      }
      const { buildWorkbook, downloadWorkbook } = await excel;
      const excelColumns: ExcelColumn<T>[] = visible
        .filter((c) => c.exportable !== false)
        .map((c) => ({ key: c.key, header: c.title, value: (row: T) => exportValue(c, row) }));
      const wb = buildWorkbook(excelColumns, rows, lang, props.exportSheetName !== undefined ? { sheetName: props.exportSheetName } : {});
      await downloadWorkbook(wb, `${props.exportName}-${todayIn(timeZone)}.xlsx`);
      void message.open({ key, type: 'success', content: t('table.exported', { count: rows.length }) });
    } catch (err) {
      void message.open({
        key,
        type: err instanceof TooManyRowsError ? 'warning' : 'error',
        content:
          err instanceof TooManyRowsError
            ? t('table.exportTooMany', { max: err.max })
            : t('table.exportFailed', { message: errorText(err) }),
        duration: 6,
      });
    } finally {
      setExporting(false);
    }
  };

  const filterColumns = columns.filter((c) => c.filter !== undefined && c.filter.options.length > 0);

  const chooser = (
    <div style={{ minWidth: 200, maxHeight: 420, overflowY: 'auto' }} data-testid="table-columns-panel">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 8, gap: 16 }}>
        <Typography.Text strong>{t('table.columnsTitle')}</Typography.Text>
        <Button type="link" size="small" onClick={prefs.reset} style={{ padding: 0 }}>
          {t('table.columnsReset')}
        </Button>
      </div>
      {columns.map((c) => (
        <div key={c.key} style={{ padding: '2px 0' }}>
          <Checkbox
            checked={c.hideable === false || prefs.isVisible(c.key, c.defaultHidden)}
            disabled={c.hideable === false}
            onChange={(e) => prefs.setVisible(c.key, e.target.checked, c.defaultHidden)}
            data-testid={`table-column-toggle-${c.key}`}
          >
            {c.title}
          </Checkbox>
        </div>
      ))}
    </div>
  );

  const empty = (
    <div data-testid="table-empty">
      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={filtering ? t('table.noMatch') : t('table.empty')}>
        {filtering && (
          <Button icon={<ClearOutlined />} onClick={clearAll}>
            {t('table.clearFilters')}
          </Button>
        )}
      </Empty>
    </div>
  );

  let body: ReactNode;
  if (query.isError && query.data === undefined) {
    body = (
      <div data-testid="table-error" role="alert">
        <Result
          status="error"
          title={t('table.loadFailed')}
          subTitle={errorText(query.error)}
          extra={
            <Button type="primary" icon={<ReloadOutlined />} onClick={() => void query.refetch()} data-testid="table-retry">
              {t('table.retry')}
            </Button>
          }
        />
      </div>
    );
  } else if (query.data === undefined) {
    body = <Skeleton active title={false} paragraph={{ rows: 8 }} style={{ padding: '16px 0' }} data-testid="table-loading" />;
  } else {
    body = (
      <Table<T>
        size="small"
        rowKey={props.rowKey}
        columns={antColumns}
        dataSource={query.data.items}
        loading={query.isPlaceholderData}
        onChange={onChange}
        tableLayout="fixed"
        scroll={{ x: scrollX }}
        locale={{ emptyText: empty }}
        pagination={{
          current: page,
          pageSize,
          total,
          showSizeChanger: true,
          pageSizeOptions: PAGE_SIZES,
          showQuickJumper: total > pageSize * 5,
          size: 'small',
        }}
        onRow={
          onRowClick === undefined
            ? undefined
            : (row) => ({
                onClick: () => onRowClick(row),
                onKeyDown: (e) => {
                  if (e.key === 'Enter' && e.target === e.currentTarget) {
                    onRowClick(row);
                  }
                },
                tabIndex: 0,
                style: { cursor: 'pointer' },
              })
        }
      />
    );
  }

  return (
    <div data-testid="data-table">
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center', justifyContent: 'space-between', marginBottom: 12 }}>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center' }}>
          {props.search !== false && (
            <Input
              allowClear
              prefix={<SearchOutlined style={{ color: token.colorTextTertiary }} />}
              placeholder={props.searchPlaceholder ?? t('table.searchPlaceholder')}
              aria-label={props.searchPlaceholder ?? t('table.searchPlaceholder')}
              value={searchText}
              onChange={(e) => setSearchText(e.target.value)}
              onKeyDown={onSearchKey}
              style={{ width: 220 }}
              data-testid="table-search"
            />
          )}
          {filterColumns.map((c) => {
            const param = c.filter?.param ?? c.key;
            return (
              <Select<string>
                key={c.key}
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={c.title}
                aria-label={c.title}
                value={filters[param]}
                onChange={(v) => setFilter(param, v)}
                options={c.filter?.options}
                style={{ width: Math.min(220, Math.max(140, textWidth(c.title) + 48)) }}
                popupMatchSelectWidth={false}
                data-testid={`table-filter-${c.key}`}
              />
            );
          })}
          {filtering && total > 0 && (
            <Button type="link" icon={<ClearOutlined />} onClick={clearAll} style={{ paddingInline: 4 }}>
              {t('table.clearFilters')}
            </Button>
          )}
        </div>
        <div style={{ display: 'flex', gap: 8, alignItems: 'center', marginInlineStart: 'auto' }}>
          {props.toolbar}
          <Typography.Text type="secondary" data-testid="table-total" style={{ whiteSpace: 'nowrap' }}>
            {t('table.total', { count: query.data === undefined ? '—' : total })}
          </Typography.Text>
          <Tooltip title={t('table.refresh')}>
            <Button
              icon={<ReloadOutlined />}
              aria-label={t('table.refresh')}
              loading={query.isFetching && query.data !== undefined && !query.isPlaceholderData}
              onClick={() => void query.refetch()}
            />
          </Tooltip>
          <Popover content={chooser} trigger="click" placement="bottomRight">
            <Button icon={<SettingOutlined />} data-testid="table-columns">
              {t('table.columns')}
            </Button>
          </Popover>
          <Button
            icon={<DownloadOutlined />}
            loading={exporting}
            disabled={query.data === undefined || total === 0}
            onClick={() => void runExport()}
            data-testid="table-export"
          >
            {t('table.export')}
          </Button>
        </div>
      </div>
      {body}
    </div>
  );
}
