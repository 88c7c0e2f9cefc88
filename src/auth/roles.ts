/** The roles of PRODUCT.md. Stable strings: stored in users.role and tokens. */
export const ROLES = [
  'customs-officer',
  'risk-analyst',
  'terminal-operator',
  'agent',
  'declarant',
  'laboratory',
  'operator',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

export const ORG_KINDS = ['customs', 'terminal', 'agency', 'enterprise', 'laboratory', 'operator', 'platform'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

/** Which organisation kind a user of each role must belong to. */
export const ORG_KIND_OF_ROLE: Record<Role, OrgKind> = {
  'customs-officer': 'customs',
  'risk-analyst': 'customs',
  'terminal-operator': 'terminal',
  agent: 'agency',
  declarant: 'enterprise',
  laboratory: 'laboratory',
  operator: 'operator',
  admin: 'platform',
};

export const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);

export const CUSTOMS_ROLES = ['customs-officer', 'risk-analyst'] as const satisfies readonly Role[];
