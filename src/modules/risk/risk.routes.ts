import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { rolesOnly } from '../../auth/access.ts';
import { requirePrincipal } from '../../auth/authenticate.ts';
import type { Principal } from '../../auth/principal.ts';
import { visibleTo } from '../../auth/scope.ts';
import type { Clock } from '../../core/clock.ts';
import { AppError, type ErrorDetail } from '../../core/errors.ts';
import type { Db } from '../../db/client.ts';
import type { DbOrTx } from '../../db/tx.ts';
import { ZError } from '../../http/schemas.ts';
import { listPolicyVersions, policyReadRoutes, publishPolicyRoute } from '../policies/index.ts';
import { CUSTOMS_RISK_POLICY } from './risk.commands.ts';
import { RiskErrorCode } from './risk.errors.ts';
import { ZRiskFacts } from './risk.facts.ts';
import { dryRun, RISK_CHANNELS, ruleSetProblems, ZRiskChannel, ZRiskRuleSet, type DryRunRecord, type RiskRuleSet } from './risk.rules.ts';

const ZTime = Type.String({ format: 'date-time' });
const ZCounts = Type.Object(Object.fromEntries(RISK_CHANNELS.map((c) => [c, Type.Integer()])));
const ZFired = Type.Object({
  ruleId: Type.String(),
  channel: ZRiskChannel,
  reasonZh: Type.String(),
  reasonEn: Type.String(),
  detail: Type.String(),
});
const ZDryRun = Type.Object({
  draftVersion: Type.Integer({ description: 'The version number the draft would take if published now' }),
  window: Type.Object({ from: Type.Union([ZTime, Type.Null()]), to: ZTime }),
  total: Type.Integer({ description: 'Declarations replayed' }),
  skipped: Type.Integer({ description: 'Declarations in the window whose stored facts no longer fit the facts schema' }),
  current: ZCounts,
  draft: ZCounts,
  changedCount: Type.Integer({ description: 'Every declaration whose channel the draft changes; `changed` lists the first `limit`' }),
  changed: Type.Array(
    Type.Object({
      declarationId: Type.String(),
      entryId: Type.Union([Type.String(), Type.Null()]),
      from: ZRiskChannel,
      to: ZRiskChannel,
      fired: Type.Array(ZFired),
    }),
  ),
});

// Risk rules and results are customs-only (PRODUCT.md: never visible to traders or terminals).
const READERS = rolesOnly('customs-officer', 'risk-analyst', 'admin');
const ANALYSTS = rolesOnly('risk-analyst', 'admin');
const DRY_RUNNERS = rolesOnly('risk-analyst', 'customs-officer', 'admin');

/** One request replays at most this many declarations. */
const MAX_REPLAY = 100_000;

/** The rule set's problems at the paths the client sent them (under /document). */
const documentProblems = (document: unknown): ErrorDetail[] =>
  ruleSetProblems(document).map((p) => ({ path: `/document${p.path === '/' ? '' : p.path}`, message: p.message }));

const refuseProblems = (document: unknown): void => {
  const problems = documentProblems(document);
  if (problems.length > 0) {
    throw new AppError(
      'INVALID_INPUT',
      RiskErrorCode.INVALID_RULE_SET,
      problems.map((x) => `${x.path}: ${x.message}`).join('; '),
      problems,
    );
  }
};

