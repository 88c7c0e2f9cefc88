import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Row, Skeleton, Statistic, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client.ts';
import { formatNumber } from '../../lib/format.ts';
import { usePrefs } from '../../lib/prefs-context.tsx';

export type PortCallKpis = {
  calls: number;
  berthed: number;
  lateReports: number;
  waiting: { count: number; meanHours: number | null; medianHours: number | null; totalHours: number };
  redeclarations: number;
  redeclarationsAvoided: number;
};

/** The arrivals board's KPI cards (GET /api/v1/port-calls/kpis, over the calls the user may see). */
const CallKpis = () => {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const q = useQuery({ queryKey: ['port-calls', 'kpis'], queryFn: () => get<PortCallKpis>('/api/v1/port-calls/kpis') });
  if (q.isError) {
    return <Alert type="warning" showIcon title={t('portCalls.kpi.failed', { message: q.error.message })} />;
  }
  const k = q.data;
  const hours = (h: number | null | undefined): string => (h === null || h === undefined ? '—' : formatNumber(h, lang, 1));
  const cards = [
    {
      key: 'calls',
      title: t('portCalls.kpi.calls'),
      value: k === undefined ? '—' : `${formatNumber(k.berthed, lang)} / ${formatNumber(k.calls, lang)}`,
      hint: t('portCalls.kpi.callsHint'),
    },
    {
      key: 'waiting',
      title: t('portCalls.kpi.waiting'),
      value: hours(k?.waiting.medianHours),
      suffix: t('portCalls.kpi.hours'),
      hint: t('portCalls.kpi.waitingHint', { count: k?.waiting.count ?? 0, mean: hours(k?.waiting.meanHours) }),
    },
    {
      key: 'late',
      title: t('portCalls.kpi.late'),
      value: k === undefined ? '—' : formatNumber(k.lateReports, lang),
      hint: t('portCalls.kpi.lateHint'),
    },
    {
      key: 'redeclarations',
      title: t('portCalls.kpi.redeclarations'),
      value: k === undefined ? '—' : formatNumber(k.redeclarations, lang),
      hint: t('portCalls.kpi.redeclarationsHint'),
    },
    {
      key: 'avoided',
      title: t('portCalls.kpi.avoided'),
      value: k === undefined ? '—' : formatNumber(k.redeclarationsAvoided, lang),
      hint: t('portCalls.kpi.avoidedHint'),
    },
  ];
  return (
    <Row gutter={[16, 16]} data-testid="port-call-kpis">
      {cards.map((c) => (
        <Col key={c.key} flex="1 1 180px">
          <Card size="small" style={{ height: '100%' }} data-testid={`call-kpi-${c.key}`}>
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

export default CallKpis;
