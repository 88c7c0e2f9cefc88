import { CheckCircleFilled, ClockCircleOutlined, ReloadOutlined, StopFilled, WarningOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Breadcrumb,
  Button,
  Card,
  Descriptions,
  Empty,
  Flex,
  Result,
  Skeleton,
  Table,
  Tag,
  Timeline,
  Typography,
  theme,
} from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { useSession } from '../../auth/session.tsx';
import { formatDateTime, formatNumber } from '../../lib/format.ts';
import { usePrefs } from '../../lib/prefs-context.tsx';
import { formatKg } from '../cargo/ui.tsx';
import { fetchDeclaration, fetchHistory, fetchManifestMatch } from './api.ts';
import { DeclarantActions, OfficerActions } from './DeclarationActions.tsx';
import { eventLabelKey, eventTone } from './model.ts';
import type { Declaration, HistoryEvent, Item, Risk } from './types.ts';
import { ChannelTag, formatMoney, StatusTag, useEnterpriseName } from './ui.tsx';

const RiskPanel = ({ risk }: { risk: Risk }) => {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const pct = (x: number) => `${formatNumber(x * 100, lang, 2)} %`;
  return (
    <Card size="small" title={t('declarations.risk.title')} data-testid="risk-panel">
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, lg: 3 }}
        items={[
          { key: 'channel', label: t('declarations.risk.channel'), children: <ChannelTag channel={risk.channel} /> },
          { key: 'version', label: t('declarations.risk.ruleSetVersion'), children: `v${risk.ruleSetVersion}` },
          { key: 'fired', label: t('declarations.risk.firedCount'), children: risk.fired.length },
        ]}
      />
      {risk.fired.length === 0 ? (
        <Typography.Paragraph type="secondary" data-testid="risk-none-fired">
          {t('declarations.risk.noneFired')}
        </Typography.Paragraph>
      ) : (
        <Table
          size="small"
          pagination={false}
          rowKey="ruleId"
          dataSource={risk.fired}
          data-testid="risk-fired"
          style={{ marginBottom: 12 }}
          columns={[
            {
              key: 'rule',
              title: t('declarations.risk.rule'),
              width: 200,
              render: (_, f) => <Typography.Text code>{f.ruleId}</Typography.Text>,
            },
            { key: 'channel', title: t('declarations.risk.channel'), width: 150, render: (_, f) => <ChannelTag channel={f.channel} /> },
            {
              key: 'reason',
              title: t('declarations.risk.reason'),
              render: (_, f) => <span data-testid={`risk-reason-${f.ruleId}`}>{lang === 'zh-CN' ? f.reasonZh : f.reasonEn}</span>,
            },
            {
              key: 'detail',
              title: t('declarations.risk.detail'),
              render: (_, f) => (
                <Typography.Text type="secondary" style={{ fontFamily: 'monospace', fontSize: 12 }}>
                  {f.detail}
                </Typography.Text>
              ),
            },
          ]}
        />
      )}
      <Typography.Text data-testid="risk-random" data-selected={risk.random.selected ? 'true' : 'false'}>
        {t(risk.random.selected ? 'declarations.risk.randomSelected' : 'declarations.risk.randomNotSelected', {
          creditClass: t(`declarations.creditClass.${risk.random.creditClass}`, { defaultValue: risk.random.creditClass }),
          rate: pct(risk.random.rate),
          draw: formatNumber(risk.random.draw, lang, 4),
        })}
      </Typography.Text>
    </Card>
  );
};

type MatchRow = { key: string; source: ReactNode; bill: string; grossKg: number; boxes: string[]; filed: string };

