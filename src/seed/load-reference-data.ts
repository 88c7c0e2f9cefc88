import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../core/paths.ts';
import { sql } from 'kysely';
import { Value } from 'typebox/value';
import { createOrganisation } from '../auth/auth.commands.ts';
import { ORG_KINDS, type OrgKind } from '../auth/roles.ts';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../db/client.ts';
import { inTransaction, type DbOrTx, type Tx } from '../db/tx.ts';
import { SYSTEM_ACTOR, type Actor } from '../events/event-log.ts';
import { canonicalJson } from '../core/canonical-json.ts';
import { listPolicyVersions, publishPolicy } from '../modules/policies/index.ts';
import { deadlineRulesProblems, MANIFEST_DEADLINES_POLICY } from '../modules/cargo/index.ts';
import { QUARANTINE_POLICY, ruleSetProblems, ZRuleSet } from '../modules/quarantine/index.ts';
import { ALERT_RULES_POLICY, alertRuleProblems, ZAlertRules } from '../modules/alerts/index.ts';
import { DECLARATION_RULES_POLICY, declarationRulesProblems } from '../modules/declarations/index.ts';
import { CUSTOMS_RISK_POLICY, ruleSetProblems as riskRuleSetProblems } from '../modules/risk/index.ts';
import { columnOf, createEntity, entitySpec, importHsCsv, versionEntity, type EntityName } from '../modules/registry/index.ts';

export const DEFAULT_DATASET = path.join(PROJECT_ROOT, 'reference-data', 'shandong');

/** How a file's reference-by-code fields map to the registry's id fields. */
type RefRule = { field: string } & ({ entity: EntityName; by: string } | { org: true });

type FileRule = { entity: EntityName; refs: Record<string, RefRule> } | { organisations: true } | { hs: true } | { policy: true };

const org = (field: string): RefRule => ({ field, org: true });

const FILES: Record<string, FileRule> = {
  'customs-offices.json': { entity: 'customs-offices', refs: {} },
  'regulatory-codes.json': { entity: 'regulatory-codes', refs: {} },
  'code-aliases.json': { entity: 'code-aliases', refs: {} },
  'organisations.json': { organisations: true },
  'ports.json': { entity: 'ports', refs: {} },
  'port-areas.json': { entity: 'port-areas', refs: { portLocode: { field: 'portId', entity: 'ports', by: 'locode' } } },
  'terminals.json': {
    entity: 'terminals',
    refs: { areaCode: { field: 'portAreaId', entity: 'port-areas', by: 'code' }, operatorOrg: org('operatorOrgId') },
  },
  'supervision-sites.json': { entity: 'supervision-sites', refs: { areaCode: { field: 'portAreaId', entity: 'port-areas', by: 'code' } } },
  'berths.json': {
    entity: 'berths',
    refs: {
      terminalCode: { field: 'terminalId', entity: 'terminals', by: 'code' },
      siteCode: { field: 'supervisionSiteId', entity: 'supervision-sites', by: 'code' },
    },
  },
  'inland-ports.json': { entity: 'inland-ports', refs: { operatorOrg: org('operatorOrgId') } },
  'bonded-zones.json': {
    entity: 'bonded-zones',
    refs: { portLocode: { field: 'portId', entity: 'ports', by: 'locode' }, operatorOrg: org('operatorOrgId') },
  },
  'corridors.json': {
    entity: 'corridors',
    refs: {
      portLocode: { field: 'portId', entity: 'ports', by: 'locode' },
      inlandPortCode: { field: 'inlandPortId', entity: 'inland-ports', by: 'code' },
    },
  },
  'laboratories.json': { entity: 'laboratories', refs: { operatorOrg: org('orgId') } },
  'carriers.json': { entity: 'carriers', refs: { operatorOrg: org('orgId') } },
  'vessels.json': { entity: 'vessels', refs: { carrierCode: { field: 'carrierId', entity: 'carriers', by: 'code' } } },
  'enterprises.json': { entity: 'enterprises', refs: { operatorOrg: org('orgId') } },
  'affected-areas.json': { entity: 'affected-areas', refs: {} },
  'hs-demo.csv': { hs: true },
  'quarantine-rules.json': { policy: true },
  'manifest-deadlines.json': { policy: true },
  'alert-rules.json': { policy: true },
  'customs-risk-rules.json': { policy: true },
  'declaration-rules.json': { policy: true },
};

export type SeedReport = { created: number; versioned: number; present: number; files: number; unchanged?: boolean };

/** sha256 over the manifest and every file it names, in order. */
const datasetChecksum = (dir: string, manifest: Manifest): string => {
  const h = createHash('sha256').update(fs.readFileSync(path.join(dir, 'manifest.json')));
  for (const f of manifest.files) {
    h.update(`\0${f}\0`).update(fs.readFileSync(path.join(dir, f)));
  }
  return h.digest('hex');
};

