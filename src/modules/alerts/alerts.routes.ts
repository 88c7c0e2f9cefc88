import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ANY_ROLE, rolesOnly } from '../../auth/access.ts';
import { requirePrincipal } from '../../auth/authenticate.ts';
import { visibleTo } from '../../auth/scope.ts';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { DEFAULT_PAGE_SIZE, encodeCursor, keyAfter, ZPage, ZPageQuery } from '../../core/pagination.ts';
import type { Db } from '../../db/client.ts';
import { ZError } from '../../http/schemas.ts';
import { policyReadRoutes, publishPolicyRoute } from '../policies/index.ts';
import { acknowledgeAlert, resolveAlert } from './alerts.commands.ts';
import { AlertErrorCode } from './alerts.errors.ts';
import { evaluateAlerts } from './alerts.evaluate.ts';
import { presentAlert } from './alerts.presenter.ts';
import { ALERT_RULES_POLICY, alertRuleProblems, ZAlertRules, type AlertRules } from './alerts.rules.ts';

const ZTime = Type.String({ format: 'date-time' });
const ZNullableTime = Type.Union([ZTime, Type.Null()]);
const ZParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
const ZSeverity = Type.Union([Type.Literal('warning'), Type.Literal('alarm')]);
const ZState = Type.Union([Type.Literal('open'), Type.Literal('acknowledged'), Type.Literal('resolved')]);

const ZAlert = Type.Object({
  id: Type.String(),
  ruleId: Type.String(),
  ruleVersion: Type.Union([Type.Integer(), Type.Null()], { description: 'Version of the alert-rules policy; null for interlock alarms' }),
  severity: ZSeverity,
  state: ZState,
  subject: Type.Object({ type: Type.String(), id: Type.String(), label: Type.String() }),
  districtCode: Type.String(),
  orgIds: Type.Array(Type.String(), { description: 'Organisations besides customs of the district that see and may act on it' }),
  openedAt: ZTime,
  detail: Type.Record(Type.String(), Type.Unknown(), {
    description: 'What the rule saw (titles, since when, threshold) or the interlock reported',
  }),
  acknowledgedAt: ZNullableTime,
  acknowledgedBy: Type.Union([Type.String(), Type.Null()]),
  resolvedAt: ZNullableTime,
  resolvedBy: Type.Union([Type.String(), Type.Null()], { description: 'The user; null when the rule saw its condition clear' }),
  resolution: Type.Union([Type.String(), Type.Null()]),
});

// The organisations an alert names act on it too (terminal, declarant, agent); visibleTo keeps them to their own.
const ACTORS = rolesOnly('customs-officer', 'terminal-operator', 'declarant', 'agent', 'admin');
const RULE_READERS = rolesOnly('customs-officer', 'risk-analyst', 'admin');
const ANALYSTS = rolesOnly('risk-analyst', 'admin');
const OFFICERS = rolesOnly('customs-officer', 'admin');
const strict = { additionalProperties: false } as const;

