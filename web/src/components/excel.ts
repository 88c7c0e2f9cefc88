import ExcelJS from 'exceljs';
import type { Workbook } from 'exceljs';
import i18n from '../i18n/index.ts';
import type { Lang } from '../lib/prefs.ts';

/**
 * Excel export. This module pulls in exceljs (about 1 MB), so the UI only ever loads it with
 * `import('./excel.ts')` when someone exports; keep it out of static imports.
 *
 * buildWorkbook is pure apart from the translation catalogue: columns + rows + language in, an
 * ExcelJS workbook out, so it can be tested in Node by writing and reading the file back.
 */
export type ExcelCell = string | number | boolean | Date | null | undefined;

export type ExcelColumn<T> = {
  key: string;
  /** The header: text already in the UI's language, or one text per language. */
  header: string | Partial<Record<Lang, string>>;
  /** The cell for one row: the same value the table shows (numbers stay numbers). */
  value: (row: T) => ExcelCell;
  /** Width in characters; measured from the content when absent. */
  width?: number;
};

const MIN_WIDTH = 6;
const MAX_WIDTH = 60;

const headerText = (header: ExcelColumn<unknown>['header'], lang: Lang): string =>
  typeof header === 'string' ? header : (header[lang] ?? Object.values(header)[0] ?? '');

/** Display width: CJK characters take two columns in Excel's default fonts. */
const displayWidth = (s: string): number => {
  let w = 0;
  for (const ch of s) {
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  }
  return w;
};

const cellText = (v: ExcelCell): string => (v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : String(v));

export const buildWorkbook = <T>(columns: ExcelColumn<T>[], rows: T[], lang: Lang, options: { sheetName?: string } = {}): Workbook => {
  const t = i18n.getFixedT(lang);
  const yes = t('table.yes');
  const no = t('table.no');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'PortCluster';
  wb.created = new Date();
  // Sheet names: at most 31 characters, none of : \ / ? * [ ]
  const sheetName =
    (options.sheetName ?? t('table.sheet'))
      .replace(/[:\\/?*[\]\s]+/g, ' ')
      .trim()
      .slice(0, 31)
      .trim() || 'Sheet1';
  const ws = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });

  const headers = columns.map((c) => headerText(c.header, lang));
  const widths = headers.map((h) => displayWidth(h));
  ws.addRow(headers);

  for (const row of rows) {
    const cells = columns.map((c, i) => {
      const v = c.value(row);
      const out: ExcelCell = typeof v === 'boolean' ? (v ? yes : no) : v === undefined ? null : v;
      widths[i] = Math.max(widths[i] ?? 0, displayWidth(cellText(out)));
      return out;
    });
    ws.addRow(cells);
  }

  columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = c.width ?? Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, (widths[i] ?? 0) + 2));
  });
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.alignment = { vertical: 'middle' };
  head.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFF3F8' } };
    cell.border = { bottom: { style: 'thin', color: { argb: 'FF8C9BAB' } } };
  });
  if (columns.length > 0) {
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  }
  return wb;
};

/** Write the workbook and hand it to the browser as a download. */
export const downloadWorkbook = async (wb: Workbook, fileName: string): Promise<void> => {
  const buffer = await wb.xlsx.writeBuffer();
  const blob = new Blob([buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Give the browser time to start the download before the URL goes.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
};
