import { describe, expect, it } from 'vitest';
import { buildMenu, type MenuPage } from './menu.ts';

const pages: MenuPage[] = [
  { path: '/', labelKey: 'nav.overview' },
  { path: '/registry/ports', labelKey: 'nav.ports', group: 'registry', requires: 'GET /api/v1/ports' },
  { path: '/registry/enterprises', labelKey: 'nav.enterprises', group: 'registry', requires: 'GET /api/v1/enterprises' },
  { path: '/api-keys', labelKey: 'nav.apiKeys', group: 'integration', requires: 'GET /api/v1/api-keys' },
  { path: '/hidden', labelKey: 'x', menu: false },
];

describe(buildMenu.name, () => {
  it('keeps only the pages whose API route the user may call, grouped in order', () => {
    const menu = buildMenu(pages, new Set(['GET /api/v1/ports']));
    expect(menu).toEqual([
      { kind: 'page', page: pages[0] },
      { kind: 'group', group: { key: 'registry', labelKey: 'nav.registry', pages: [pages[1]] } },
    ]);
  });

  it('shows the enterprise list to a role the server allows, and drops empty groups', () => {
    const menu = buildMenu(pages, new Set(['GET /api/v1/ports', 'GET /api/v1/enterprises', 'GET /api/v1/api-keys']));
    const labels = menu.flatMap((e) => (e.kind === 'page' ? [e.page.labelKey] : e.group.pages.map((p) => p.labelKey)));
    expect(labels).toEqual(['nav.overview', 'nav.ports', 'nav.enterprises', 'nav.apiKeys']);
    expect(buildMenu(pages, new Set()).map((e) => e.kind)).toEqual(['page']);
  });
});
