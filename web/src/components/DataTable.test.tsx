// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App as AntApp } from 'antd';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExcelColumn } from './excel.ts';
import { PrefsProvider } from '../lib/prefs-context.tsx';
import { DataTable, type DataColumn, type FetchParams, type FetchResult } from './DataTable.tsx';
import '../i18n/index.ts';

// The export path loads excel.ts lazily; here it is replaced so the test sees what would be written.
const excelCalls = vi.hoisted(() => ({ built: [] as { headers: string[]; rows: unknown[][]; lang: string }[], downloads: [] as string[] }));
vi.mock('./excel.ts', () => ({
  buildWorkbook: (columns: ExcelColumn<Row>[], rows: Row[], lang: string) => {
    excelCalls.built.push({
      headers: columns.map((c) => (typeof c.header === 'string' ? c.header : '')),
      rows: rows.map((r) => columns.map((c) => c.value(r))),
      lang,
    });
    return {};
  },
  downloadWorkbook: async (_wb: unknown, name: string) => {
    excelCalls.downloads.push(name);
  },
}));

type Row = { id: string; code: string; name: string; lengthM: number; kind: string };

beforeAll(() => {
  // antd needs these browser APIs, which jsdom does not have.
  Object.defineProperty(window, 'matchMedia', {
    writable: true,
    value: (query: string) => ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    }),
  });
  globalThis.ResizeObserver = class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  };
  const original = window.getComputedStyle.bind(window);
  window.getComputedStyle = (elt: Element) => original(elt);
});

beforeEach(() => {
  window.localStorage.clear();
  excelCalls.built.length = 0;
  excelCalls.downloads.length = 0;
});

afterEach(() => cleanup());

const ROWS: Row[] = [
  { id: 'b1', code: 'QQCT-01', name: '前湾1号泊位', lengthM: 350, kind: 'container' },
  { id: 'b2', code: 'QQCT-02', name: '前湾2号泊位', lengthM: 360, kind: 'container' },
  { id: 'b3', code: 'RZ-01', name: '日照1号泊位', lengthM: 280, kind: 'bulk' },
];

const columns: DataColumn<Row>[] = [
  { key: 'code', title: '代码', sortable: true, hideable: false },
  { key: 'name', title: '名称', sortable: true },
  { key: 'lengthM', title: '长度（米）', align: 'right' },
  {
    key: 'kind',
    title: '货类',
    render: (r) => <b>{r.kind === 'bulk' ? '干散货' : '集装箱'}</b>,
    exportValue: (r) => (r.kind === 'bulk' ? '干散货' : '集装箱'),
    filter: {
      options: [
        { value: 'container', label: '集装箱' },
        { value: 'bulk', label: '干散货' },
      ],
    },
  },
];

const fakeSource = (rows: Row[]) =>
  vi.fn(async (p: FetchParams): Promise<FetchResult<Row>> => {
    let items = rows.filter((r) => p.q === undefined || r.code.includes(p.q) || r.name.includes(p.q));
    if (p.filters.kind !== undefined) {
      items = items.filter((r) => r.kind === p.filters.kind);
    }
    return { items: items.slice(p.offset, p.offset + p.limit), total: items.length };
  });

const renderTable = (fetchPage: (p: FetchParams) => Promise<FetchResult<Row>>, extra: { tableId?: string } = {}) => {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <PrefsProvider>
        <AntApp>
          <DataTable<Row>
            queryKey={['test-rows']}
            fetchPage={fetchPage}
            columns={columns}
            rowKey="id"
            exportName="berths"
            tableId={extra.tableId ?? 'test'}
          />
        </AntApp>
      </PrefsProvider>
    </QueryClientProvider>,
  );
};

const rowKeys = (container: HTMLElement): string[] =>
  [...container.querySelectorAll('tr[data-row-key]')].map((tr) => tr.getAttribute('data-row-key') ?? '');

