import { CheckCircleOutlined, ReloadOutlined, SwapOutlined, WarningOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Breadcrumb, Button, Card, Col, Descriptions, Flex, Result, Row, Skeleton, Statistic, Steps, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { useSession } from '../../auth/session.tsx';
import { codeText } from '../../components/map/terms.ts';
import { formatDateTime, formatNumber } from '../../lib/format.ts';
import { usePrefs } from '../../lib/prefs-context.tsx';
import { fetchCall, fetchEvents, findCallCase } from './api.ts';
import { CallActions, type StepError } from './CallActions.tsx';
import { CallTimeline } from './CallTimeline.tsx';
import { latestCodeCheck, STEP_STATES, stepBar, timelineItems } from './model.ts';
import { QuarantinePanel } from './QuarantinePanel.tsx';
import type { PortCall } from './types.ts';
import { StateTag, useCluster } from './ui.tsx';

/** /port-calls/:id — one call: facts, where it stands, what the user may do next, berth and code check, quarantine, every event. */
const PortCallDetailPage = () => {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const cluster = useCluster();
  const [refused, setRefused] = useState<StepError | null>(null);
  const time = (iso: string | null | undefined) => formatDateTime(iso ?? null, lang, timeZone);

  const callQ = useQuery({ queryKey: ['port-call', id], queryFn: () => fetchCall(id) });
  const canSeeCase = can('GET /api/v1/port-calls/:id/quarantine');
  const caseQ = useQuery({
    queryKey: ['port-call', id, 'quarantine'],
    queryFn: () => findCallCase(id),
    enabled: canSeeCase && callQ.data !== undefined,
  });
  const caseId = caseQ.data?.id;
  const eventsQ = useQuery({
    queryKey: ['port-call', id, 'events', caseId ?? ''],
    queryFn: async () => {
      const [own, ofCase] = await Promise.all([fetchEvents(id), caseId === undefined ? [] : fetchEvents(caseId)]);
      return timelineItems(own, ofCase);
    },
    enabled: callQ.data !== undefined,
  });
  const items = useMemo(() => eventsQ.data ?? [], [eventsQ.data]);
  const check = useMemo(() => latestCodeCheck(items), [items]);
  const mismatchFlagged = items.some((i) => i.type === 'port-call.code-mismatch-flagged');

  const refresh = (c?: PortCall) => {
    if (c !== undefined) {
      queryClient.setQueryData(['port-call', id], c);
    }
    void queryClient.invalidateQueries({ queryKey: ['port-call', id] });
    void queryClient.invalidateQueries({ queryKey: ['port-calls'] });
  };

  if (callQ.isError) {
    const notFound = callQ.error instanceof ApiError && callQ.error.status === 404;
    return notFound ? (
      <Result
        status="404"
        title="404"
        subTitle={t('portCalls.detail.notFound', { id })}
        extra={
          <Link to="/port-calls">
            <Button type="primary">{t('portCalls.detail.back')}</Button>
          </Link>
        }
        data-testid="call-not-found"
      />
    ) : (
      <Result
        status="warning"
        title={t('portCalls.detail.loadFailed')}
        subTitle={callQ.error.message}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void callQ.refetch()}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }
  const call = callQ.data;

  const crumbs = (
    <Breadcrumb
      items={[
        { title: <Link to="/port-calls">{t('nav.portCalls')}</Link> },
        { title: call === undefined ? id : `${call.vessel.name} · ${call.voyage}` },
      ]}
    />
  );
  if (call === undefined) {
    return (
      <Flex vertical gap={16}>
        {crumbs}
        <Card>
          <Skeleton active paragraph={{ rows: 6 }} />
        </Card>
      </Flex>
    );
  }

  const bar = stepBar(call);
  const stepTimes: (string | null)[] = [
    call.preReportedAt,
    call.confirmedAt,
    call.arrivedAt,
    call.berthedAt,
    call.departureReportedAt,
    call.departedAt,
  ];
  const planned = call.plannedBerth;

  return (
    <Flex vertical gap={16} data-testid="port-call-detail">
      {crumbs}
      <Card>
        <Flex align="baseline" gap={12} wrap style={{ marginBottom: 16 }}>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="call-vessel">
            {call.vessel.name}
          </Typography.Title>
          <Typography.Text type="secondary" style={{ fontSize: 16 }}>
            IMO {call.vessel.imo} · {t('portCalls.f.voyage')} {call.voyage}
          </Typography.Text>
          <StateTag state={call.state} />
          {call.lateReport && (
            <Tag color="orange" icon={<WarningOutlined />} data-testid="late-flag">
              {t('portCalls.lateLong')}
            </Tag>
          )}
          {call.dangerousGoods && <Tag color="red">{t('portCalls.dangerousGoods')}</Tag>}
        </Flex>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 4 }}
          items={[
            { key: 'port', label: t('portCalls.col.port'), children: call.portLocode },
            {
              key: 'code',
              label: t('portCalls.f.declaredCode'),
              children: <Typography.Text code>{codeText(call.declaredCode)}</Typography.Text>,
            },
            { key: 'eta', label: t('portCalls.col.eta'), children: time(call.eta) },
            { key: 'etd', label: t('portCalls.col.etd'), children: time(call.etd) },
            { key: 'last', label: t('portCalls.f.lastPort'), children: `${call.lastPort} · ${time(call.lastPortDeparture)}` },
            { key: 'next', label: t('portCalls.f.nextPort'), children: call.nextPort ?? '—' },
            {
              key: 'purpose',
              label: t('portCalls.f.purpose'),
              children: t(`portCalls.purpose.${call.purpose}`, { defaultValue: call.purpose }),
            },
            {
              key: 'cargo',
              label: t('portCalls.f.cargoType'),
              children: t(`portCalls.cargo.${call.cargoType}`, { defaultValue: call.cargoType }),
            },
            {
              key: 'ship',
              label: t('portCalls.detail.ship'),
              children: `${call.vessel.flag ?? '—'} · ${formatNumber(call.vessel.loaM, lang)} m · ${t('portCalls.f.draftM')} ${formatNumber(call.vessel.draftM, lang, 1)} m`,
            },
            {
              key: 'people',
              label: t('portCalls.detail.people'),
              children: t('portCalls.detail.peopleValue', { crew: call.crewCount, passengers: call.passengerCount }),
            },
            { key: 'reported', label: t('portCalls.detail.preReportedAt'), children: time(call.preReportedAt) },
            {
              key: 'ports',
              label: t('portCalls.f.portsOfCall'),
              children: call.portsOfCall.length === 0 ? '—' : call.portsOfCall.map((p) => p.locode).join(' → '),
            },
            ...(call.cargoSummary === ''
              ? []
              : [{ key: 'summary', label: t('portCalls.f.cargoSummary'), span: 2, children: call.cargoSummary }]),
            ...(call.cancelReason === null
              ? []
              : [{ key: 'cancel', label: t('portCalls.detail.cancelReason'), span: 2, children: call.cancelReason }]),
          ]}
        />
        <Steps
          style={{ marginTop: 24 }}
          size="small"
          current={bar.current}
          status={bar.status}
          data-testid="call-steps"
          items={STEP_STATES.map((s, i) => ({
            title: t(`portCalls.state.${s}`),
            content: stepTimes[i] === null ? undefined : time(stepTimes[i]),
          }))}
        />
      </Card>

      {refused !== null && (
        <Alert
          type="error"
          showIcon
          closable={{ onClose: () => setRefused(null) }}
          title={t(`portCalls.refused.${refused.code.replaceAll('.', '_')}`, {
            defaultValue: t('portCalls.refused.other', { action: t(`portCalls.action.${refused.action}`) }),
          })}
          description={
            <span>
              {refused.message} <Typography.Text code>{refused.code}</Typography.Text>
            </span>
          }
          style={refused.code === 'port-call.no-pratique' ? { borderWidth: 2, fontSize: 16 } : undefined}
          data-testid="call-refused"
        />
      )}

      <Card title={t('portCalls.detail.actions')} size="small">
        <CallActions
          call={call}
          onDone={(c) => refresh(c)}
          onRefused={(e) => {
            setRefused(e);
            if (e !== null) {
              void queryClient.invalidateQueries({ queryKey: ['port-call', id, 'events'] });
            }
          }}
        />
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t('portCalls.detail.berth')} size="small" style={{ height: '100%' }} data-testid="berth-card">
            <Descriptions
              size="small"
              column={1}
              items={[
                {
                  key: 'planned',
                  label: t('portCalls.detail.plannedBerth'),
                  children:
                    planned === null
                      ? '—'
                      : `${cluster.berthCode(planned.berthId) ?? planned.berthId} · ${time(planned.start)} – ${time(planned.end)}`,
                },
                { key: 'berth', label: t('portCalls.detail.actualBerth'), children: cluster.berthCode(call.berthId) ?? '—' },
                { key: 'berthed', label: t('portCalls.detail.berthedAt'), children: time(call.berthedAt) },
                {
                  key: 'cargo',
                  label: t('portCalls.detail.cargoOps'),
                  children:
                    call.cargoOpsStartedAt === null
                      ? '—'
                      : `${time(call.cargoOpsStartedAt)} – ${call.cargoOpsCompletedAt === null ? t('portCalls.detail.ongoing') : time(call.cargoOpsCompletedAt)}`,
                },
              ]}
            />
            <div style={{ marginTop: 12 }} data-testid="code-check">
              {check === null ? (
                <Typography.Text type="secondary">{t('portCalls.code.none')}</Typography.Text>
              ) : check.sameCanonical ? (
                <Alert
                  type="success"
                  showIcon
                  icon={check.redeclarationAvoided ? <SwapOutlined /> : <CheckCircleOutlined />}
                  title={t(check.redeclarationAvoided ? 'portCalls.code.avoided' : 'portCalls.code.same', {
                    berth: check.berthCode,
                    declared: check.declared === null ? '—' : codeText(check.declared),
                    code: check.berth === null ? '—' : codeText(check.berth),
                    canonical: check.canonical === null ? '—' : codeText(check.canonical),
                  })}
                  data-testid="code-ok"
                />
              ) : (
                <Alert
                  type="warning"
                  showIcon
                  title={t('portCalls.code.mismatch', {
                    berth: check.berthCode,
                    declared: check.declared === null ? '—' : codeText(check.declared),
                    code: check.berth === null ? '—' : codeText(check.berth),
                  })}
                  description={t('portCalls.code.mismatchHint')}
                  data-testid="code-mismatch"
                />
              )}
              {check !== null && check.sameCanonical && mismatchFlagged && (
                <Typography.Text type="secondary">{t('portCalls.code.earlierMismatch')}</Typography.Text>
              )}
            </div>
            <Row gutter={16} style={{ marginTop: 12 }}>
              <Col span={12}>
                <Statistic title={t('portCalls.col.redeclarations')} value={call.redeclarations} data-testid="stat-redeclarations" />
              </Col>
              <Col span={12}>
                <Statistic
                  title={t('portCalls.col.avoided')}
                  value={call.redeclarationsAvoided}
                  styles={{ content: { color: call.redeclarationsAvoided > 0 ? '#389e0d' : undefined } }}
                  data-testid="stat-avoided"
                />
              </Col>
            </Row>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('portCalls.detail.quarantine')} size="small" style={{ height: '100%' }}>
            <QuarantinePanel
              call={call}
              qcase={caseQ.data ?? null}
              visible={canSeeCase}
              loading={canSeeCase && caseQ.isLoading}
              failed={caseQ.isError ? caseQ.error.message : null}
              onDeclared={(c) => {
                queryClient.setQueryData(['port-call', id, 'quarantine'], c);
                refresh();
              }}
            />
          </Card>
        </Col>
      </Row>

      <Card title={t('portCalls.detail.timeline')} size="small" data-testid="timeline-card">
        {eventsQ.isError ? (
          <Alert
            type="error"
            showIcon
            title={t('portCalls.timeline.loadFailed')}
            description={eventsQ.error.message}
            action={<Button onClick={() => void eventsQ.refetch()}>{t('common.retry')}</Button>}
          />
        ) : eventsQ.data === undefined ? (
          <Skeleton active paragraph={{ rows: 5 }} />
        ) : (
          <CallTimeline items={items} />
        )}
      </Card>
    </Flex>
  );
};

export default PortCallDetailPage;
