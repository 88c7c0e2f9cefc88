import { MinusCircleOutlined, PlusOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Card,
  Col,
  Descriptions,
  Divider,
  Flex,
  Form,
  Input,
  InputNumber,
  List,
  Result,
  Row,
  Select,
  Skeleton,
  Space,
  Statistic,
  Steps,
  Switch,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { FormInstance } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { usePrefs } from '../../lib/prefs-context.tsx';
import { caseStep, fetchCase, fetchEvents } from '../port-calls/api.ts';
import { CallTimeline } from '../port-calls/CallTimeline.tsx';
import { timelineItems } from '../port-calls/model.ts';
import { MDH_QUESTIONS, type QuarantineCase } from '../port-calls/types.ts';
import { CaseStateTag, fieldData, ModeTag, useServerErrors } from '../port-calls/ui.tsx';
import { caseActions, modeOptions, pdfPages, sessionGaps, sha256Hex, type CaseAction } from './model.ts';

type MedicalLog = { fileName: string; sha256: string; pages?: number };
type FindingsValues = {
  temperatures?: { person?: string; celsius?: number | null }[];
  pages?: number | null;
  satisfactory?: boolean;
  findings?: string;
};

const STEPS = ['assessed', 'mode-assigned', 'session', 'pratique-granted'] as const;
const stepOf = (c: QuarantineCase): number =>
  c.state === 'assessed' ? 0 : c.state === 'mode-assigned' ? 1 : c.state === 'pratique-granted' ? 3 : 2;

/** /quarantine/:id — one case for the officer: the rules' reasons, the declaration, and the steps to pratique. */
const QuarantineCasePage = () => {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const place = useServerErrors();
  const [modeForm] = Form.useForm<{ mode?: string; note?: string }>();
  const [findingsForm] = Form.useForm<FindingsValues>();
  const [escalateForm] = Form.useForm<{ reason?: string }>();
  const [pratiqueForm] = Form.useForm<{ certificateNo?: string }>();
  const [medicalLog, setMedicalLog] = useState<MedicalLog | null>(null);
  const [hashing, setHashing] = useState(false);
  const [refused, setRefused] = useState<{ code: string; message: string } | null>(null);
  const time = (iso: string | null | undefined) => formatDateTime(iso ?? null, lang, timeZone);

  const caseQ = useQuery({ queryKey: ['quarantine-case', id], queryFn: () => fetchCase(id) });
  const eventsQ = useQuery({
    queryKey: ['quarantine-case', id, 'events'],
    queryFn: async () => timelineItems(await fetchEvents(id)),
    enabled: caseQ.data !== undefined,
  });

  const forms: Partial<Record<CaseAction, FormInstance>> = {
    mode: modeForm,
    'remote-findings': findingsForm,
    escalation: escalateForm,
    pratique: pratiqueForm,
  };
  const step = useMutation({
    mutationFn: ({ action, body }: { action: CaseAction; body: Record<string, unknown> }) => caseStep(id, action, body),
    onSuccess: (c, { action }) => {
      setRefused(null);
      queryClient.setQueryData(['quarantine-case', id], c);
      void queryClient.invalidateQueries({ queryKey: ['quarantine-case', id] });
      void queryClient.invalidateQueries({ queryKey: ['quarantine'] });
      void queryClient.invalidateQueries({ queryKey: ['port-call', c.portCallId] });
      void message.success(t('quarantine.actions.done', { action: t(`quarantine.action.${action}`) }));
      forms[action]?.resetFields();
      if (action === 'remote-findings') {
        setMedicalLog(null);
      }
    },
    onError: (err, { action }) => {
      const form = forms[action];
      if (err instanceof ApiError && form !== undefined && err.details.length > 0) {
        const known = new Set([
          'mode',
          'note',
          'temperatures',
          'person',
          'celsius',
          'pages',
          'satisfactory',
          'findings',
          'reason',
          'certificateNo',
        ]);
        const placed = place(err.details, known, { video: 'findings', medicalLog: 'pages', sha256: 'pages', fileName: 'pages' });
        if (placed.fields.length > 0) {
          form.setFields(fieldData(placed.fields));
        }
      }
      setRefused({ code: err instanceof ApiError ? err.code : 'error', message: err instanceof Error ? err.message : String(err) });
    },
  });
  const run = (action: CaseAction, body: Record<string, unknown> = {}) => step.mutate({ action, body });

  const onFile = async (file: File) => {
    setHashing(true);
    try {
      const data = await file.arrayBuffer();
      const pages = pdfPages(data);
      setMedicalLog({ fileName: file.name, sha256: await sha256Hex(data), ...(pages !== null ? { pages } : {}) });
      if (pages !== null) {
        findingsForm.setFieldValue('pages', pages);
      }
    } finally {
      setHashing(false);
    }
  };

  if (caseQ.isError) {
    const notFound = caseQ.error instanceof ApiError && caseQ.error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'warning'}
        title={notFound ? '404' : t('quarantine.case.loadFailed')}
        subTitle={notFound ? t('quarantine.case.notFound', { id }) : caseQ.error.message}
        extra={
          notFound ? (
            <Link to="/quarantine">
              <Button type="primary">{t('quarantine.case.back')}</Button>
            </Link>
          ) : (
            <Button icon={<ReloadOutlined />} onClick={() => void caseQ.refetch()}>
              {t('common.retry')}
            </Button>
          )
        }
      />
    );
  }
  const c = caseQ.data;
  const crumbs = (
    <Breadcrumb items={[{ title: <Link to="/quarantine">{t('nav.quarantine')}</Link> }, { title: c === undefined ? id : c.vessel.name }]} />
  );
  if (c === undefined) {
    return (
      <Flex vertical gap={16}>
        {crumbs}
        <Card>
          <Skeleton active paragraph={{ rows: 8 }} />
        </Card>
      </Flex>
    );
  }

  const actions = caseActions(c);
  const gaps = c.state === 'remote-session' ? sessionGaps(c) : [];
  const modeLabel = (m: string) => t(`quarantine.mode.${m}`, { defaultValue: m });
  const master = typeof c.healthDeclaration.header?.master === 'string' ? c.healthDeclaration.header.master : '—';
  const yes = MDH_QUESTIONS.filter((q) => c.healthDeclaration.answers[q] === true);

  return (
    <Flex vertical gap={16} data-testid="quarantine-case">
      {crumbs}
      <Card>
        <Flex align="baseline" gap={12} wrap style={{ marginBottom: 12 }}>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="case-vessel">
            {c.vessel.name}
          </Typography.Title>
          <Typography.Text type="secondary" style={{ fontSize: 16 }}>
            IMO {c.vessel.imo} · {c.portLocode} · ETA {time(c.eta)}
          </Typography.Text>
          <CaseStateTag state={c.state} />
          {c.lateDeclaration && <Tag color="orange">{t('quarantine.lateDeclaration')}</Tag>}
          <Link to={`/port-calls/${encodeURIComponent(c.portCallId)}`} data-testid="case-call-link">
            {t('quarantine.case.openCall')}
          </Link>
        </Flex>
        <Steps
          size="small"
          current={stepOf(c)}
          status={c.state === 'pratique-granted' ? 'finish' : 'process'}
          items={STEPS.map((s) => ({
            title:
              s === 'session'
                ? t(c.state === 'boarding' || c.escalatedAt !== null ? 'quarantine.state.boarding' : 'quarantine.step.session')
                : t(`quarantine.state.${s}`),
            content:
              s === 'assessed'
                ? time(c.declaredAt)
                : s === 'session'
                  ? c.startedAt === null
                    ? undefined
                    : time(c.startedAt)
                  : s === 'pratique-granted'
                    ? c.pratiqueGrantedAt === null
                      ? undefined
                      : time(c.pratiqueGrantedAt)
                    : undefined,
          }))}
        />
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t('quarantine.case.risk')} size="small" style={{ height: '100%' }} data-testid="case-risk">
            <Row gutter={16} style={{ marginBottom: 12 }}>
              <Col span={6}>
                <Statistic title={t('quarantine.col.score')} value={c.assessment?.score ?? '—'} data-testid="case-score" />
              </Col>
              <Col span={6}>
                <Typography.Text type="secondary">{t('quarantine.col.proposed')}</Typography.Text>
                <div data-testid="case-proposed">
                  <ModeTag mode={c.proposedMode} color="default" />
                </div>
              </Col>
              <Col span={6}>
                <Typography.Text type="secondary">{t('quarantine.col.forced')}</Typography.Text>
                <div data-testid="case-forced">{c.forcedMode === null ? '—' : <ModeTag mode={c.forcedMode} color="red" />}</div>
              </Col>
              <Col span={6}>
                <Typography.Text type="secondary">{t('quarantine.col.mode')}</Typography.Text>
                <div data-testid="case-mode">
                  <ModeTag mode={c.mode} />
                </div>
              </Col>
            </Row>
            <List
              size="small"
              bordered
              header={
                <Typography.Text strong>{t('quarantine.case.reasons', { version: c.assessment?.ruleSetVersion ?? '—' })}</Typography.Text>
              }
              dataSource={c.assessment?.reasons ?? []}
              locale={{ emptyText: t('quarantine.case.noReasons') }}
              data-testid="case-reasons"
              renderItem={(r) => (
                <List.Item
                  extra={
                    <Space>
                      <Tag color={r.points > 0 ? 'orange' : 'default'}>{t('quarantine.points', { count: r.points })}</Tag>
                      {r.forceMode !== null && <Tag color="red">{t('quarantine.forces', { mode: modeLabel(r.forceMode) })}</Tag>}
                    </Space>
                  }
                >
                  <Flex vertical>
                    <Typography.Text data-testid="case-reason">{lang === 'zh-CN' ? r.reasonZh : r.reasonEn}</Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {r.ruleId} · {lang === 'zh-CN' ? r.reasonEn : r.reasonZh}
                    </Typography.Text>
                  </Flex>
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('quarantine.case.declaration')} size="small" style={{ height: '100%' }} data-testid="case-declaration">
            <Descriptions
              size="small"
              column={1}
              items={[
                { key: 'master', label: t('quarantine.declare.master'), children: master },
                { key: 'declared', label: t('quarantine.col.declaredAt'), children: time(c.declaredAt) },
                {
                  key: 'answers',
                  label: t('quarantine.declare.questions'),
                  children:
                    yes.length === 0 ? (
                      <Tag color="green">{t('quarantine.case.allNo')}</Tag>
                    ) : (
                      <Flex vertical gap={2}>
                        {yes.map((q) => (
                          <Typography.Text key={q} type="danger">
                            {t('common.yes')} — {t(`quarantine.mdh.${q}`)}
                          </Typography.Text>
                        ))}
                      </Flex>
                    ),
                },
                {
                  key: 'cert',
                  label: t('quarantine.declare.certificate'),
                  children:
                    c.sanitationCertificate === null
                      ? t('quarantine.case.noCertificate')
                      : `${c.sanitationCertificate.number} · ${formatDate(c.sanitationCertificate.issuedOn, lang)} · ${c.sanitationCertificate.issuedAt ?? '—'}`,
                },
                {
                  key: 'crew',
                  label: t('quarantine.declare.crewHealth'),
                  children: t('quarantine.case.crewValue', { fever: c.crewHealth.feverCount, ill: c.crewHealth.illCount }),
                },
                ...(c.healthDeclaration.remarks
                  ? [{ key: 'remarks', label: t('quarantine.declare.remarks'), children: c.healthDeclaration.remarks }]
                  : []),
                ...(c.certificateNo === null
                  ? []
                  : [
                      {
                        key: 'certNo',
                        label: t('quarantine.col.certificate'),
                        children: `${c.certificateNo} · ${time(c.certificateIssuedAt)}`,
                      },
                    ]),
                ...(c.escalationReason === null
                  ? []
                  : [{ key: 'esc', label: t('quarantine.case.escalated'), children: `${time(c.escalatedAt)} · ${c.escalationReason}` }]),
              ]}
            />
          </Card>
        </Col>
      </Row>

      <Card title={t('quarantine.case.actions')} size="small" data-testid="case-actions">
        {refused !== null && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            closable={{ onClose: () => setRefused(null) }}
            title={refused.message}
            description={<Typography.Text code>{refused.code}</Typography.Text>}
            data-testid="case-refused"
          />
        )}
        {actions.length === 0 && <Typography.Text type="secondary">{t('quarantine.actions.none')}</Typography.Text>}
        {actions.includes('mode') && (
          <Form
            form={modeForm}
            layout="inline"
            onFinish={(v) => run('mode', { mode: v.mode, ...(v.note ? { note: v.note } : {}) })}
            style={{ rowGap: 8, marginBottom: 12 }}
            initialValues={{ mode: c.mode ?? c.proposedMode ?? undefined }}
          >
            <Form.Item
              name="mode"
              label={t('quarantine.col.mode')}
              rules={[{ required: true, message: t('quarantine.actions.modeRequired') }]}
            >
              <Select
                style={{ width: 200 }}
                data-testid="case-mode-select"
                options={modeOptions(c.forcedMode).map((o) => ({
                  value: o.mode,
                  disabled: !o.allowed,
                  label: o.allowed ? modeLabel(o.mode) : t('quarantine.actions.tooLenient', { mode: modeLabel(o.mode) }),
                }))}
              />
            </Form.Item>
            <Form.Item name="note" label={t('quarantine.actions.note')}>
              <Input maxLength={500} style={{ width: 260 }} data-testid="case-mode-note" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={step.isPending} data-testid="case-assign-mode">
              {t('quarantine.action.mode')}
            </Button>
          </Form>
        )}
        {actions.includes('remote-session') && (
          <Button
            type="primary"
            onClick={() => run('remote-session')}
            loading={step.isPending}
            style={{ marginInlineEnd: 8 }}
            data-testid="case-start-session"
          >
            {t('quarantine.action.remote-session')}
          </Button>
        )}
        {actions.includes('boarding') && (
          <Button
            type="primary"
            onClick={() => run('boarding')}
            loading={step.isPending}
            style={{ marginInlineEnd: 8 }}
            data-testid="case-boarding"
          >
            {t('quarantine.action.boarding')}
          </Button>
        )}
        {c.remoteSession !== null && (
          <div data-testid="case-session">
            <Divider titlePlacement="start" plain>
              {t('quarantine.session.title', { at: time(c.remoteSession.startedAt) })}
            </Divider>
            <Descriptions
              size="small"
              column={1}
              items={[
                {
                  key: 'temps',
                  label: t('quarantine.session.temperatures'),
                  children:
                    c.remoteSession.temperatures.length === 0
                      ? '—'
                      : c.remoteSession.temperatures.map((x) => `${x.person} ${x.celsius} °C`).join('；'),
                },
                {
                  key: 'log',
                  label: t('quarantine.session.medicalLog'),
                  children:
                    c.remoteSession.medicalLog === null ? (
                      '—'
                    ) : (
                      <span>
                        {c.remoteSession.medicalLog.fileName}{' '}
                        <Typography.Text code copyable={{ text: c.remoteSession.medicalLog.sha256 }}>
                          SHA-256 {c.remoteSession.medicalLog.sha256.slice(0, 16)}…
                        </Typography.Text>
                      </span>
                    ),
                },
                {
                  key: 'video',
                  label: t('quarantine.session.video'),
                  children:
                    c.remoteSession.video === null ? (
                      '—'
                    ) : (
                      <span>
                        <Tag color={c.remoteSession.video.satisfactory ? 'green' : 'red'}>
                          {c.remoteSession.video.satisfactory
                            ? t('quarantine.session.satisfactory')
                            : t('quarantine.session.unsatisfactory')}
                        </Tag>
                        {c.remoteSession.video.findings}
                      </span>
                    ),
                },
              ]}
            />
            {gaps.length > 0 && (
              <Alert
                type="info"
                showIcon
                style={{ margin: '8px 0' }}
                title={t('quarantine.session.gaps')}
                description={gaps.map((g) => t(`quarantine.gap.${g}`)).join('；')}
                data-testid="case-gaps"
              />
            )}
          </div>
        )}
        {actions.includes('remote-findings') && (
          <Form<FindingsValues>
            form={findingsForm}
            layout="vertical"
            initialValues={{ temperatures: [{}], satisfactory: true }}
            onFinish={(v) => {
              const temperatures = (v.temperatures ?? []).filter((x) => x.person && typeof x.celsius === 'number');
              run('remote-findings', {
                ...(temperatures.length > 0 ? { temperatures } : {}),
                ...(medicalLog !== null ? { medicalLog: { ...medicalLog, ...(v.pages ? { pages: v.pages } : {}) } } : {}),
                ...(v.findings !== undefined && v.findings.trim() !== ''
                  ? { video: { satisfactory: v.satisfactory !== false, findings: v.findings.trim() } }
                  : {}),
              });
            }}
            data-testid="case-findings-form"
          >
            <Form.List name="temperatures">
              {(fields, { add, remove }) => (
                <Form.Item label={t('quarantine.session.temperatures')}>
                  {fields.map((f, i) => (
                    <Space key={f.key} align="baseline" style={{ display: 'flex' }}>
                      <Form.Item name={[f.name, 'person']}>
                        <Input
                          placeholder={t('quarantine.session.person')}
                          aria-label={t('quarantine.session.person')}
                          data-testid={`temp-person-${i}`}
                        />
                      </Form.Item>
                      <Form.Item name={[f.name, 'celsius']}>
                        <InputNumber
                          min={30}
                          max={45}
                          step={0.1}
                          suffix="°C"
                          placeholder="36.6"
                          aria-label={t('quarantine.session.celsius')}
                          data-testid={`temp-celsius-${i}`}
                        />
                      </Form.Item>
                      <Button
                        type="text"
                        icon={<MinusCircleOutlined />}
                        aria-label={t('portCalls.remove')}
                        onClick={() => remove(f.name)}
                      />
                    </Space>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()} data-testid="temp-add">
                    {t('quarantine.session.addReading')}
                  </Button>
                </Form.Item>
              )}
            </Form.List>
            <Form.Item label={t('quarantine.session.medicalLog')} extra={t('quarantine.session.medicalLogHint')}>
              <Space wrap>
                <Upload
                  accept=".pdf,.jpg,.jpeg,.png,.txt"
                  maxCount={1}
                  showUploadList={false}
                  beforeUpload={(file) => {
                    void onFile(file);
                    return false;
                  }}
                  data-testid="medical-log-upload"
                >
                  <Button icon={<UploadOutlined />} loading={hashing}>
                    {t('quarantine.session.chooseFile')}
                  </Button>
                </Upload>
                {medicalLog !== null && (
                  <Typography.Text data-testid="medical-log-hash">
                    {medicalLog.fileName} · <Typography.Text code>SHA-256 {medicalLog.sha256.slice(0, 16)}…</Typography.Text>
                  </Typography.Text>
                )}
                <Form.Item name="pages" noStyle>
                  <InputNumber
                    min={1}
                    max={10000}
                    precision={0}
                    placeholder={t('quarantine.session.pages')}
                    aria-label={t('quarantine.session.pages')}
                  />
                </Form.Item>
              </Space>
            </Form.Item>
            <Form.Item name="satisfactory" label={t('quarantine.session.videoSatisfactory')} valuePropName="checked">
              <Switch data-testid="video-satisfactory" />
            </Form.Item>
            <Form.Item name="findings" label={t('quarantine.session.videoFindings')}>
              <Input.TextArea rows={2} maxLength={4000} data-testid="video-findings" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={step.isPending} data-testid="case-record-findings">
              {t('quarantine.action.remote-findings')}
            </Button>
          </Form>
        )}
        {(actions.includes('escalation') || actions.includes('pratique')) && <Divider />}
        <Flex wrap gap={24} align="flex-start">
          {actions.includes('escalation') && (
            <Form form={escalateForm} layout="inline" onFinish={(v) => run('escalation', { reason: v.reason })} style={{ rowGap: 8 }}>
              <Form.Item
                name="reason"
                label={t('quarantine.actions.reason')}
                rules={[{ required: true, message: t('quarantine.actions.reasonRequired') }]}
              >
                <Input maxLength={1000} style={{ width: 260 }} data-testid="case-escalate-reason" />
              </Form.Item>
              <Button danger htmlType="submit" loading={step.isPending} data-testid="case-escalate">
                {t('quarantine.action.escalation')}
              </Button>
            </Form>
          )}
          {actions.includes('pratique') && (
            <Form
              form={pratiqueForm}
              layout="inline"
              onFinish={(v) => run('pratique', v.certificateNo ? { certificateNo: v.certificateNo } : {})}
              style={{ rowGap: 8 }}
            >
              <Form.Item
                name="certificateNo"
                label={t('quarantine.actions.certificateNo')}
                extra={t('quarantine.actions.certificateNoHint')}
              >
                <Input maxLength={64} style={{ width: 220 }} data-testid="case-certificate-no" />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={step.isPending} data-testid="case-grant-pratique">
                {t('quarantine.action.pratique')}
              </Button>
            </Form>
          )}
        </Flex>
      </Card>

      <Card title={t('quarantine.case.timeline')} size="small">
        {eventsQ.data === undefined ? (
          eventsQ.isError ? (
            <Alert type="error" showIcon title={eventsQ.error.message} />
          ) : (
            <Skeleton active />
          )
        ) : (
          <CallTimeline items={eventsQ.data} />
        )}
      </Card>
    </Flex>
  );
};

export default QuarantineCasePage;