const lastParams = (fn: ReturnType<typeof fakeSource>): FetchParams => {
  const call = fn.mock.calls.at(-1);
  if (call === undefined) {
    throw new Error('fetchPage was not called');
  }
  return call[0];
};

const headerCell = (container: HTMLElement, title: string): HTMLElement => {
  const th = [...container.querySelectorAll<HTMLElement>('thead th')].find((el) => el.textContent?.includes(title) === true);
  if (th === undefined) {
    throw new Error(`no header ${title}`);
  }
  return th;
};

describe('DataTable', () => {
  it('renders the rows of the first page and the total', async () => {
    const fetchPage = fakeSource(ROWS);
    const { container } = renderTable(fetchPage);
    await waitFor(() => expect(rowKeys(container)).toEqual(['b1', 'b2', 'b3']));
    expect(screen.getByTestId('table-total').textContent).toContain('3');
    expect(screen.getByTestId('data-table')).toBeTruthy();
    expect(lastParams(fetchPage)).toMatchObject({ offset: 0, limit: 20, filters: {} });
    expect(lastParams(fetchPage).sort).toBeUndefined();
    // The custom render is used in the cell.
    expect(container.querySelector('tr[data-row-key="b3"]')?.textContent).toContain('干散货');
  });

  it('sorts on the server when a header is clicked: field, then -field', async () => {
    const fetchPage = fakeSource(ROWS);
    const { container } = renderTable(fetchPage);
    await waitFor(() => expect(rowKeys(container)).toHaveLength(3));
    fireEvent.click(headerCell(container, '代码'));
    await waitFor(() => expect(lastParams(fetchPage).sort).toBe('code'));
    fireEvent.click(headerCell(container, '代码'));
    await waitFor(() => expect(lastParams(fetchPage).sort).toBe('-code'));
  });

  it('sends the search box as q, on Enter and after typing stops', async () => {
    const fetchPage = fakeSource(ROWS);
    const { container } = renderTable(fetchPage);
    await waitFor(() => expect(rowKeys(container)).toHaveLength(3));
    const input = screen.getByTestId('table-search');
    expect(input.tagName).toBe('INPUT');
    fireEvent.change(input, { target: { value: 'RZ' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(lastParams(fetchPage).q).toBe('RZ'));
    await waitFor(() => expect(rowKeys(container)).toEqual(['b3']));
    expect(screen.getByTestId('table-total').textContent).toContain('1');

    fireEvent.change(input, { target: { value: 'QQCT' } });
    await waitFor(() => expect(lastParams(fetchPage).q).toBe('QQCT'));
    await waitFor(() => expect(rowKeys(container)).toEqual(['b1', 'b2']));
  });

  it('sends a select filter as its parameter', async () => {
    const fetchPage = fakeSource(ROWS);
    const { container } = renderTable(fetchPage);
    await waitFor(() => expect(rowKeys(container)).toHaveLength(3));
    const select = screen.getByTestId('table-filter-kind');
    const trigger = select.querySelector('input') ?? select;
    fireEvent.mouseDown(trigger);
    const option = await waitFor(() => {
      const el = [...document.querySelectorAll<HTMLElement>('.ant-select-item-option')].find((o) => o.textContent === '干散货');
      if (el === undefined) {
        throw new Error('option not open');
      }
      return el;
    });
    fireEvent.click(option);
    await waitFor(() => expect(lastParams(fetchPage).filters).toEqual({ kind: 'bulk' }));
    await waitFor(() => expect(rowKeys(container)).toEqual(['b3']));
  });

  it('hides a column from the column chooser and remembers it for that table', async () => {
    const fetchPage = fakeSource(ROWS);
    const first = renderTable(fetchPage, { tableId: 'remember' });
    await waitFor(() => expect(rowKeys(first.container)).toHaveLength(3));
    expect(headerCell(first.container, '名称')).toBeTruthy();
    fireEvent.click(screen.getByTestId('table-columns'));
    const panel = await screen.findByTestId('table-columns-panel');
    const marked = within(panel).getByTestId('table-column-toggle-name');
    const toggle = marked.tagName === 'INPUT' ? marked : marked.querySelector('input');
    expect(toggle).not.toBeNull();
    fireEvent.click(toggle as HTMLInputElement);
    await waitFor(() => expect(() => headerCell(first.container, '名称')).toThrow());
    expect(headerCell(first.container, '代码')).toBeTruthy();
    expect(window.localStorage.getItem('portcluster.table.remember.columns')).toBe(JSON.stringify({ name: false }));
    first.unmount();

    const second = renderTable(fakeSource(ROWS), { tableId: 'remember' });
    await waitFor(() => expect(rowKeys(second.container)).toHaveLength(3));
    expect(() => headerCell(second.container, '名称')).toThrow();
  });

  it('shows the empty state when there are no rows', async () => {
    renderTable(fakeSource([]));
    const empty = await screen.findByTestId('table-empty');
    expect(empty.textContent).toContain('暂无数据');
    expect(screen.getByTestId('table-total').textContent).toContain('0');
  });

  it('shows the error state with a retry that loads again', async () => {
    let fail = true;
    const fetchPage = vi.fn(async (p: FetchParams): Promise<FetchResult<Row>> => {
      if (fail) {
        throw new Error('upstream unavailable');
      }
      return { items: ROWS.slice(p.offset, p.offset + p.limit), total: ROWS.length };
    });
    const { container } = renderTable(fetchPage);
    const error = await screen.findByTestId('table-error');
    expect(error.textContent).toContain('数据加载失败');
    expect(error.textContent).toContain('upstream unavailable');
    fail = false;
    fireEvent.click(screen.getByTestId('table-retry'));
    await waitFor(() => expect(rowKeys(container)).toHaveLength(3));
    expect(screen.queryByTestId('table-error')).toBeNull();
  });

  it('exports every matching row, page by page, with the table headers and display values', async () => {
    const many: Row[] = Array.from({ length: 1203 }, (_, i) => ({
      id: `r${i}`,
      code: `C${String(i).padStart(4, '0')}`,
      name: `泊位${i}`,
      lengthM: 100 + i,
      kind: i % 2 === 0 ? 'bulk' : 'container',
    }));
    const fetchPage = fakeSource(many);
    const { container } = renderTable(fetchPage);
    await waitFor(() => expect(rowKeys(container)).toHaveLength(20));
    const select = screen.getByTestId('table-filter-kind');
    fireEvent.mouseDown(select.querySelector('input') ?? select);
    const option = await waitFor(() => {
      const el = [...document.querySelectorAll<HTMLElement>('.ant-select-item-option')].find((o) => o.textContent === '干散货');
      if (el === undefined) {
        throw new Error('option not open');
      }
      return el;
    });
    fireEvent.click(option);
    await waitFor(() => expect(screen.getByTestId('table-total').textContent).toContain('602'));

    fireEvent.click(screen.getByTestId('table-export'));
    await waitFor(() => expect(excelCalls.downloads).toHaveLength(1));
    const exportCalls = fetchPage.mock.calls.map((c) => c[0]).filter((p) => p.limit === 500);
    expect(exportCalls.map((p) => p.offset)).toEqual([0, 500]);
    expect(exportCalls.every((p) => p.filters.kind === 'bulk')).toBe(true);
    const built = excelCalls.built[0];
    expect(built?.lang).toBe('zh-CN');
    expect(built?.headers).toEqual(['代码', '名称', '长度（米）', '货类']);
    expect(built?.rows).toHaveLength(602);
    expect(built?.rows[0]).toEqual(['C0000', '泊位0', 100, '干散货']);
    expect(excelCalls.downloads[0]).toMatch(/^berths-\d{4}-\d{2}-\d{2}\.xlsx$/);
  });
});
