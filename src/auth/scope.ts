import { sql, type Expression, type SqlBool } from 'kysely';
import type { Principal } from './principal.ts';

/**
 * Tenant scoping, in one place. Repositories of tenant-owned tables add `visibleTo(table,
 * principal)` to every query that reads or changes rows on behalf of a caller; handlers never
 * filter by organisation themselves.
 *
 * - administrators see everything;
 * - customs organisations see the rows of their district (when the table has a district rule)
 *   and their own organisation's rows;
 * - everyone else sees only rows owned by their own organisation.
 */
type TenantRule = {
  /** Column holding the owning organisation id. */
  org?: string;
  /** Column holding a customs office code; visible to customs of that office's district. */
  customsCode?: string;
  /** Column holding a district code directly. */
  districtCode?: string;
  /** Array column of further organisations that take part (e.g. the terminals a call berths at). */
  orgArray?: string;
  /** Column holding a port call id: visible to whoever may see that call (its agent and terminals). */
  portCall?: string;
};

export const TENANT_RULES = {
  organisations: { org: 'id', districtCode: 'district_code' },
  users: { org: 'org_id' },
  api_keys: { org: 'org_id' },
  webhook_subscriptions: { org: 'org_id' },
  webhook_deliveries: { org: 'org_id' },
  enterprises: { org: 'org_id', customsCode: 'customs_code' },
  port_calls: { org: 'agent_org_id', orgArray: 'terminal_org_ids', districtCode: 'district_code' },
  quarantine_cases: { org: 'agent_org_id', districtCode: 'district_code' },
  dcsa_port_calls: { org: 'owner_org_id', orgArray: 'terminal_org_ids', districtCode: 'district_code' },
  berth_plan_proposals: { org: 'org_id' },
  berth_closures: { org: 'org_id' },
  manifests: { org: 'filer_org_id', portCall: 'port_call_id', districtCode: 'district_code' },
  bills: { portCall: 'port_call_id', districtCode: 'district_code' },
  containers: { portCall: 'port_call_id', districtCode: 'district_code' },
  stowage_plans: { org: 'sender_org_id', districtCode: 'district_code' },
  edifact_interchanges: { org: 'sender_org_id', districtCode: 'district_code' },
  declarations: { org: 'declarant_org_id', districtCode: 'district_code' },
  customs_instructions: { orgArray: 'terminal_org_ids', districtCode: 'district_code' },
  alerts: { orgArray: 'org_ids', districtCode: 'district_code' },
} as const satisfies Record<string, TenantRule>;

export type TenantTable = keyof typeof TENANT_RULES;

export const visibleTo = (table: TenantTable, p: Principal): Expression<SqlBool> => {
  if (p.role === 'admin') {
    return sql<SqlBool>`true`;
  }
  const rule: TenantRule = TENANT_RULES[table];
  const parts: Expression<SqlBool>[] = [];
  if (rule.org !== undefined) {
    parts.push(sql<SqlBool>`${sql.ref(`${table}.${rule.org}`)} = ${p.orgId}`);
  }
  if (rule.orgArray !== undefined) {
    parts.push(sql<SqlBool>`${sql.ref(`${table}.${rule.orgArray}`)} @> array[${p.orgId}]::text[]`);
  }
  if (rule.portCall !== undefined) {
    parts.push(
      sql<SqlBool>`${sql.ref(`${table}.${rule.portCall}`)} in (select port_calls.id from port_calls where ${visibleTo('port_calls', p)})`,
    );
  }
  if (p.orgKind === 'customs' && p.districtCode !== null) {
    if (rule.customsCode !== undefined) {
      parts.push(
        sql<SqlBool>`${sql.ref(`${table}.${rule.customsCode}`)} in (select code from customs_offices where district_code = ${p.districtCode})`,
      );
    }
    if (rule.districtCode !== undefined) {
      parts.push(sql<SqlBool>`${sql.ref(`${table}.${rule.districtCode}`)} = ${p.districtCode}`);
    }
  }
  if (parts.length === 0) {
    return sql<SqlBool>`false`;
  }
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
};

/** Events: named organisations, customs of the event's district, administrators. */
export const eventsVisibleTo = (p: Principal): Expression<SqlBool> => {
  if (p.role === 'admin') {
    return sql<SqlBool>`true`;
  }
  if (p.orgKind === 'customs' && p.districtCode !== null) {
    return sql<SqlBool>`(events.org_ids @> array[${p.orgId}]::text[] or events.district_code = ${p.districtCode})`;
  }
  return sql<SqlBool>`events.org_ids @> array[${p.orgId}]::text[]`;
};
