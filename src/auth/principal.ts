import type { OrgKind, Role } from './roles.ts';

/** Who is calling: a signed-in user or a machine holding an API key. Built once per request. */
export type Principal = {
  kind: 'user' | 'api-key';
  id: string;
  role: Role;
  orgId: string;
  orgCode: string;
  orgKind: OrgKind;
  /** Customs district the organisation acts for (customs organisations), else null. */
  districtCode: string | null;
  username: string | null;
};

export const actorOf = (p: Principal): { type: 'user' | 'api-key'; id: string } => ({ type: p.kind, id: p.id });
