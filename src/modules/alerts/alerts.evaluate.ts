import { sql } from 'kysely';
import type { Clock } from '../../core/clock.ts';
import type { Db } from '../../db/client.ts';
import { appendEvents, type NewEvent } from '../../events/event-log.ts';
import { policyInForce } from '../policies/index.ts';
import {
  ALERT_RULE_KINDS,
  ALERT_RULES_POLICY,
  ruleFires,
  type AlertRule,
  type AlertRules,
  type AlertSubjectType,
  type BoxTimes,
  type CallFacts,
  type DeclarationFacts,
} from './alerts.rules.ts';
import { openAlerts, resolveAlertsAsRule } from './alerts.store.ts';

/** A subject as the evaluator saw it: who must act, and what to show. */
type Subject<F> = { id: string; label: string; districtCode: string; orgIds: string[]; facts: F; detail: Record<string, unknown> };

export type EvaluationResult = { ruleSetVersion: number; evaluatedAt: string; opened: number; resolved: number; open: number };

export const CONDITION_CLEARED = 'condition cleared';
export const RULE_DISABLED = 'rule disabled';

const districtFilter = (column: string, districtCode: string | undefined) =>
  districtCode === undefined ? sql`true` : sql`${sql.ref(column)} = ${districtCode}`;

/**
 * Box visits still in the terminal (import not gated out, export not loaded) that have been
 * discharged, gated in or released, with the latest event time per kind (the flags, as
 * modules/cargo reads them). Boxes that left need no rule, and their open alerts resolve.
 */
const boxSubjects = async (db: Db, districtCode: string | undefined): Promise<Subject<BoxTimes>[]> => {
  const rows = await sql<
    BoxTimes & {
      id: string;
      number: string;
      district_code: string;
      port_call_id: string;
      terminal_org_ids: string[];
      vessel_name: string;
      voyage: string;
    }
  >`
    with f as (
      select e.container_id,
             max(e.occurred_at) filter (where e.kind = 'discharge') as discharged_at,
             max(e.occurred_at) filter (where e.kind = 'customs-release') as customs_released_at,
             max(e.occurred_at) filter (where e.kind = 'customs-hold') as customs_hold_at,
             max(e.occurred_at) filter (where e.kind = 'customs-hold-lifted') as customs_hold_lifted_at,
             max(e.occurred_at) filter (where e.kind = 'gate-in') as gated_in_at,
             max(e.occurred_at) filter (where e.kind = 'gate-out') as gated_out_at,
             max(e.occurred_at) filter (where e.kind = 'load') as loaded_at
      from container_events e
      join containers c on c.id = e.container_id
      where ${districtFilter('c.district_code', districtCode)}
      group by e.container_id
    )
    select c.id, c.number, c.direction, c.district_code, c.port_call_id, pc.terminal_org_ids, pc.vessel_name, pc.voyage,
           f.discharged_at, f.customs_released_at, f.customs_hold_at, f.customs_hold_lifted_at, f.gated_in_at, f.gated_out_at, f.loaded_at
    from f
    join containers c on c.id = f.container_id
    join port_calls pc on pc.id = c.port_call_id
    where (c.direction = 'import' and f.gated_out_at is null and f.discharged_at is not null)
       or (c.direction = 'export' and f.loaded_at is null and (f.gated_in_at is not null or f.customs_released_at is not null))`.execute(
    db,
  );
  return rows.rows.map((r) => ({
    id: r.id,
    label: r.number.trim(),
    districtCode: r.district_code,
    orgIds: r.terminal_org_ids,
    facts: r,
    detail: {
      containerNumber: r.number.trim(),
      direction: r.direction,
      portCallId: r.port_call_id,
      vessel: r.vessel_name,
      voyage: r.voyage,
    },
  }));
};

/** Declarations that may still owe something: advance exports not arrived, two-step at the summary stage. */
const declarationSubjects = async (db: Db, districtCode: string | undefined): Promise<Subject<DeclarationFacts>[]> => {
  const rows = await sql<DeclarationFacts & { id: string; entry_id: string | null; district_code: string; declarant_org_id: string }>`
    select id, entry_id, district_code, declarant_org_id, direction, procedure, stage, status, declared_at, goods_arrived_at, complete_due_at
    from declarations
    where status not in ('E', 'D')
      and ((procedure = 'advance' and direction = 'export' and goods_arrived_at is null)
        or (procedure = 'two-step' and stage = 'summary'))
      and ${districtFilter('district_code', districtCode)}`.execute(db);
  return rows.rows.map((r) => ({
    id: r.id,
    label: r.entry_id ?? r.id,
    districtCode: r.district_code,
    orgIds: [r.declarant_org_id],
    facts: r,
    detail: {
      entryId: r.entry_id,
      procedure: r.procedure,
      direction: r.direction,
      declaredAt: r.declared_at.toISOString(),
      completeDueAt: r.complete_due_at?.toISOString() ?? null,
    },
  }));
};

