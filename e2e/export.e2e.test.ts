import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { apiGet, apiLogin, DOWNLOADS, hook, Journey, launchBrowser, signIn, type ApiPage } from './support.ts';

type Berth = { id: string; code: string };

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** What a cell shows, whatever exceljs made of it (rich text, hyperlink, formula, date, number). */
const cellText = (v: ExcelJS.CellValue): string => {
  if (v === null || v === undefined) {
    return '';
  }
  if (v instanceof Date) {
    return v.toISOString();
  }
  if (typeof v === 'object') {
    if ('richText' in v) {
      return v.richText.map((r) => r.text).join('');
    }
    if ('text' in v) {
      return String(v.text);
    }
    if ('result' in v) {
      return cellText((v.result ?? null) as ExcelJS.CellValue);
    }
    return JSON.stringify(v);
  }
  return String(v);
};

test('filter a table and export it; the .xlsx holds the filtered rows with Chinese headers', async () => {
  const expected = (await apiGet<ApiPage<Berth>>(await apiLogin('officer'), '/api/v1/berths?q=QQCT&limit=500')).items;
  expect(expected.length, 'berths matching QQCT in the demo data').toBeGreaterThan(0);
  const codes = expected.map((b) => b.code).sort();

  await Journey.run(browser, 'export', async (j) => {
    const { page } = j;
    await page.goto('/registry/berths');
    await signIn(page, 'officer');
    await page.waitForURL((u) => u.pathname === '/registry/berths');
    await hook(page, '[data-testid=data-table]', 'the DataTable of /registry/berths');
    await hook(page, '[data-testid=table-search]', 'the search box of the DataTable');
    await j.shot('berths');

    const search = page.getByTestId('table-search');
    // The hook may sit on the input itself or on a wrapper (antd Input.Search).
    const input = (await search.evaluate((el) => el.tagName)) === 'INPUT' ? search : search.locator('input').first();
    await input.fill('QQCT');
    await input.press('Enter');
    await hook(page, '[data-testid=table-total]', 'the total of the DataTable');
    const count = new RegExp(`(^|\\D)${expected.length}(\\D|$)`);
    await expect
      .poll(async () => (await page.getByTestId('table-total').textContent()) ?? '', {
        timeout: 15_000,
        message: 'table total after searching QQCT',
      })
      .toMatch(count);
    await j.settle();
    await j.shot('filtered');

    await hook(page, '[data-testid=table-export]', 'the export button of the DataTable');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('table-export').click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    fs.mkdirSync(DOWNLOADS, { recursive: true });
    const file = path.join(DOWNLOADS, download.suggestedFilename());
    await download.saveAs(file);
    await j.shot('exported');

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const sheet = book.worksheets[0];
    if (sheet === undefined) {
      throw new Error(`${file} has no worksheet`);
    }
    const rows: string[][] = [];
    sheet.eachRow((row) => {
      const values = row.values as ExcelJS.CellValue[]; // 1-based: values[0] is empty
      rows.push(values.slice(1).map(cellText));
    });
    const [headers = [], ...data] = rows;
    expect(data.length, `data rows in ${path.basename(file)}`).toBe(expected.length);

    // Some column holds exactly the berth codes the API returns.
    const columns = headers.map((_, c) => data.map((r) => r[c] ?? '').sort());
    expect(
      columns.some((col) => JSON.stringify(col) === JSON.stringify(codes)),
      `a column equal to the berth codes ${codes.join(', ')}; columns: ${headers.join(' | ')}`,
    ).toBe(true);

    // The Chinese UI exports Chinese headers.
    expect(headers.length).toBeGreaterThan(0);
    expect(
      headers.filter((h) => !/[\u3400-\u9fff]/.test(h)),
      `headers without Chinese: ${headers.join(' | ')}`,
    ).toEqual([]);
  });
});
