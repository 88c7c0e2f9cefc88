import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Flex, Row, Skeleton, Statistic, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { get } from '../../api/client.ts';
import { useSession } from '../../auth/session.tsx';
import { DataTable, type DataColumn } from '../../components/DataTable.tsx';
import { formatDateTime, formatNumber } from '../../lib/format.ts';
import { usePrefs } from '../../lib/prefs-context.tsx';
import { fetchCasesPage } from '../port-calls/api.ts';
import { QUARANTINE_STATES, type QuarantineCase, type QuarantineKpis } from '../port-calls/types.ts';
import { CaseStateTag, ModeTag } from '../port-calls/ui.tsx';
import { percent } from './model.ts';

const Kpis = () => {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const q = useQuery({ queryKey: ['quarantine', 'kpis'], queryFn: () => get<QuarantineKpis>('/api/v1/quarantine/kpis') });
  if (q.isError) {
    return <Alert type="warning" showIcon title={t('quarantine.kpi.failed', { message: q.error.message })} />;
  }
  const k = q.data;
  const cards = [
    {
      key: 'median',
      title: t('quarantine.kpi.median'),
      value: k?.medianDurationMinutes === null || k === undefined ? '—' : formatNumber(k.medianDurationMinutes, lang),
      suffix: k?.medianDurationMinutes === null ? undefined : t('quarantine.kpi.minutes'),
      hint: t('quarantine.kpi.medianHint', {
        mean: k?.meanDurationMinutes === null || k === undefined ? '—' : formatNumber(k.meanDurationMinutes, lang),
      }),
    },
    { key: 'remote', title: t('quarantine.kpi.remoteShare'), value: percent(k?.remoteShare), hint: t('quarantine.kpi.remoteShareHint') },
    {
      key: 'escalation',
      title: t('quarantine.kpi.escalationRate'),
      value: percent(k?.escalationRate),
      hint: t('quarantine.kpi.escalationHint'),
    },
    {
      key: 'saved',
      title: t('quarantine.kpi.hoursSaved'),
      value: k?.hoursSavedBeforeBerthing === null || k === undefined ? '—' : formatNumber(k.hoursSavedBeforeBerthing, lang, 1),
      suffix: t('quarantine.kpi.hours'),
      hint: t('quarantine.kpi.hoursSavedHint'),
    },
    {
      key: 'cases',
      title: t('quarantine.kpi.cases'),
      value: k === undefined ? '—' : `${formatNumber(k.granted, lang)} / ${formatNumber(k.cases, lang)}`,
      hint: t('quarantine.kpi.casesHint'),
    },
  ];
  return (
    <Row gutter={[16, 16]} data-testid="quarantine-kpis">
      {cards.map((c) => (
        <Col key={c.key} flex="1 1 200px">
          <Card size="small" style={{ height: '100%' }} data-testid={`kpi-${c.key}`}>
            {k === undefined ? (
              <Skeleton active paragraph={{ rows: 1 }} title={false} />
            ) : (
              <Tooltip title={c.hint}>
                <Statistic title={c.title} value={c.value} suffix={c.suffix} />
              </Tooltip>
            )}
          </Card>
        </Col>
      ))}
    </Row>
  );
};

/** /quarantine — the officers' quarantine queue (agents see their own ships' cases), with the KPIs on top. */
const QuarantineQueuePage = () => {
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const { can } = useSession();
  const navigate = useNavigate();
  const officer = can('POST /api/v1/quarantine-cases/:id/mode');
  const time = (iso: string | null) => formatDateTime(iso, lang, timeZone);
  const modeText = (m: string | null) => (m === null ? '' : t(`quarantine.mode.${m}`, { defaultValue: m }));

  const columns: DataColumn<QuarantineCase>[] = [
    {
      key: 'vessel',
      title: t('quarantine.col.vessel'),
      width: 210,
      hideable: false,
      fixed: 'left',
      render: (c) => (
        <Flex vertical>
          <Typography.Text strong ellipsis>
            {c.vessel.name}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            IMO {c.vessel.imo}
          </Typography.Text>
        </Flex>
      ),
      exportValue: (c) => `${c.vessel.name} (IMO ${c.vessel.imo})`,
    },
    { key: 'portLocode', title: t('quarantine.col.port'), width: 90 },
    { key: 'eta', title: t('quarantine.col.eta'), width: 150, render: (c) => time(c.eta), exportValue: (c) => time(c.eta) },
    {
      key: 'state',
      title: t('quarantine.col.state'),
      width: 130,
      filter: { param: 'state', options: QUARANTINE_STATES.map((s) => ({ value: s, label: t(`quarantine.state.${s}`) })) },
      render: (c) => <CaseStateTag state={c.state} />,
      exportValue: (c) => t(`quarantine.state.${c.state}`),
    },
    {
      key: 'proposedMode',
      title: t('quarantine.col.proposed'),
      width: 120,
      render: (c) => <ModeTag mode={c.proposedMode} color="default" />,
      exportValue: (c) => modeText(c.proposedMode),
    },
    {
      key: 'forcedMode',
      title: t('quarantine.col.forced'),
      width: 120,
      render: (c) =>
        c.forcedMode === null ? <Typography.Text type="secondary">—</Typography.Text> : <ModeTag mode={c.forcedMode} color="red" />,
      exportValue: (c) => modeText(c.forcedMode),
    },
    {
      key: 'mode',
      title: t('quarantine.col.mode'),
      width: 120,
      render: (c) => <ModeTag mode={c.mode} />,
      exportValue: (c) => modeText(c.mode),
    },
    ...(officer || can('GET /api/v1/quarantine/rule-sets')
      ? [
          {
            key: 'score',
            title: t('quarantine.col.score'),
            width: 80,
            align: 'right' as const,
            render: (c: QuarantineCase) => c.assessment?.score ?? '—',
            exportValue: (c: QuarantineCase) => c.assessment?.score ?? null,
          },
        ]
      : []),
    {
      key: 'declaredAt',
      title: t('quarantine.col.declaredAt'),
      width: 150,
      render: (c) => (
        <span>
          {time(c.declaredAt)} {c.lateDeclaration && <Tag color="orange">{t('quarantine.late')}</Tag>}
        </span>
      ),
      exportValue: (c) => time(c.declaredAt),
    },
    {
      key: 'pratiqueGrantedAt',
      title: t('quarantine.col.pratique'),
      width: 150,
      render: (c) => time(c.pratiqueGrantedAt),
      exportValue: (c) => time(c.pratiqueGrantedAt),
    },
  ];

  return (
    <Flex vertical gap={16} data-testid="quarantine-queue">
      <div>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('quarantine.queue.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('quarantine.queue.hint')}</Typography.Text>
      </div>
      {can('GET /api/v1/quarantine/kpis') && <Kpis />}
      <Card styles={{ body: { paddingTop: 16 } }}>
        <DataTable<QuarantineCase>
          queryKey={['quarantine', 'cases']}
          fetchPage={(p) => fetchCasesPage({ ...p.filters }, p)}
          columns={columns}
          rowKey="id"
          exportName="quarantine-cases"
          exportSheetName={t('quarantine.queue.title')}
          tableId="quarantine-cases"
          search={false}
          onRowClick={(c) =>
            void navigate(
              officer && can('GET /api/v1/quarantine-cases/:id')
                ? `/quarantine/${encodeURIComponent(c.id)}`
                : `/port-calls/${encodeURIComponent(c.portCallId)}`,
            )
          }
        />
      </Card>
    </Flex>
  );
};

export default QuarantineQueuePage;