/**
 * Departed calls that carried cargo one way without the tally report of that way: import cargo
 * (an import manifest or box) without an import tally, export cargo without an export tally.
 */
const callSubjects = async (db: Db, districtCode: string | undefined): Promise<Subject<CallFacts>[]> => {
  const rows = await sql<{
    id: string;
    district_code: string;
    agent_org_id: string;
    vessel_name: string;
    voyage: string;
    departed_at: Date;
    import_cargo: boolean;
    export_cargo: boolean;
    import_tally: boolean;
    export_tally: boolean;
  }>`
    select pc.id, pc.district_code, pc.agent_org_id, pc.vessel_name, pc.voyage, pc.departed_at,
           exists (select 1 from manifests m where m.port_call_id = pc.id and m.state <> 'deleted' and m.kind = 'import-original')
             or exists (select 1 from containers c where c.port_call_id = pc.id and c.direction = 'import') as import_cargo,
           exists (select 1 from manifests m where m.port_call_id = pc.id and m.state <> 'deleted' and m.kind in ('export-pre-stowage', 'export-loading'))
             or exists (select 1 from containers c where c.port_call_id = pc.id and c.direction = 'export') as export_cargo,
           exists (select 1 from manifests m where m.port_call_id = pc.id and m.state <> 'deleted' and m.kind = 'import-tally') as import_tally,
           exists (select 1 from manifests m where m.port_call_id = pc.id and m.state <> 'deleted' and m.kind = 'export-tally') as export_tally
    from port_calls pc
    where pc.departed_at is not null and ${districtFilter('pc.district_code', districtCode)}`.execute(db);
  return rows.rows.flatMap((r) => {
    const missing = [
      ...(r.import_cargo && !r.import_tally ? ['import-tally'] : []),
      ...(r.export_cargo && !r.export_tally ? ['export-tally'] : []),
    ];
    if (missing.length === 0) {
      return [];
    }
    return [
      {
        id: r.id,
        label: `${r.vessel_name} ${r.voyage}`,
        districtCode: r.district_code,
        orgIds: [r.agent_org_id],
        facts: { departed_at: r.departed_at, missing_tallies: missing },
        detail: { vessel: r.vessel_name, voyage: r.voyage, departedAt: r.departed_at.toISOString(), missingTallies: missing },
      },
    ];
  });
};

/**
 * Runs every enabled rule of the alert-rules version in force: opens an alert per subject over
 * its threshold (openAlert is a no-op for one already open) and resolves open alerts of these
 * rules whose condition no longer holds ('condition cleared') or whose rule is disabled. Each
 * subject's change is its own transaction with its event, so one failure does not undo the rest
 * and a long run never holds the event chain. Running it twice opens nothing new.
 * `districtCode` limits the run to one customs district (an officer's "evaluate now").
 */
