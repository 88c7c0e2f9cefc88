import { CheckOutlined, ThunderboltOutlined, ToolOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Col,
  Collapse,
  Flex,
  Input,
  Modal,
  Row,
  Segmented,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { useSession } from '../../auth/session.tsx';
import { DataTable, type DataColumn } from '../../components/DataTable.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { usePrefs } from '../../lib/prefs-context.tsx';
import { acknowledgeAlert, countAlerts, fetchAlertRules, fetchAlertsPage, resolveAlert, runEvaluation } from './api.ts';
import { alertActions, detailPairs, rulesInForce, ruleTitle, subjectPath, thresholdParts } from './model.ts';
import { ALERT_STATES, SEVERITIES, type Alert, type AlertRule, type AlertState, type Severity } from './types.ts';

const SEVERITY_COLORS: Record<Severity, string> = { alarm: 'red', warning: 'orange' };
const STATE_COLORS: Record<AlertState, string> = { open: 'red', acknowledged: 'gold', resolved: 'green' };
/** The interlock's alarm is raised by the instructions module, not by a rule of the policy. */
const INTERLOCK_RULE = 'unreleased-box-moved';

type Acting = { alert: Alert; action: 'acknowledge' | 'resolve' };

/**
 * /alerts — the alert centre: whatever alerts the server lets the user see, by state, severity
 * and rule, with the counts per severity; acknowledge and resolve; customs run the evaluation
 * on demand and read the alert rules in force.
 */
const AlertCentrePage = () => {
  const { t, i18n } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const { message } = App.useApp();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const time = (iso: string | null) => formatDateTime(iso, lang, timeZone);
  const canAck = can('POST /api/v1/alerts/:id/acknowledgement');
  const canResolve = can('POST /api/v1/alerts/:id/resolution');
  const canEvaluate = can('POST /api/v1/alerts/evaluation');
  const canReadRules = can('GET /api/v1/alerts/rules');

  const [state, setState] = useState<AlertState | 'all'>('open');
  const [severity, setSeverity] = useState<Severity | undefined>();
  const [ruleId, setRuleId] = useState<string | undefined>();
  const [acting, setActing] = useState<Acting | null>(null);
  const [text, setText] = useState('');
  const [textError, setTextError] = useState<string | null>(null);

  const base: Record<string, string> = {
    ...(state !== 'all' ? { state } : {}),
    ...(ruleId !== undefined ? { ruleId } : {}),
  };
  const query: Record<string, string> = { ...base, ...(severity !== undefined ? { severity } : {}) };

  const rulesQ = useQuery({ queryKey: ['alerts', 'rules'], queryFn: fetchAlertRules, enabled: canReadRules });
  const inForce = rulesInForce(rulesQ.data ?? [], new Date());
  const rules: AlertRule[] = inForce?.document.rules ?? [];
  const countsQ = useQuery({
    queryKey: ['alerts', 'counts', base],
    queryFn: async () => {
      const [alarm, warning] = await Promise.all(SEVERITIES.map((s) => countAlerts({ ...base, severity: s })));
      return { alarm: alarm ?? 0, warning: warning ?? 0 };
    },
  });

  const reload = () => void queryClient.invalidateQueries({ queryKey: ['alerts'] });
  const titleOf = (id: string) =>
    ruleTitle(id, rules, i18n.language) ??
    (id === INTERLOCK_RULE ? t('alerts.interlock') : t(`alerts.ruleName.${id}`, { defaultValue: id }));

  const act = useMutation({
    mutationFn: ({ alert, action, value }: Acting & { value: string }) =>
      action === 'acknowledge' ? acknowledgeAlert(alert.id, value) : resolveAlert(alert.id, value),
    onSuccess: (a, { action }) => {
      void message.success(t(action === 'acknowledge' ? 'alerts.acknowledged' : 'alerts.resolvedDone', { subject: a.subject.label }));
      setActing(null);
      setText('');
      reload();
    },
    onError: (err) => {
      if (err instanceof ApiError && err.status === 409) {
        void message.warning(t('alerts.conflict'));
        setActing(null);
        reload();
        return;
      }
      if (err instanceof ApiError && err.details.length > 0) {
        setTextError(err.details.map((d) => d.message).join('; '));
        return;
      }
      void message.error(err.message);
    },
  });

  const evaluate = useMutation({
    mutationFn: runEvaluation,
    onSuccess: (r) => {
      void message.success(
        t('alerts.evaluation.done', { opened: r.opened, resolved: r.resolved, open: r.open, version: r.ruleSetVersion }),
      );
      reload();
    },
    onError: (err) => void message.error(err.message),
  });

  const open = (alert: Alert, action: Acting['action']) => {
    setText('');
    setTextError(null);
    setActing({ alert, action });
  };

  const columns: DataColumn<Alert>[] = [
    {
      key: 'severity',
      title: t('alerts.col.severity'),
      width: 90,
      render: (a) => (
        <Tag color={SEVERITY_COLORS[a.severity]} data-testid="alert-severity">
          {t(`alerts.severity.${a.severity}`)}
        </Tag>
      ),
      exportValue: (a) => t(`alerts.severity.${a.severity}`),
    },
    {
      key: 'rule',
      title: t('alerts.col.rule'),
      width: 230,
      render: (a) => (
        <Flex vertical>
          <Typography.Text>{titleOf(a.ruleId)}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {a.ruleId}
            {a.ruleVersion !== null ? ` · v${a.ruleVersion}` : ''}
          </Typography.Text>
        </Flex>
      ),
      exportValue: (a) => `${titleOf(a.ruleId)} (${a.ruleId})`,
    },
    {
      key: 'subject',
      title: t('alerts.col.subject'),
      width: 160,
      render: (a) => {
        const path = subjectPath(a.subject);
        const label = <Typography.Text code>{a.subject.label}</Typography.Text>;
        return (
          <Flex vertical>
            {path === null ? label : <Link to={path}>{label}</Link>}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t(`alerts.subjectType.${a.subject.type}`, { defaultValue: a.subject.type })}
            </Typography.Text>
          </Flex>
        );
      },
      exportValue: (a) => a.subject.label,
    },
    {
      key: 'state',
      title: t('alerts.col.state'),
      width: 110,
      render: (a) => (
        <Tag color={STATE_COLORS[a.state]} data-testid="alert-state">
          {t(`alerts.state.${a.state}`)}
        </Tag>
      ),
      exportValue: (a) => t(`alerts.state.${a.state}`),
    },
    { key: 'openedAt', title: t('alerts.col.openedAt'), width: 150, render: (a) => time(a.openedAt), exportValue: (a) => time(a.openedAt) },
    {
      key: 'detail',
      title: t('alerts.col.detail'),
      width: 300,
      ellipsis: false,
      render: (a) => (
        <Flex wrap gap={2}>
          {detailPairs(a.detail).map(([k, v]) => (
            <Tag key={k} style={{ marginInlineEnd: 2, whiteSpace: 'normal', wordBreak: 'break-all' }}>
              {k}: {v}
            </Tag>
          ))}
        </Flex>
      ),
      exportValue: (a) =>
        detailPairs(a.detail)
          .map(([k, v]) => `${k}: ${v}`)
          .join('; '),
    },
    {
      key: 'handling',
      title: t('alerts.col.handling'),
      width: 200,
      ellipsis: false,
      render: (a) => (
        <Flex vertical>
          {a.acknowledgedAt !== null && (
            <Typography.Text type="secondary">
              {t('alerts.ackedAt', { at: time(a.acknowledgedAt), by: a.acknowledgedBy ?? '—' })}
            </Typography.Text>
          )}
          {a.resolvedAt !== null && (
            <Typography.Text type="secondary">
              {t('alerts.resolvedAt', { at: time(a.resolvedAt), by: a.resolvedBy ?? t('alerts.byRule') })}
              {a.resolution !== null ? ` — ${a.resolution}` : ''}
            </Typography.Text>
          )}
        </Flex>
      ),
      exportValue: (a) => a.resolution ?? '',
    },
    {
      key: 'actions',
      title: '',
      width: 180,
      fixed: 'right',
      exportable: false,
      hideable: false,
      render: (a) => {
        const can = alertActions(a);
        return (
          <Space size={4}>
            {can.acknowledge && canAck && (
              <Button size="small" icon={<CheckOutlined />} onClick={() => open(a, 'acknowledge')} data-testid={`alert-ack-${a.id}`}>
                {t('alerts.acknowledge')}
              </Button>
            )}
            {can.resolve && canResolve && (
              <Button size="small" icon={<ToolOutlined />} onClick={() => open(a, 'resolve')} data-testid={`alert-resolve-${a.id}`}>
                {t('alerts.resolve')}
              </Button>
            )}
          </Space>
        );
      },
    },
  ];

  const ruleOptions = [...rules.map((r) => r.id), INTERLOCK_RULE].map((id) => ({ value: id, label: titleOf(id) }));

  return (
    <Flex vertical gap={16} data-testid="alert-centre">
      <Row gutter={16}>
        {SEVERITIES.map((s) => (
          <Col key={s} xs={12} md={6}>
            <Card size="small" hoverable onClick={() => setSeverity(severity === s ? undefined : s)} data-testid={`alert-count-${s}`}>
              <Statistic
                title={
                  <Space>
                    <Tag color={SEVERITY_COLORS[s]}>{t(`alerts.severity.${s}`)}</Tag>
                    {t(state === 'all' ? 'alerts.countAll' : `alerts.countIn.${state}`)}
                  </Space>
                }
                value={countsQ.data?.[s] ?? '—'}
                loading={countsQ.isLoading}
                styles={{ content: { color: s === 'alarm' ? '#cf1322' : '#d46b08' } }}
              />
            </Card>
          </Col>
        ))}
        {canEvaluate && (
          <Col xs={24} md={12}>
            <Card size="small" style={{ height: '100%' }}>
              <Flex vertical gap={8}>
                <Typography.Text type="secondary">{t('alerts.evaluation.hint')}</Typography.Text>
                <div>
                  <Button
                    type="primary"
                    icon={<ThunderboltOutlined />}
                    loading={evaluate.isPending}
                    onClick={() => evaluate.mutate()}
                    data-testid="alert-evaluate"
                  >
                    {t('alerts.evaluation.run')}
                  </Button>
                  {evaluate.data !== undefined && (
                    <Typography.Text style={{ marginInlineStart: 12 }} data-testid="alert-evaluation-result">
                      {t('alerts.evaluation.done', {
                        opened: evaluate.data.opened,
                        resolved: evaluate.data.resolved,
                        open: evaluate.data.open,
                        version: evaluate.data.ruleSetVersion,
                      })}
                    </Typography.Text>
                  )}
                </div>
              </Flex>
            </Card>
          </Col>
        )}
      </Row>

      <Card styles={{ body: { paddingTop: 16 } }}>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {t('alerts.title')}
        </Typography.Title>
        <DataTable<Alert>
          queryKey={['alerts', 'list', query]}
          fetchPage={(p) => fetchAlertsPage(query, p)}
          columns={columns}
          rowKey="id"
          search={false}
          exportName="alerts"
          exportSheetName={t('alerts.title')}
          toolbar={
            <Space wrap>
              <Segmented<AlertState | 'all'>
                value={state}
                onChange={setState}
                options={[...ALERT_STATES, 'all' as const].map((s) => ({
                  value: s,
                  label: t(s === 'all' ? 'alerts.all' : `alerts.state.${s}`),
                }))}
                data-testid="alert-filter-state"
              />
              <Select
                allowClear
                placeholder={t('alerts.col.severity')}
                style={{ width: 130 }}
                value={severity}
                onChange={(v: Severity | undefined) => setSeverity(v)}
                options={SEVERITIES.map((s) => ({ value: s, label: t(`alerts.severity.${s}`) }))}
                data-testid="alert-filter-severity"
              />
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('alerts.col.rule')}
                style={{ width: 260 }}
                value={ruleId}
                onChange={(v: string | undefined) => setRuleId(v)}
                options={ruleOptions}
                data-testid="alert-filter-rule"
              />
            </Space>
          }
        />
      </Card>

      {canReadRules && (
        <Collapse
          items={[
            {
              key: 'rules',
              label:
                inForce === null
                  ? t('alerts.rules.none')
                  : t('alerts.rules.title', { version: inForce.version, at: time(inForce.effectiveFrom) }),
              children: (
                <Table<AlertRule>
                  size="small"
                  rowKey="id"
                  pagination={false}
                  dataSource={rules}
                  data-testid="alert-rules"
                  columns={[
                    { key: 'title', title: t('alerts.rules.rule'), render: (_v, r) => titleOf(r.id) },
                    { key: 'id', title: 'id', render: (_v, r) => <Typography.Text code>{r.id}</Typography.Text> },
                    { key: 'kind', title: t('alerts.rules.kind'), render: (_v, r) => t(`alerts.kind.${r.kind}`, { defaultValue: r.kind }) },
                    {
                      key: 'threshold',
                      title: t('alerts.rules.threshold'),
                      align: 'right',
                      render: (_v, r) => {
                        const p = thresholdParts(r.thresholdHours);
                        return t(`alerts.rules.${p.unit}`, { count: p.value });
                      },
                    },
                    {
                      key: 'severity',
                      title: t('alerts.col.severity'),
                      render: (_v, r) => <Tag color={SEVERITY_COLORS[r.severity]}>{t(`alerts.severity.${r.severity}`)}</Tag>,
                    },
                    {
                      key: 'enabled',
                      title: t('alerts.rules.enabled'),
                      render: (_v, r) =>
                        r.enabled ? t('common.yes') : <Tooltip title={t('alerts.rules.offHint')}>{t('common.no')}</Tooltip>,
                    },
                  ]}
                />
              ),
            },
          ]}
        />
      )}

      <Modal
        open={acting !== null}
        title={
          acting === null
            ? ''
            : t(acting.action === 'acknowledge' ? 'alerts.ackTitle' : 'alerts.resolveTitle', { subject: acting.alert.subject.label })
        }
        okText={acting?.action === 'resolve' ? t('alerts.resolve') : t('alerts.acknowledge')}
        okButtonProps={{ 'data-testid': 'alert-confirm' }}
        cancelText={t('common.cancel')}
        confirmLoading={act.isPending}
        onCancel={() => setActing(null)}
        onOk={() => {
          if (acting === null) {
            return;
          }
          if (acting.action === 'resolve' && text.trim() === '') {
            setTextError(t('alerts.resolutionRequired'));
            return;
          }
          act.mutate({ ...acting, value: text });
        }}
      >
        <Input.TextArea
          value={text}
          maxLength={500}
          status={textError !== null ? 'error' : undefined}
          placeholder={acting?.action === 'resolve' ? t('alerts.resolution') : t('alerts.note')}
          onChange={(e) => {
            setText(e.target.value);
            setTextError(null);
          }}
          data-testid="alert-text"
        />
        {textError !== null && (
          <Typography.Text type="danger" data-testid="alert-text-error">
            {textError}
          </Typography.Text>
        )}
      </Modal>
    </Flex>
  );
};

export default AlertCentrePage;
