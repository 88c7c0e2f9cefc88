/**
 * What the journeys share: the browser, one journey's context with its console watch and
 * screenshots, signing in through the page, and calls to the same server from Node (the API is
 * the oracle: expected menus, ports and rows come from it, never from a second hard-coded list).
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { DEMO_PASSWORD } from '../src/seed/demo-users.ts';
import type { Me } from '../web/src/api/client.ts';
import { buildMenu } from '../web/src/app/menu.ts';
import { PAGES } from '../web/src/app/pages.tsx';
import { CATALOGUES } from '../web/src/i18n/index.ts';
import { ARTIFACTS, WEB_INDEX } from './paths.ts';

export type { Me };
export type Lang = keyof typeof CATALOGUES;

const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = path.join(ARTIFACTS, 'screenshots');
export const DOWNLOADS = path.join(ARTIFACTS, 'downloads');

export const baseUrl = (): string => inject('baseUrl');

/** Debian's Chromium; Playwright never downloads a browser here. */
export const launchBrowser = (): Promise<Browser> => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (.ci/run does) to run the browser journeys`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
};

type Allowance = { text: RegExp; url?: RegExp };

/**
 * The server serves web/dist live, so another process rebuilding it during the run (a developer's
 * `npm start` or `npm run build:web` in the same checkout) deletes the hashed chunks that pages
 * already loaded import lazily: 404s on /assets/ that are not the app's fault. Failures say so.
 */
const WEB_DIST_REPLACED =
  'NOTE: web/dist was rebuilt by another process during this run; 404s on /assets/ and "Failed to fetch dynamically imported module" come from that. Run again.';
const webDistReplaced = (): boolean => {
  try {
    return fs.readFileSync(WEB_INDEX, 'utf8') !== inject('webIndex');
  } catch {
    return true;
  }
};

/**
 * One journey: a fresh browser context (empty storage, downloads accepted) whose pages are
 * watched for console errors and uncaught exceptions, and a numbered screenshot per step.
 */
export class Journey {
  readonly errors: string[] = [];
  private readonly allowances: Allowance[] = [];
  private step = 0;
  /** Requests in flight, and when the last one started or ended: a client-side route change is no
   *  new document, so Playwright's own 'networkidle' says nothing about the page it loads. */
  private inFlight = 0;
  private lastActivity = Date.now();

  private constructor(
    readonly name: string,
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  /**
   * Runs a journey in its own context and closes it. A failing step reports the console errors
   * seen so far (a crashed page often shows only as a missing element), and a journey that
   * completes must have logged none.
   */
  static async run(browser: Browser, name: string, body: (j: Journey) => Promise<void>): Promise<void> {
    const j = await Journey.open(browser, name);
    try {
      try {
        await body(j);
      } catch (e) {
        if (j.errors.length > 0 && e instanceof Error) {
          e.message += `\n\nConsole errors in journey "${name}" up to this failure:\n${j.errors.map((x) => `  - ${x}`).join('\n')}`;
        }
        if (webDistReplaced() && e instanceof Error) {
          e.message += `\n\n${WEB_DIST_REPLACED}`;
        }
        await j.shot('failed').catch(() => undefined);
        throw e;
      }
      j.expectNoConsoleErrors();
    } finally {
      await j.close();
    }
  }

  static async open(browser: Browser, name: string): Promise<Journey> {
    const context = await browser.newContext({
      baseURL: baseUrl(),
      viewport: { width: 1440, height: 900 },
      acceptDownloads: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    context.setDefaultTimeout(20_000);
    const watchers: ((p: Page) => void)[] = [];
    context.on('page', (p) => watchers.forEach((w) => w(p)));
    const page = await context.newPage();
    const journey = new Journey(name, context, page);
    watchers.push((p) => journey.watch(p));
    journey.watch(page);
    return journey;
  }

  private watch(page: Page): void {
    page.on('request', () => {
      this.inFlight += 1;
      this.lastActivity = Date.now();
    });
    const done = (): void => {
      this.inFlight = Math.max(0, this.inFlight - 1);
      this.lastActivity = Date.now();
    };
    page.on('requestfinished', done);
    page.on('requestfailed', done);
    page.on('console', (msg) => {
      if (msg.type() !== 'error') {
        return;
      }
      const at = msg.location().url;
      if (this.allowances.some((a) => a.text.test(msg.text()) && (a.url === undefined || a.url.test(at)))) {
        return;
      }
      this.errors.push(`console.error on ${page.url()}: ${msg.text()}${at === '' ? '' : ` (${at})`}`);
    });
    page.on('pageerror', (err) => this.errors.push(`uncaught on ${page.url()}: ${err.name}: ${err.message}`));
  }

  /** An error this journey provokes on purpose (e.g. the 401 of a broken token) is not a failure. */
  allowConsoleError(text: RegExp, url?: RegExp): void {
    this.allowances.push(url === undefined ? { text } : { text, url });
  }

  /** Full-page screenshot once the page has settled: e2e-artifacts/screenshots/<journey>-<nn>-<step>.png */
  async shot(step: string): Promise<void> {
    await this.settle();
    this.step += 1;
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const file = path.join(SCREENSHOTS, `${this.name}-${String(this.step).padStart(2, '0')}-${step}.png`);
    await this.page.screenshot({ path: file, fullPage: true });
  }

  /** No request for 300 ms and no loading placeholder left (best effort after 15 s: a page may poll or keep a spinner). */
  async settle(): Promise<void> {
    const deadline = Date.now() + 15_000;
    while ((this.inFlight > 0 || Date.now() - this.lastActivity < 300) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await this.page
      .waitForFunction(() => document.querySelector('.ant-skeleton-active, .ant-spin-spinning') === null, undefined, { timeout: 5_000 })
      .catch(() => undefined);
  }

  expectNoConsoleErrors(): void {
    const note = webDistReplaced() ? ` (${WEB_DIST_REPLACED})` : '';
    expect(this.errors, `console errors or uncaught exceptions in journey "${this.name}"${note}`).toEqual([]);
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

// ----------------------------------------------------------------------------- the page

/** Signs in on the login page that is showing, and waits for the signed-in frame. */
export const signIn = async (page: Page, username: string): Promise<void> => {
  const card = page.getByTestId('login-card');
  await card.waitFor();
  await card.locator('input#username').fill(username);
  await card.locator('input#password').fill(DEMO_PASSWORD);
  await card.locator('button[type=submit]').click();
  await page.getByTestId('main-menu').waitFor();
};

/** The links of the main menu as rendered: [href, text]. */
export const menuLinks = (page: Page): Promise<{ href: string; text: string }[]> =>
  page
    .getByTestId('main-menu')
    .locator('a[href]')
    .evaluateAll((links) => links.map((a) => ({ href: a.getAttribute('href') ?? '', text: (a.textContent ?? '').trim() })));

/** Picks an option of an antd Select by its visible label. */
export const chooseOption = async (page: Page, testId: string, label: string): Promise<void> => {
  await page.getByTestId(testId).click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: label }).click();
};

// ----------------------------------------------------------------------------- the app's own rules

/** A catalogue string, e.g. tr('en-US', 'nav.overview'). */
export const tr = (lang: Lang, key: string): string => {
  let node: unknown = CATALOGUES[lang];
  for (const part of key.split('.')) {
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  }
  if (typeof node !== 'string') {
    throw new Error(`no ${lang} string for ${key}`);
  }
  return node;
};

/** The menu the app's page registry yields for these allowed routes: paths in menu order. */
export const expectedMenu = (allowedRoutes: readonly string[]): { path: string; labelKey: string; requires?: string }[] =>
  buildMenu(PAGES, new Set(allowedRoutes)).flatMap((e) => (e.kind === 'page' ? [e.page] : e.group.pages));

/** Every page of the registry that needs an API route without path parameters (so it can be probed). */
export const probeablePages = (): { path: string; requires: string }[] =>
  PAGES.flatMap((p) =>
    // list pages a GET can probe; a page that needs a POST (the gate check) has nothing to fetch
    p.requires?.startsWith('GET ') === true && p.menu !== false && !p.requires.includes(':')
      ? [{ path: p.path, requires: p.requires }]
      : [],
  );

// ----------------------------------------------------------------------------- the API, from Node

export type ApiPage<T> = { items: T[]; nextCursor: string | null; total?: number };

export const apiLogin = async (username: string): Promise<string> => {
  const res = await fetch(`${baseUrl()}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (!res.ok) {
    throw new Error(`login as ${username}: HTTP ${res.status} ${await res.text()}`);
  }
  return ((await res.json()) as { token: string }).token;
};