export const evaluateAlerts = async ({
  db,
  clock,
  districtCode,
}: {
  db: Db;
  clock: Clock;
  districtCode?: string;
}): Promise<EvaluationResult> => {
  const now = clock.now();
  const policy = await policyInForce<AlertRules>(db, ALERT_RULES_POLICY, now);
  const rules = policy.document.rules;
  const enabled = rules.filter((r) => r.enabled);
  const needs = (s: AlertSubjectType) => enabled.some((r) => ALERT_RULE_KINDS[r.kind].subject === s);
  const subjects: Record<AlertSubjectType, Subject<BoxTimes | DeclarationFacts | CallFacts>[]> = {
    container: needs('container') ? await boxSubjects(db, districtCode) : [],
    declaration: needs('declaration') ? await declarationSubjects(db, districtCode) : [],
    'port-call': needs('port-call') ? await callSubjects(db, districtCode) : [],
  };
  const open =
    rules.length === 0
      ? []
      : await db
          .selectFrom('alerts')
          .select(['id', 'rule_id', 'subject_type', 'subject_id'])
          .where('state', '<>', 'resolved')
          // alerts raised by code (interlocks) carry no rule version: people close those, not the evaluator
          .where('rule_version', 'is not', null)
          .where(
            'rule_id',
            'in',
            rules.map((r) => r.id),
          )
          .where((eb) => (districtCode === undefined ? eb.val(true) : eb('district_code', '=', districtCode)))
          .execute();
  const openKey = (ruleId: string, type: string, id: string) => `${ruleId}\u0000${type}\u0000${id}`;
  const openByKey = new Map(open.map((a) => [openKey(a.rule_id, a.subject_type, a.subject_id), a.id]));

  const firing = new Set<string>();
  const toOpen: { rule: AlertRule; type: AlertSubjectType; s: Subject<BoxTimes | DeclarationFacts | CallFacts>; since: Date }[] = [];
  for (const rule of enabled) {
    const type = ALERT_RULE_KINDS[rule.kind].subject;
    for (const s of subjects[type]) {
      const since = ruleFires(rule, s.facts, now);
      if (since === null) {
        continue;
      }
      const key = openKey(rule.id, type, s.id);
      firing.add(key);
      if (!openByKey.has(key)) {
        toOpen.push({ rule, type, s, since });
      }
    }
  }
  // A person's resolution stands for the occurrence it answered: the rule does not reopen it until
  // the condition clears and begins again (escalation rules still fire on their own).
  const settled = new Map<string, Date>();
  if (toOpen.length > 0) {
    const rows = await db
      .selectFrom('alerts')
      .select(['rule_id', 'subject_type', 'subject_id'])
      .select((eb) => eb.fn.max('resolved_at').as('at'))
      .where('state', '=', 'resolved')
      .where('resolved_by', 'is not', null)
      .where('subject_id', '=', sql<string>`any(${[...new Set(toOpen.map((o) => o.s.id))]}::text[])`)
      .groupBy(['rule_id', 'subject_type', 'subject_id'])
      .execute();
    for (const r of rows) {
      if (r.at !== null) {
        settled.set(openKey(r.rule_id, r.subject_type, r.subject_id), new Date(r.at));
      }
    }
  }

  const opening = toOpen.filter(({ rule, type, s, since }) => {
    const key = openKey(rule.id, type, s.id);
    const resolvedAt = settled.get(key);
    if (resolvedAt !== undefined && resolvedAt.getTime() >= since.getTime()) {
      firing.delete(key);
      return false;
    }
    return true;
  });
  const enabledIds = new Set(enabled.map((r) => r.id));
  const clearing = open
    .filter((a) => !firing.has(openKey(a.rule_id, a.subject_type, a.subject_id)))
    .map((a) => ({ id: a.id, resolution: enabledIds.has(a.rule_id) ? CONDITION_CLEARED : RULE_DISABLED }));
  // one transaction and one append for the run's openings and resolutions
  const { opened, resolved } = await db.transaction().execute(async (trx) => {
    const events: NewEvent[] = [];
    const openedNow = await openAlerts(
      trx,
      clock,
      opening.map(({ rule, type, s, since }) => ({
        ruleId: rule.id,
        ruleVersion: policy.version,
        severity: rule.severity,
        subjectType: type,
        subjectId: s.id,
        subjectLabel: s.label,
        districtCode: s.districtCode,
        orgIds: s.orgIds,
        detail: detailOf(rule, s.detail, since, now),
      })),
      events,
    );
    let resolvedNow = 0;
    for (const resolution of [CONDITION_CLEARED, RULE_DISABLED]) {
      const ids = clearing.filter((c) => c.resolution === resolution).map((c) => c.id);
      resolvedNow += (await resolveAlertsAsRule(trx, clock, ids, resolution, events)).length;
    }
    await appendEvents(trx, clock, events);
    return { opened: openedNow.filter((r) => r.opened).length, resolved: resolvedNow };
  });
  return { ruleSetVersion: policy.version, evaluatedAt: now.toISOString(), opened, resolved, open: firing.size };
};

const detailOf = (rule: AlertRule, subject: Record<string, unknown>, since: Date, now: Date): Record<string, unknown> => ({
  ...subject,
  kind: rule.kind,
  titleZh: rule.titleZh,
  titleEn: rule.titleEn,
  thresholdHours: rule.thresholdHours,
  since: since.toISOString(),
  hoursSince: Math.floor((now.getTime() - since.getTime()) / 3_600_000),
});