export const alertRoutes = (app: FastifyInstance, deps: { db: Db; clock: Clock }): void => {
  const tags = ['alerts'];
  const { db } = deps;

  const findVisible = async (id: string, req: Parameters<typeof requirePrincipal>[0]) => {
    const row = await db
      .selectFrom('alerts')
      .selectAll()
      .where('id', '=', id)
      .where(visibleTo('alerts', requirePrincipal(req)))
      .executeTakeFirst();
    if (row === undefined) {
      throw new AppError('NOT_FOUND', AlertErrorCode.NOT_FOUND, `No alert ${id}`);
    }
    return row;
  };

  app.get(
    '/api/v1/alerts',
    {
      config: { access: ANY_ROLE },
      schema: {
        tags,
        summary: "Alert centre: the district's alerts for customs, alerts naming the caller's organisation for others; newest first",
        querystring: Type.Object(
          {
            state: Type.Optional(ZState),
            severity: Type.Optional(ZSeverity),
            ruleId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            subjectType: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
            subjectId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            ...ZPageQuery,
          },
          strict,
        ),
        response: { 200: ZPage(ZAlert), 400: ZError },
      },
    },
    async (req) => {
      const p = requirePrincipal(req);
      const q = req.query as {
        state?: string;
        severity?: string;
        ruleId?: string;
        subjectType?: string;
        subjectId?: string;
        limit?: number;
        cursor?: string;
      };
      const limit = q.limit ?? DEFAULT_PAGE_SIZE;
      const filtered = () => {
        let qb = db.selectFrom('alerts').where(visibleTo('alerts', p));
        const eq = {
          state: 'state',
          severity: 'severity',
          ruleId: 'rule_id',
          subjectType: 'subject_type',
          subjectId: 'subject_id',
        } as const;
        for (const [key, column] of Object.entries(eq)) {
          const value = q[key as keyof typeof eq];
          if (value !== undefined) {
            qb = qb.where(column, '=', value);
          }
        }
        return qb;
      };
      const after = keyAfter(q.cursor);
      const [rows, count] = await Promise.all([
        (after === undefined ? filtered() : filtered().where('alerts.id', '<', after))
          .selectAll()
          .orderBy('alerts.id', 'desc')
          .limit(limit + 1)
          .execute(),
        filtered()
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
      ]);
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return {
        items: items.map(presentAlert),
        nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last.id) : null,
        total: Number(count.n),
      };
    },
  );

  policyReadRoutes(app, deps, {
    kind: ALERT_RULES_POLICY,
    access: RULE_READERS,
    tags,
    document: ZAlertRules,
    list: { path: '/api/v1/alerts/rules', summary: 'Every version of the alert rules (thresholds, severities)' },
  });

  publishPolicyRoute<AlertRules>(app, deps, {
    path: '/api/v1/alerts/rules',
    kind: ALERT_RULES_POLICY,
    access: ANALYSTS,
    tags,
    summary: 'Publish a new version of the alert rules (from now or a later instant)',
    document: ZAlertRules,
    problems: alertRuleProblems,
    errorCode: AlertErrorCode.INVALID_RULES,
  });

  app.post(
    '/api/v1/alerts/evaluation',
    {
      config: { access: OFFICERS },
      schema: {
        tags,
        summary:
          "Run the alert rules now (the scheduler does every 5 minutes): an officer's run covers the district, an administrator's all",
        response: {
          200: Type.Object({
            ruleSetVersion: Type.Integer(),
            evaluatedAt: ZTime,
            opened: Type.Integer(),
            resolved: Type.Integer(),
            open: Type.Integer({ description: 'Rule alerts whose condition holds now' }),
          }),
          422: ZError,
        },
      },
    },
    async (req) => {
      const p = requirePrincipal(req);
      // an officer whose organisation has no district runs over nothing rather than everything
      const districtCode = p.role === 'admin' ? undefined : (p.districtCode ?? '-');
      return evaluateAlerts({ ...deps, ...(districtCode !== undefined ? { districtCode } : {}) });
    },
  );

  app.get(
    '/api/v1/alerts/:id',
    {
      config: { access: ANY_ROLE },
      schema: { tags, summary: 'One alert', params: ZParams, response: { 200: ZAlert, 404: ZError } },
    },
    async (req) => presentAlert(await findVisible((req.params as { id: string }).id, req)),
  );

  app.post(
    '/api/v1/alerts/:id/acknowledgement',
    {
      config: { access: ACTORS },
      schema: {
        tags,
        summary: 'Acknowledge an open alert (someone is on it)',
        params: ZParams,
        body: Type.Object({ note: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) }, strict),
        response: { 200: ZAlert, 400: ZError, 404: ZError, 409: ZError },
      },
    },
    async (req) =>
      presentAlert(
        await acknowledgeAlert(deps, requirePrincipal(req), (req.params as { id: string }).id, (req.body ?? {}) as { note?: string }),
      ),
  );

  app.post(
    '/api/v1/alerts/:id/resolution',
    {
      config: { access: ACTORS },
      schema: {
        tags,
        summary: 'Resolve an open or acknowledged alert, saying how',
        params: ZParams,
        body: Type.Object({ resolution: Type.String({ minLength: 1, maxLength: 500 }) }, strict),
        response: { 200: ZAlert, 400: ZError, 404: ZError, 409: ZError },
      },
    },
    async (req) =>
      presentAlert(await resolveAlert(deps, requirePrincipal(req), (req.params as { id: string }).id, req.body as { resolution: string })),
  );
};