/** Past declarations the caller may see, with stored facts and a channel, declared in the window. */
const replayable = async (db: DbOrTx, p: Principal, from: Date | null, to: Date): Promise<{ records: DryRunRecord[]; skipped: number }> => {
  let q = db
    .selectFrom('declarations')
    .select(['id', 'entry_id', 'risk_facts', 'channel'])
    .where(visibleTo('declarations', p))
    .where('risk_facts', 'is not', null)
    .where('channel', 'in', [...RISK_CHANNELS])
    .where('declared_at', '<=', to);
  if (from !== null) {
    q = q.where('declared_at', '>=', from);
  }
  const rows = await q
    .orderBy('declared_at')
    .orderBy('id')
    .limit(MAX_REPLAY + 1)
    .execute();
  if (rows.length > MAX_REPLAY) {
    throw new AppError('UNPROCESSABLE', RiskErrorCode.DRY_RUN_TOO_LARGE, `More than ${MAX_REPLAY} declarations in the window; narrow it`, [
      { path: '/from', message: `at most ${MAX_REPLAY} declarations per dry run` },
    ]);
  }
  const records: DryRunRecord[] = [];
  let skipped = 0;
  for (const r of rows) {
    if (Value.Check(ZRiskFacts, r.risk_facts)) {
      records.push({
        declarationId: r.id,
        entryId: r.entry_id,
        facts: r.risk_facts,
        currentChannel: r.channel as DryRunRecord['currentChannel'],
      });
    } else {
      skipped += 1;
    }
  }
  return { records, skipped };
};

export const riskRoutes = (app: FastifyInstance, deps: { db: Db; clock: Clock }): void => {
  const tags = ['risk'];
  const { db } = deps;

  policyReadRoutes(app, deps, {
    kind: CUSTOMS_RISK_POLICY,
    access: READERS,
    tags,
    document: ZRiskRuleSet,
    list: { path: '/api/v1/risk/rule-sets', summary: 'Every version of the customs risk rule set (customs only)' },
    inForce: { path: '/api/v1/risk/rule-sets/current', summary: 'The customs risk rule set in force now' },
  });

  publishPolicyRoute<RiskRuleSet>(app, deps, {
    path: '/api/v1/risk/rule-sets',
    kind: CUSTOMS_RISK_POLICY,
    access: ANALYSTS,
    tags,
    summary: 'Publish a new version of the customs risk rule set, in force from now or a later instant',
    document: ZRiskRuleSet,
    problems: documentProblems,
    errorCode: RiskErrorCode.INVALID_RULE_SET,
  });

  app.post(
    '/api/v1/risk/rule-sets/dry-run',
    {
      config: { access: DRY_RUNNERS },
      schema: {
        tags,
        summary:
          "Replay a draft rule set over past declarations of the caller's district (declared in [from, to]) against their stored channels; writes nothing",
        body: Type.Object(
          {
            document: ZRiskRuleSet,
            from: Type.Optional(ZTime),
            to: Type.Optional(Type.String({ format: 'date-time', description: 'Default: now' })),
            limit: Type.Optional(
              Type.Integer({ minimum: 0, maximum: 1000, description: 'How many changed declarations to list (default 100)' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: ZDryRun, 400: ZError, 422: ZError },
      },
    },
    async (req) => {
      const b = req.body as { document: RiskRuleSet; from?: string; to?: string; limit?: number };
      refuseProblems(b.document);
      const from = b.from !== undefined ? new Date(b.from) : null;
      const to = b.to !== undefined ? new Date(b.to) : deps.clock.now();
      if (from !== null && from.getTime() > to.getTime()) {
        throw new AppError('INVALID_INPUT', RiskErrorCode.INVALID_WINDOW, 'from is after to', [
          { path: '/from', message: 'must not be after to' },
        ]);
      }
      const versions = await listPolicyVersions(db, CUSTOMS_RISK_POLICY);
      const draftVersion = (versions[versions.length - 1]?.version ?? 0) + 1;
      const { records, skipped } = await replayable(db, requirePrincipal(req), from, to);
      const result = dryRun(records, b.document, draftVersion);
      return {
        draftVersion,
        window: { from: from?.toISOString() ?? null, to: to.toISOString() },
        total: result.total,
        skipped,
        current: result.current,
        draft: result.draft,
        changedCount: result.changed.length,
        changed: result.changed.slice(0, b.limit ?? 100),
      };
    },
  );
};