export const apiStatus = async (token: string, route: string): Promise<number> => {
  const res = await fetch(`${baseUrl()}${route}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  await res.arrayBuffer();
  return res.status;
};

export const apiGet = async <T>(token: string, route: string): Promise<T> => {
  const res = await fetch(`${baseUrl()}${route}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  if (!res.ok) {
    throw new Error(`GET ${route}: HTTP ${res.status} ${await res.text()}`);
  }
  return (await res.json()) as T;
};

/** Any API call as the token's user: the status and the parsed body (null when empty). */
export const apiSend = async <T>(token: string, method: string, route: string, body?: unknown): Promise<{ status: number; json: T }> => {
  const res = await fetch(`${baseUrl()}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: (text === '' ? null : JSON.parse(text)) as T };
};

/** An API call that must succeed (set-up through the API): its body, else an error naming the route and the answer. */
export const api = async <T>(token: string, method: string, route: string, body?: unknown): Promise<T> => {
  const r = await apiSend<T>(token, method, route, body);
  if (r.status < 200 || r.status >= 300) {
    throw new Error(`${method} ${route}: HTTP ${r.status} ${JSON.stringify(r.json)}`);
  }
  return r.json;
};

/** Waits until the element's text contains `text`. */
export const waitText = async (loc: Locator, text: string): Promise<void> => {
  await expect.poll(async () => (await loc.textContent()) ?? '', { timeout: 20_000 }).toContain(text);
};

/** A data-testid hook the page must have: waits for it, failing with a message that names the missing hook. */
export const hook = async (page: Page, selector: string, what: string, timeout = 20_000): Promise<void> => {
  try {
    await page.locator(selector).first().waitFor({ timeout });
  } catch {
    throw new Error(`${what}: no ${selector} on ${page.url()} after ${timeout / 1000} s (page not finished, or hook renamed?)`);
  }
};