type Manifest = { name: string; version: string; files: string[] };

const readJson = (file: string): Record<string, unknown>[] => {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(parsed)) {
    throw new Error(`${file} must hold a JSON array`);
  }
  return parsed as Record<string, unknown>[];
};

const idByKey = async (db: DbOrTx, entity: EntityName, column: string, value: unknown): Promise<string | undefined> => {
  const spec = entitySpec(entity);
  const row = await sql<{
    id: string;
  }>`select id from ${sql.table(spec.table)} where ${sql.ref(column)} = ${value} order by valid_from limit 1`.execute(db);
  return row.rows[0]?.id;
};

/**
 * Loads a reference-data folder (manifest.json + one file per entity) through the same
 * commands the API uses, so every record is validated and leaves its event. Records are
 * matched by their natural key: an entity already present is left alone, so running the seed
 * again changes nothing. Several records with one key are successive versions of one entity.
 */
export const loadReferenceData = async (
  { db: outer, clock }: { db: Db; clock: Clock },
  dir: string = DEFAULT_DATASET,
  opts: { actor?: Actor; onFile?: (file: string, count: number) => void } = {},
): Promise<SeedReport> => {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const checksum = datasetChecksum(dir, manifest);
  const loaded = await outer.selectFrom('reference_datasets').select('checksum').where('name', '=', manifest.name).executeTakeFirst();
  if (loaded?.checksum === checksum) {
    return { created: 0, versioned: 0, present: 0, files: 0, unchanged: true };
  }
  // One transaction: a dataset loads completely or not at all.
  return inTransaction(outer, async (db) => {
    const report = await loadInto(db, clock, dir, manifest, opts);
    await db
      .insertInto('reference_datasets')
      .values({ name: manifest.name, version: manifest.version, checksum, loaded_at: clock.now() })
      .onConflict((oc) => oc.column('name').doUpdateSet({ version: manifest.version, checksum, loaded_at: clock.now() }))
      .execute();
    return report;
  });
};

