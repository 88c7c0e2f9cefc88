/**
 * Menu building, kept pure so it can be tested: a page appears only when the server would
 * answer the API route it needs for this user (from /api/v1/me's allowedRoutes).
 */
export type MenuPage = { path: string; labelKey: string; group?: string; requires?: string; menu?: boolean };
export type MenuGroup = { key: string; labelKey: string; pages: MenuPage[] };
export type MenuEntry = { kind: 'page'; page: MenuPage } | { kind: 'group'; group: MenuGroup };

export const GROUP_LABELS: Record<string, string> = { registry: 'nav.registry', integration: 'nav.integration' };

export const isPageAllowed = (page: MenuPage, allowed: ReadonlySet<string>): boolean =>
  page.requires === undefined || allowed.has(page.requires);

export const buildMenu = (pages: readonly MenuPage[], allowed: ReadonlySet<string>): MenuEntry[] => {
  const entries: MenuEntry[] = [];
  const groups = new Map<string, MenuGroup>();
  for (const page of pages) {
    if (page.menu === false || !isPageAllowed(page, allowed)) {
      continue;
    }
    if (page.group === undefined) {
      entries.push({ kind: 'page', page });
      continue;
    }
    let g = groups.get(page.group);
    if (g === undefined) {
      g = { key: page.group, labelKey: GROUP_LABELS[page.group] ?? page.group, pages: [] };
      groups.set(page.group, g);
      entries.push({ kind: 'group', group: g });
    }
    g.pages.push(page);
  }
  return entries;
};
