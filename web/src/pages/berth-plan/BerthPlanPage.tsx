import { CheckOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  InputNumber,
  List,
  Row,
  Select,
  Skeleton,
  Statistic,
  Tabs,
  Tag,
  Typography,
  theme,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get, post } from '../../api/client.ts';
import { fetchAll, nameOf, todayIn, type Port } from '../../components/map/registry-data.ts';
import { formatDateTime, formatNumber } from '../../lib/format.ts';
import { usePrefs } from '../../lib/prefs-context.tsx';
import BerthGantt from './BerthGantt.tsx';
import BerthClosures from './BerthClosures.tsx';
import { byArea, ganttRows, overlaps } from './gantt.ts';

type Vessel = { imo: string; name: string };
type Item = {
  portCallId: string;
  vessel: Vessel;
  berthId: string;
  berthCode: string;
  start: string;
  end: string;
  current: { berthId: string; start: string | null; end: string | null } | null;
};
export type Proposal = {
  id: string;
  portLocode: string;
  status: 'proposed' | 'accepted';
  createdAt: string;
  acceptedAt: string | null;
  window: { origin: string; slotMinutes: number; hours: number };
  solver: { status: string; seconds: number };
  objectiveHours: number | null;
  lowerBoundHours: number | null;
  currentObjectiveHours: number | null;
  berths: { id: string; code: string; terminalId: string; area: { code: string; nameZh: string; nameEn: string } }[];
  items: Item[];
  unfit: { callId: string; vessel: Vessel; reasons: { code: string; message: string }[] }[];
};
type PortCall = {
  id: string;
  state: string;
  vessel: Vessel;
  plannedBerth: { berthId: string; start: string | null; end: string | null } | null;
  berthId: string | null;
  berthedAt: string | null;
  etd: string;
};
type Closure = { id: string; berthId: string; berthCode: string; startsAt: string; endsAt: string; reason: string };
type Outcome = { portCallId: string; ok: boolean; error?: { code: string; message: string } };

/**
 * /berth-plan — the terminal planner's cluster berth plan: the optimiser's proposal beside the current
 * plan (one Gantt each, berths × time), both objectives, the calls no berth can take, and acceptance.
 */