const loadInto = async (
  db: Tx,
  clock: Clock,
  dir: string,
  manifest: Manifest,
  opts: { actor?: Actor; onFile?: (file: string, count: number) => void },
): Promise<SeedReport> => {
  const actor = opts.actor ?? SYSTEM_ACTOR;
  const report: SeedReport = { created: 0, versioned: 0, present: 0, files: 0 };
  const orgIds = new Map<string, string>();
  const orgId = async (code: string): Promise<string> => {
    const known = orgIds.get(code) ?? (await db.selectFrom('organisations').select('id').where('code', '=', code).executeTakeFirst())?.id;
    if (known === undefined) {
      throw new Error(`unknown organisation code ${code}`);
    }
    orgIds.set(code, known);
    return known;
  };

  for (const file of manifest.files) {
    const rule = FILES[file];
    const full = path.join(dir, file);
    if (rule === undefined) {
      throw new Error(`${file}: no loader rule for this file name`);
    }
    if ('hs' in rule) {
      const count = Number(
        (
          await db
            .selectFrom('hs_codes')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      if (count === 0) {
        const r = await importHsCsv(db, fs.readFileSync(full, 'utf8'), `${manifest.name}-${manifest.version}`);
        report.created += r.inserted;
      }
      report.files += 1;
      opts.onFile?.(file, 0);
      continue;
    }
    if ('policy' in rule) {
      report[await loadPolicy(db, clock, file, full, actor)] += 1;
      report.files += 1;
      opts.onFile?.(file, 1);
      continue;
    }
    const records = readJson(full);
    if ('organisations' in rule) {
      for (const r of records) {
        const code = String(r.code);
        const existing = await db.selectFrom('organisations').select('id').where('code', '=', code).executeTakeFirst();
        if (existing !== undefined) {
          report.present += 1;
          continue;
        }
        const kind = String(r.kind);
        if (!(ORG_KINDS as readonly string[]).includes(kind)) {
          throw new Error(`${file}: organisation ${code} has unknown kind ${kind}`);
        }
        await createOrganisation(
          { db, clock },
          {
            code,
            nameZh: String(r.nameZh),
            nameEn: String(r.nameEn),
            kind: kind as OrgKind,
            districtCode: (r.districtCode as string | null) ?? null,
          },
          actor,
        );
        report.created += 1;
      }
      report.files += 1;
      opts.onFile?.(file, records.length);
      continue;
    }
    const spec = entitySpec(rule.entity);
    // Versions of one entity share the natural key; load them oldest first.
    const groups = new Map<string, Record<string, unknown>[]>();
    for (const r of records) {
      const fields: Record<string, unknown> = { ...r };
      for (const [key, ref] of Object.entries(rule.refs)) {
        const value = fields[key];
        delete fields[key];
        if (value === null || value === undefined) {
          fields[ref.field] = null;
        } else if ('org' in ref) {
          fields[ref.field] = await orgId(typeof value === 'string' ? value : JSON.stringify(value));
        } else {
          const id = await idByKey(db, ref.entity, columnOf(ref.by), value);
          if (id === undefined) {
            throw new Error(`${file}: ${key} ${JSON.stringify(value)} matches no ${ref.entity}`);
          }
          fields[ref.field] = id;
        }
      }
      const key = spec.unique.map((f) => String(fields[f])).join('|');
      groups.set(key, [...(groups.get(key) ?? []), fields]);
    }
    for (const versions of groups.values()) {
      versions.sort((a, b) => String(a.validFrom).localeCompare(String(b.validFrom)));
      const first = versions[0] as Record<string, unknown>;
      const keyField = spec.unique[0] as string;
      const existing = await idByKey(db, rule.entity, columnOf(keyField), first[keyField]);
      if (existing !== undefined && spec.unique.length === 1) {
        report.present += versions.length;
        continue;
      }
      if (existing !== undefined) {
        // Composite key (berths: terminal + code): check the whole key.
        const conds = spec.unique.map((f) => sql`${sql.ref(columnOf(f))} = ${first[f]}`);
        const hit = await sql<{ id: string }>`select id from ${sql.table(spec.table)} where ${sql.join(conds, sql` and `)} limit 1`.execute(
          db,
        );
        if (hit.rows.length > 0) {
          report.present += versions.length;
          continue;
        }
      }
      const split = (v: Record<string, unknown>) => {
        const { validFrom, validTo, ...fields } = v;
        return { fields, validFrom: validFrom as string | undefined, validTo: (validTo as string | undefined) ?? null };
      };
      const head = split(first);
      const created = await createEntity({ db, clock }, spec, {
        fields: head.fields,
        ...(head.validFrom !== undefined ? { validFrom: head.validFrom } : {}),
        validTo: head.validTo,
        actor,
      });
      report.created += 1;
      for (const v of versions.slice(1)) {
        const next = split(v);
        if (next.validFrom === undefined) {
          throw new Error(`${file}: a later version of ${spec.singular} ${keyField} ${String(first[keyField])} needs validFrom`);
        }
        await versionEntity({ db, clock }, spec, {
          id: String(created.id),
          fields: next.fields,
          validFrom: next.validFrom,
          validTo: next.validTo,
          actor,
        });
        report.versioned += 1;
      }
    }
    report.files += 1;
    opts.onFile?.(file, records.length);
  }
  return report;
};

/** Policy documents the loader knows how to check, by kind. */
const POLICY_CHECKS: Record<string, (doc: unknown) => string[]> = {
  [QUARANTINE_POLICY]: (doc) =>
    Value.Check(ZRuleSet, doc)
      ? ruleSetProblems(doc).map((p) => `${p.path}: ${p.message}`)
      : [...Value.Errors(ZRuleSet, doc)].map((e) => `${e.instancePath || '/'}: ${e.message}`),
  [MANIFEST_DEADLINES_POLICY]: deadlineRulesProblems,
  [DECLARATION_RULES_POLICY]: declarationRulesProblems,
  [ALERT_RULES_POLICY]: (doc) =>
    Value.Check(ZAlertRules, doc)
      ? alertRuleProblems(doc).map((p) => `${p.path}: ${p.message}`)
      : [...Value.Errors(ZAlertRules, doc)].map((e) => `${e.instancePath || '/'}: ${e.message}`),
  [CUSTOMS_RISK_POLICY]: (doc) => riskRuleSetProblems(doc).map((p) => `${p.path}: ${p.message}`),
};

/**
 * A policy file ({kind, note, document}): the first version takes effect from the start of the
 * demo's history; a changed document becomes the next version, in force from now.
 */
const loadPolicy = async (
  db: DbOrTx,
  clock: Clock,
  file: string,
  full: string,
  actor: Actor,
): Promise<'created' | 'versioned' | 'present'> => {
  const parsed = JSON.parse(fs.readFileSync(full, 'utf8')) as { kind?: unknown; note?: unknown; document?: unknown };
  const kind = String(parsed.kind);
  const check = POLICY_CHECKS[kind];
  if (check === undefined) {
    throw new Error(`${file}: unknown policy kind ${kind}`);
  }
  const problems = check(parsed.document);
  if (problems.length > 0) {
    throw new Error(`${file}: ${problems.join('; ')}`);
  }
  const versions = await listPolicyVersions(db, kind);
  const latest = versions[versions.length - 1];
  if (latest !== undefined && canonicalJson(latest.document) === canonicalJson(parsed.document)) {
    return 'present';
  }
  await publishPolicy(
    { db, clock },
    {
      kind,
      document: parsed.document,
      note: typeof parsed.note === 'string' ? parsed.note : '',
      actor,
      ...(latest === undefined ? { effectiveFrom: new Date('2000-01-01T00:00:00Z'), allowBackdating: true } : {}),
    },
  );
  return latest === undefined ? 'created' : 'versioned';
};