const ManifestMatchPanel = ({ d }: { d: Declaration }) => {
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const q = useQuery({ queryKey: ['declaration', d.id, 'manifest-match', d.version], queryFn: () => fetchManifestMatch(d.id) });
  const m = q.data;
  return (
    <Card size="small" title={t('declarations.match.title')} data-testid="manifest-match">
      {q.isError && <Alert type="warning" showIcon title={q.error.message} />}
      {m === undefined && !q.isError && <Skeleton active paragraph={{ rows: 2 }} />}
      {m !== undefined && (
        <Flex vertical gap={12}>
          {m.agrees ? (
            <Alert type="success" showIcon title={t('declarations.match.agrees')} data-testid="match-agrees" />
          ) : (
            <Alert
              type="error"
              showIcon
              title={t('declarations.match.disagrees')}
              description={
                <ul style={{ margin: 0, paddingInlineStart: 18 }} data-testid="match-problems">
                  {m.problems.map((p) => (
                    <li key={`${p.path}:${p.message}`}>
                      <Typography.Text code>{p.path}</Typography.Text> {p.message}
                    </li>
                  ))}
                </ul>
              }
              data-testid="match-disagrees"
            />
          )}
          <Table<MatchRow>
            size="small"
            pagination={false}
            rowKey="key"
            data-testid="match-table"
            dataSource={[
              {
                key: 'declared',
                source: t('declarations.match.declared'),
                bill: m.declared.billNumber ?? '—',
                grossKg: m.declared.grossKg,
                boxes: m.declared.containerNumbers,
                filed: '—',
              },
              ...m.manifests.map((x) => ({
                key: x.manifestId + x.kind,
                source: (
                  <Link to={`/manifests/${encodeURIComponent(x.manifestId)}`}>
                    {t(`cargo.kind.${x.kind}`, { defaultValue: x.kind })} · {x.portLocode}
                  </Link>
                ),
                bill: m.declared.billNumber ?? '—',
                grossKg: x.grossKg,
                boxes: x.equipment,
                filed: formatDateTime(x.filedAt, lang, timeZone),
              })),
            ]}
            columns={[
              { key: 'source', title: t('declarations.match.source'), dataIndex: 'source' },
              { key: 'bill', title: t('declarations.col.bill'), dataIndex: 'bill' },
              {
                key: 'gross',
                title: t('declarations.col.grossKg'),
                align: 'right',
                render: (_, r) => formatKg(r.grossKg, lang),
              },
              { key: 'boxes', title: t('declarations.col.boxes'), render: (_, r) => r.boxes.join(', ') || '—' },
              { key: 'filed', title: t('declarations.match.filedAt'), dataIndex: 'filed' },
            ]}
          />
          {m.manifests.length === 0 && <Typography.Text type="secondary">{t('declarations.match.noManifest')}</Typography.Text>}
        </Flex>
      )}
    </Card>
  );
};

const HistoryLine = ({ e }: { e: HistoryEvent }) => {
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const p = e.payload;
  const detail = [
    typeof p.from === 'string' && typeof p.status === 'string' && p.from !== p.status ? `${p.from} → ${p.status}` : null,
    typeof p.status === 'string' && (typeof p.from !== 'string' || p.from === p.status)
      ? t('declarations.history.status', { status: p.status })
      : null,
    typeof p.channel === 'string'
      ? t('declarations.history.channel', { channel: t(`declarations.channel.${p.channel}`, { defaultValue: p.channel }) })
      : null,
    typeof p.method === 'string' ? t(`declarations.method.${p.method}`, { defaultValue: p.method }) : null,
    typeof p.outcome === 'string' ? t(`declarations.outcome.${p.outcome}`, { defaultValue: p.outcome }) : null,
    typeof p.amountCny === 'number' ? formatMoney(p.amountCny, 'CNY', lang) : null,
    typeof p.reason === 'string' ? t('declarations.history.reason', { reason: p.reason }) : null,
  ].filter((x) => x !== null);
  return (
    <div data-testid={`history-${e.type}`}>
      <Flex gap={8} wrap align="baseline">
        <Typography.Text strong>{t(eventLabelKey(e.type), { defaultValue: e.type })}</Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12, fontVariantNumeric: 'tabular-nums' }}>
          {formatDateTime(e.occurredAt, lang, timeZone)} · {t(`declarations.actor.${e.actor.type}`, { defaultValue: e.actor.type })}
        </Typography.Text>
      </Flex>
      {detail.length > 0 && (
        <Typography.Paragraph type="secondary" style={{ margin: '2px 0 0', fontSize: 13 }}>
          {detail.join(' · ')}
        </Typography.Paragraph>
      )}
    </div>
  );
};

