import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import i18n from '../i18n/index.ts';
import type { Lang } from '../lib/prefs.ts';
import { buildWorkbook, type ExcelColumn } from './excel.ts';

type Berth = { code: string; nameZh: string; nameEn: string; lengthM: number; accredited: boolean; note: string | null };

const ROWS: Berth[] = [
  { code: 'QQCT-01', nameZh: '前湾集装箱码头1号泊位', nameEn: 'QQCT berth 1', lengthM: 350, accredited: true, note: null },
  { code: 'QQCT-02', nameZh: '前湾集装箱码头2号泊位', nameEn: 'QQCT berth 2', lengthM: 362.5, accredited: false, note: '维修中' },
];

// Headers as the UI makes them: translated in the chosen language.
const columnsFor = (lang: Lang): ExcelColumn<Berth>[] => {
  const t = i18n.getFixedT(lang);
  return [
    { key: 'code', header: t('fields.code'), value: (r) => r.code },
    { key: 'name', header: t('fields.name'), value: (r) => (lang === 'zh-CN' ? r.nameZh : r.nameEn) },
    { key: 'lengthM', header: `${t('fields.lengthM')} (${t('units.m')})`, value: (r) => r.lengthM },
    { key: 'accredited', header: t('fields.accredited'), value: (r) => r.accredited },
    { key: 'note', header: { 'zh-CN': '备注', 'en-US': 'Note' }, value: (r) => r.note },
  ];
};

const roundTrip = async (wb: ExcelJS.Workbook): Promise<ExcelJS.Worksheet> => {
  const buffer = await wb.xlsx.writeBuffer();
  const back = new ExcelJS.Workbook();
  await back.xlsx.load(buffer);
  const ws = back.worksheets[0];
  if (ws === undefined) {
    throw new Error('no worksheet');
  }
  return ws;
};

const rowValues = (ws: ExcelJS.Worksheet, n: number): unknown[] => {
  const values = ws.getRow(n).values as unknown[];
  // ExcelJS rows are 1-based: index 0 is always empty.
  return values.slice(1);
};

describe('buildWorkbook', () => {
  it('writes Chinese headers for the Chinese UI, bold, then one row per record', async () => {
    const ws = await roundTrip(buildWorkbook(columnsFor('zh-CN'), ROWS, 'zh-CN'));
    expect(ws.name).toBe('数据');
    expect(rowValues(ws, 1)).toEqual(['代码', '名称', '岸线长度 (米)', '资质认定', '备注']);
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(ws.rowCount).toBe(3);
    expect(rowValues(ws, 2)).toEqual(['QQCT-01', '前湾集装箱码头1号泊位', 350, '是']);
    expect(rowValues(ws, 3)).toEqual(['QQCT-02', '前湾集装箱码头2号泊位', 362.5, '否', '维修中']);
    // Numbers stay numbers, so officers can sum and sort them in Excel.
    expect(typeof ws.getRow(3).getCell(3).value).toBe('number');
    // The header row stays in view, and widths fit the Chinese names.
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getColumn(2).width).toBeGreaterThanOrEqual(20);
  });

  it('writes English headers for the English UI', async () => {
    const ws = await roundTrip(buildWorkbook(columnsFor('en-US'), ROWS, 'en-US', { sheetName: 'Berths' }));
    expect(ws.name).toBe('Berths');
    expect(rowValues(ws, 1)).toEqual(['Code', 'Name', 'Length (m)', 'Accredited', 'Note']);
    expect(rowValues(ws, 2)).toEqual(['QQCT-01', 'QQCT berth 1', 350, 'Yes']);
    expect(rowValues(ws, 3)).toEqual(['QQCT-02', 'QQCT berth 2', 362.5, 'No', '维修中']);
  });

  it('keeps the input rows as they are, in order, and makes a valid sheet name', async () => {
    const many = Array.from({ length: 250 }, (_, i) => ({ ...ROWS[0], code: `B${i}`, lengthM: i + 1 }) as Berth);
    const ws = await roundTrip(buildWorkbook(columnsFor('en-US'), many, 'en-US', { sheetName: 'Berths: all/[2026]?' }));
    expect(ws.rowCount).toBe(251);
    expect(ws.name).toBe('Berths all 2026');
    for (let i = 0; i < many.length; i += 1) {
      expect(rowValues(ws, i + 2).slice(0, 3)).toEqual([`B${i}`, 'QQCT berth 1', i + 1]);
    }
  });
});