const BerthPlanPage = () => {
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const { token } = theme.useToken();
  const client = useQueryClient();
  const [portLocode, setPortLocode] = useState('CNTAO');
  const [hours, setHours] = useState(72);
  const [outcomes, setOutcomes] = useState<Outcome[] | null>(null);

  const portsQ = useQuery({ queryKey: ['ports', todayIn(timeZone)], queryFn: () => fetchAll<Port>('ports', { asOf: todayIn(timeZone) }) });
  const plansQ = useQuery({
    queryKey: ['berth-plans', portLocode],
    queryFn: () => get<{ items: Proposal[] }>('/api/v1/berth-plans', { portLocode }),
  });
  const callsQ = useQuery({
    queryKey: ['port-calls', 'plan', portLocode],
    queryFn: () =>
      get<{ items: PortCall[] }>('/api/v1/port-calls', {
        portLocode,
        state: 'pre-reported,confirmed,arrived,berthed,departure-reported',
        limit: 500,
      }),
  });
  const closuresQ = useQuery({
    queryKey: ['berth-closures', portLocode],
    queryFn: () => get<{ items: Closure[] }>('/api/v1/berth-closures', { portLocode }),
  });
  const proposal = plansQ.data?.items[0];

  const propose = useMutation({
    mutationFn: () => post<Proposal>('/api/v1/berth-plans', { portLocode, hours, timeLimitSeconds: 5 }),
    onSuccess: () => {
      setOutcomes(null);
      void client.invalidateQueries({ queryKey: ['berth-plans', portLocode] });
    },
  });
  const accept = useMutation({
    mutationFn: (id: string) => post<{ proposal: Proposal; outcomes: Outcome[] }>(`/api/v1/berth-plans/${id}/acceptance`, {}),
    onSuccess: (r) => {
      setOutcomes(r.outcomes);
      void client.invalidateQueries({ queryKey: ['berth-plans', portLocode] });
      void client.invalidateQueries({ queryKey: ['port-calls'] });
    },
  });

  const areas = useMemo(() => {
    const closures = (closuresQ.data?.items ?? []).map((c) => ({
      berthId: c.berthId,
      start: c.startsAt,
      end: c.endsAt,
      label: c.reason,
      callId: c.id,
      kind: 'closure' as const,
    }));
    const proposedWindows = (proposal?.items ?? []).map((i) => ({
      berthId: i.berthId,
      start: i.start,
      end: i.end,
      label: i.vessel.name,
      callId: i.portCallId,
    }));
    const currentWindows = (callsQ.data?.items ?? []).map((c) =>
      c.berthId !== null && c.berthedAt !== null
        ? { berthId: c.berthId, start: c.berthedAt, end: c.etd, label: c.vessel.name, callId: c.id }
        : {
            berthId: c.plannedBerth?.berthId ?? '',
            start: c.plannedBerth?.start ?? null,
            end: c.plannedBerth?.end ?? null,
            label: c.vessel.name,
            callId: c.id,
          },
    );
    return byArea(proposal?.berths ?? []).map((a) => {
      const proposed = ganttRows(a.berths, [...proposedWindows, ...closures]);
      const current = ganttRows(a.berths, [...currentWindows, ...closures]);
      // one time axis for both charts, so the eye can compare them
      const span = { from: Math.min(proposed.from, current.from), to: Math.max(proposed.to, current.to) };
      return {
        code: a.code,
        name: lang === 'zh-CN' ? (a.berths[0]?.area.nameZh ?? a.code) : (a.berths[0]?.area.nameEn ?? a.code),
        proposed: { ...proposed, ...span },
        current: { ...current, ...span },
      };
    });
  }, [proposal, callsQ.data, closuresQ.data, lang]);
  const clashes = areas.flatMap((a) => overlaps(a.current));
  const hoursText = (h: number | null | undefined): string => (h === null || h === undefined ? '—' : formatNumber(h, lang, 1));
  const failed = plansQ.error ?? callsQ.error ?? propose.error ?? accept.error;

  return (
    <Flex vertical gap={16} data-testid="berth-plan-page">
      <Card>
        <Flex justify="space-between" align="center" wrap gap={12}>
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('berthPlan.title')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('berthPlan.subtitle')}</Typography.Text>
          </div>
          <Flex gap={8} align="center" wrap>
            <Select
              aria-label={t('berthPlan.port')}
              style={{ width: 180 }}
              value={portLocode}
              loading={portsQ.isLoading}
              onChange={(v: string) => setPortLocode(v)}
              options={(portsQ.data ?? []).map((p) => ({ value: p.locode, label: `${nameOf(p, lang)} ${p.locode}` }))}
              data-testid="berth-plan-port"
            />
            <InputNumber
              aria-label={t('berthPlan.hours')}
              min={1}
              max={336}
              value={hours}
              onChange={(v) => setHours(v ?? 72)}
              addonAfter={t('berthPlan.hoursUnit')}
              style={{ width: 150 }}
            />
            <Button
              type="primary"
              icon={<ThunderboltOutlined />}
              loading={propose.isPending}
              onClick={() => propose.mutate()}
              data-testid="berth-plan-propose"
            >
              {t('berthPlan.propose')}
            </Button>
          </Flex>
        </Flex>
      </Card>

      {failed !== null && failed !== undefined && (
        <Alert type="error" showIcon title={failed instanceof ApiError ? failed.message : String(failed)} data-testid="berth-plan-error" />
      )}

      {plansQ.isLoading ? (
        <Card>
          <Skeleton active paragraph={{ rows: 6 }} />
        </Card>
      ) : proposal === undefined ? (
        <Card>
          <Empty description={t('berthPlan.none')} />
        </Card>
      ) : (
        <>
          <Row gutter={[16, 16]}>
            {[
              { key: 'objective', value: hoursText(proposal.objectiveHours) },
              { key: 'lowerBound', value: hoursText(proposal.lowerBoundHours) },
              { key: 'currentObjective', value: hoursText(proposal.currentObjectiveHours) },
              {
                key: 'solver',
                value: `${t(`berthPlan.status.${proposal.solver.status}`)} · ${formatNumber(proposal.solver.seconds, lang, 2)} s`,
              },
            ].map((s) => (
              <Col key={s.key} xs={12} xl={6}>
                <Card size="small" data-testid={`berth-plan-${s.key}`}>
                  <Statistic title={t(`berthPlan.stats.${s.key}`)} value={s.value} />
                </Card>
              </Col>
            ))}
          </Row>
          <Card
            title={t('berthPlan.proposalTitle', { time: formatDateTime(proposal.createdAt, lang, timeZone) })}
            extra={
              proposal.status === 'accepted' ? (
                <Tag color="green">{t('berthPlan.accepted')}</Tag>
              ) : (
                <Button
                  icon={<CheckOutlined />}
                  loading={accept.isPending}
                  onClick={() => accept.mutate(proposal.id)}
                  data-testid="berth-plan-accept"
                >
                  {t('berthPlan.accept')}
                </Button>
              )
            }
          >
            {clashes.length > 0 && (
              <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('berthPlan.clashes', { count: clashes.length })} />
            )}
            <Tabs
              items={areas.map((a) => ({
                key: a.code,
                label: `${a.name} (${a.code})`,
                children: (
                  <Flex vertical gap={12}>
                    <Typography.Text strong>{t('berthPlan.proposalLane')}</Typography.Text>
                    {a.proposed.bars.length === 0 ? (
                      <Empty description={t('berthPlan.noItems')} />
                    ) : (
                      <BerthGantt rows={a.proposed} lang={lang} timeZone={timeZone} color={token.colorPrimary} testId="gantt-proposal" />
                    )}
                    <Typography.Text strong>{t('berthPlan.currentTitle')}</Typography.Text>
                    {a.current.bars.length === 0 ? (
                      <Empty description={t('berthPlan.noCurrent')} />
                    ) : (
                      <BerthGantt rows={a.current} lang={lang} timeZone={timeZone} color={token.colorSuccess} testId="gantt-current" />
                    )}
                  </Flex>
                ),
              }))}
            />
          </Card>
          <BerthClosures
            portLocode={portLocode}
            berths={proposal.berths}
            closures={closuresQ.data?.items ?? []}
            onChange={() => void client.invalidateQueries({ queryKey: ['berth-closures', portLocode] })}
          />
          {outcomes !== null && (
            <Card title={t('berthPlan.outcomes')} size="small">
              <List
                size="small"
                dataSource={outcomes}
                renderItem={(o) => (
                  <List.Item>
                    <Tag color={o.ok ? 'green' : 'red'}>{o.ok ? t('berthPlan.ok') : (o.error?.code ?? '')}</Tag>
                    {proposal.items.find((i) => i.portCallId === o.portCallId)?.vessel.name ?? o.portCallId} {o.error?.message ?? ''}
                  </List.Item>
                )}
              />
            </Card>
          )}
          {proposal.unfit.length > 0 && (
            <Card title={t('berthPlan.unfit')} size="small" data-testid="berth-plan-unfit">
              <List
                size="small"
                dataSource={proposal.unfit}
                renderItem={(u) => (
                  <List.Item>
                    <Typography.Text strong>{u.vessel.name}</Typography.Text>&nbsp;
                    <Typography.Text type="secondary">IMO {u.vessel.imo}</Typography.Text>&nbsp;—&nbsp;
                    {u.reasons.map((r) => t(`berthPlan.unfitReason.${r.code}`, { defaultValue: r.message })).join('；')}
                  </List.Item>
                )}
              />
            </Card>
          )}
        </>
      )}
    </Flex>
  );
};

export default BerthPlanPage;