/** /declarations/:id — one declaration: head, items and history for everyone; risk, manifest match and actions for customs; amend, complete, withdraw and CUSRES for the declarant. */
const DeclarationDetailPage = () => {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const { can } = useSession();
  const { token } = theme.useToken();
  const queryClient = useQueryClient();
  const enterprise = useEnterpriseName();
  const q = useQuery({ queryKey: ['declaration', id], queryFn: () => fetchDeclaration(id) });
  const historyQ = useQuery({
    queryKey: ['declaration', id, 'history', q.data?.version],
    queryFn: () => fetchHistory(id),
    enabled: q.data !== undefined,
  });
  const d = q.data;
  const time = (iso: string | null) => formatDateTime(iso, lang, timeZone);
  const reload = () => {
    void queryClient.invalidateQueries({ queryKey: ['declaration', id] });
    void queryClient.invalidateQueries({ queryKey: ['declarations'] });
  };

  if (q.isError) {
    const notFound = q.error instanceof ApiError && q.error.status === 404;
    return notFound ? (
      <Result
        status="404"
        title="404"
        subTitle={t('declarations.detail.notFound', { id })}
        extra={
          <Link to="/declarations">
            <Button type="primary">{t('declarations.detail.back')}</Button>
          </Link>
        }
        data-testid="declaration-not-found"
      />
    ) : (
      <Result
        status="warning"
        title={t('declarations.detail.loadFailed')}
        subTitle={q.error.message}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void q.refetch()}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }
  const crumbs = (
    <Breadcrumb
      items={[
        { title: <Link to="/declarations">{t('declarations.nav.declarations')}</Link> },
        { title: d === undefined ? id : (d.entryId ?? d.id) },
      ]}
    />
  );
  if (d === undefined) {
    return (
      <Flex vertical gap={16}>
        {crumbs}
        <Card>
          <Skeleton active paragraph={{ rows: 6 }} />
        </Card>
      </Flex>
    );
  }
  // The server sends risk data to customs only; the panels follow what it sent.
  const customs = d.risk !== undefined || d.channel !== undefined;
  const officer = customs && can('POST /api/v1/declarations/:id/actions/:command');
  const items: Item[] = d.document.items ?? [];
  const history = historyQ.data ?? [];

  return (
    <Flex vertical gap={16} data-testid="declaration-detail" data-version={d.version}>
      {crumbs}
      <Card>
        <Flex align="baseline" gap={12} wrap style={{ marginBottom: 16 }}>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="declaration-entry-id">
            {d.entryId ?? d.id}
          </Typography.Title>
          <StatusTag d={d} />
          <Tag>{t(`declarations.direction.${d.direction}`)}</Tag>
          <Tag data-testid="declaration-procedure">
            {t(`declarations.procedure.${d.procedure}`)}
            {d.stage === null ? '' : ` · ${t(`declarations.stage.${d.stage}`)}`}
          </Tag>
          {customs && <ChannelTag channel={d.channel} />}
          <Typography.Text type="secondary">{t('declarations.detail.version', { version: d.version })}</Typography.Text>
        </Flex>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 4 }}
          items={[
            {
              key: 'enterprise',
              label: t('declarations.col.enterprise'),
              children: `${d.enterpriseCode} · ${enterprise(d.enterpriseCode)}`,
            },
            {
              key: 'credit',
              label: t('declarations.detail.creditClass'),
              children: t(`declarations.creditClass.${d.creditClass}`, { defaultValue: d.creditClass }),
            },
            { key: 'office', label: t('declarations.detail.office'), children: `${d.customsCode} (${d.districtCode})` },
            {
              key: 'bill',
              label: t('declarations.col.bill'),
              children: (
                <span>
                  {d.billNumber ?? '—'}{' '}
                  {d.manifestMatched ? (
                    <Tag color="green">{t('declarations.detail.manifested')}</Tag>
                  ) : (
                    <Tag color="orange">{t('declarations.detail.notManifested')}</Tag>
                  )}
                </span>
              ),
            },
            {
              key: 'boxes',
              label: t('declarations.col.boxes'),
              children: d.containerNumbers.length === 0 ? '—' : d.containerNumbers.join(', '),
            },
            { key: 'packages', label: t('declarations.f.packages'), children: formatNumber(d.packages, lang) },
            { key: 'gross', label: t('declarations.f.grossKg'), children: formatKg(d.grossKg, lang) },
            { key: 'net', label: t('declarations.f.netKg'), children: formatKg(d.netKg, lang) },
            { key: 'value', label: t('declarations.col.value'), children: formatMoney(d.totalValue, d.currency, lang) },
            { key: 'declaredAt', label: t('declarations.col.declaredAt'), children: time(d.declaredAt) },
            { key: 'arrived', label: t('declarations.detail.goodsArrivedAt'), children: time(d.goodsArrivedAt) },
            { key: 'authorised', label: t('declarations.detail.releaseAuthorisedAt'), children: time(d.releaseAuthorisedAt) },
            {
              key: 'released',
              label: t('declarations.col.releasedAt'),
              children: <span data-testid="declaration-released-at">{time(d.releasedAt)}</span>,
            },
            ...(d.completeDueAt === null
              ? []
              : [{ key: 'due', label: t('declarations.detail.completeDueAt'), children: time(d.completeDueAt) }]),
            ...(d.closedAt === null ? [] : [{ key: 'closed', label: t('declarations.detail.closedAt'), children: time(d.closedAt) }]),
          ]}
        />
      </Card>

      <Card size="small" title={t('declarations.detail.actions')} data-testid="declaration-actions">
        {officer ? (
          <OfficerActions d={d} reload={reload} />
        ) : customs ? (
          <Typography.Text type="secondary">{t('declarations.action.readOnly')}</Typography.Text>
        ) : (
          <DeclarantActions d={d} reload={reload} />
        )}
      </Card>

      {customs && d.risk !== null && d.risk !== undefined && <RiskPanel risk={d.risk} />}
      {customs && can('GET /api/v1/declarations/:id/manifest-match') && <ManifestMatchPanel d={d} />}

      <Card size="small" title={t('declarations.detail.items', { count: items.length })} data-testid="declaration-items">
        <Table
          size="small"
          pagination={false}
          rowKey={(_, k) => String(k)}
          dataSource={items}
          scroll={{ x: true }}
          columns={[
            { key: 'seq', title: '#', width: 40, render: (_, __, k) => k + 1 },
            { key: 'hs', title: t('declarations.f.hsCode'), dataIndex: 'hsCode', width: 120 },
            { key: 'desc', title: t('declarations.f.description'), dataIndex: 'description' },
            {
              key: 'qty',
              title: t('declarations.f.quantity'),
              align: 'right',
              render: (_, i) => `${formatNumber(i.quantity, lang, 0)} ${i.unit}`,
            },
            { key: 'net', title: t('declarations.f.itemNetKg'), align: 'right', render: (_, i) => formatKg(i.netKg, lang) },
            { key: 'value', title: t('declarations.f.value'), align: 'right', render: (_, i) => formatMoney(i.value, d.currency, lang) },
            { key: 'origin', title: t('declarations.f.origin'), dataIndex: 'origin', width: 70 },
          ]}
        />
      </Card>

      <Card size="small" title={t('declarations.detail.history', { count: history.length })} data-testid="declaration-history">
        {historyQ.isError ? (
          <Alert type="warning" showIcon title={historyQ.error.message} />
        ) : history.length === 0 ? (
          <Empty description={t('declarations.history.empty')} />
        ) : (
          <Timeline
            items={history.map((e) => {
              const tone = eventTone(e.type, e.payload);
              return {
                key: e.seq,
                icon:
                  tone === 'alarm' ? (
                    <StopFilled style={{ color: token.colorError }} />
                  ) : tone === 'warning' ? (
                    <WarningOutlined style={{ color: token.colorWarning }} />
                  ) : tone === 'success' ? (
                    <CheckCircleFilled style={{ color: token.colorSuccess }} />
                  ) : (
                    <ClockCircleOutlined style={{ color: token.colorPrimary }} />
                  ),
                content: <HistoryLine e={e} />,
              };
            })}
          />
        )}
      </Card>
    </Flex>
  );
};

export default DeclarationDetailPage;
