import type { Role } from './roles.ts';

/**
 * The access policy every route declares in `config.access`, next to its schema.
 * Who sees which rows is not decided here but in auth/scope.ts, in the data-access path.
 */
export type Access = { kind: 'public' } | { kind: 'roles'; roles: readonly Role[] | 'any' };

export const PUBLIC: Access = { kind: 'public' };
export const ANY_ROLE: Access = { kind: 'roles', roles: 'any' };
export const rolesOnly = (...roles: Role[]): Access => ({ kind: 'roles', roles });

export const isAllowed = (access: Access, role: Role | null): boolean => {
  if (access.kind === 'public') {
    return true;
  }
  if (role === null) {
    return false;
  }
  return access.roles === 'any' || access.roles.includes(role);
};

export const describeAccess = (access: Access): string =>
  access.kind === 'public'
    ? 'Public: no credentials needed.'
    : access.roles === 'any'
      ? 'Any signed-in user or API key.'
      : `Roles: ${access.roles.join(', ')}.`;
