import { CheckCircleFilled, CloseCircleFilled, SafetyOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Descriptions, Flex, Form, Input, Radio, Row, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { useSession } from '../../auth/session.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { usePrefs } from '../../lib/prefs-context.tsx';
import { fetchRecentCalls } from '../cargo/api.ts';
import { checkGate } from './api.ts';
import { CodeTag } from './ui.tsx';
import { addCheck, fieldErrors, loadChecks, normaliseBox, saveChecks, type CheckEntry } from './model.ts';
import { GATE_MOVES, type GateCheck, type GateMove } from './types.ts';

type Values = { containerNumber: string; move: GateMove; portCallId?: string };

const storage = (): Storage | undefined => (typeof window === 'undefined' ? undefined : window.sessionStorage);

/** The big answer: may this box go? */
const Verdict = ({ result }: { result: GateCheck }) => {
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const c = result.container;
  const flags = (Object.keys(c.flags) as (keyof GateCheck['container']['flags'])[]).filter((k) => c.flags[k]);
  return (
    <Card
      data-testid="gate-verdict"
      data-allowed={String(result.allowed)}
      styles={{ body: { background: result.allowed ? '#f6ffed' : '#fff1f0', borderRadius: 8 } }}
    >
      <Flex align="center" gap={20}>
        {result.allowed ? (
          <CheckCircleFilled style={{ fontSize: 72, color: '#52c41a' }} />
        ) : (
          <CloseCircleFilled style={{ fontSize: 72, color: '#ff4d4f' }} />
        )}
        <Flex vertical gap={4}>
          <Typography.Title level={1} style={{ margin: 0, color: result.allowed ? '#389e0d' : '#cf1322' }} data-testid="gate-verdict-word">
            {result.allowed ? t('terminal.gate.allowed') : t('terminal.gate.refused')}
          </Typography.Title>
          <Typography.Text style={{ fontSize: 16 }}>
            <Typography.Text strong code>
              {c.number}
            </Typography.Text>{' '}
            {t(`terminal.move.${result.move}`)}
          </Typography.Text>
          <Typography.Text style={{ fontSize: 16 }} data-testid="gate-reason">
            {t(`terminal.reason.${result.reason}`, { defaultValue: result.reason })}
          </Typography.Text>
        </Flex>
      </Flex>
      <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginTop: 16 }}>
        <Descriptions.Item label={t('terminal.gate.instruction')}>
          {result.instruction === null ? (
            <Typography.Text type="secondary" data-testid="gate-instruction">
              {t('terminal.gate.noInstruction')}
            </Typography.Text>
          ) : (
            <span data-testid="gate-instruction">
              <CodeTag code={result.instruction.code} />{' '}
              <Typography.Text type="secondary">
                {t('terminal.gate.sentAt', { at: formatDateTime(result.instruction.sendTime, lang, timeZone) })}
              </Typography.Text>
            </span>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('terminal.col.direction')}>
          {t(`terminal.direction.${c.direction}`, { defaultValue: c.direction })}
        </Descriptions.Item>
        <Descriptions.Item label={t('terminal.gate.bills')}>{c.bills.length > 0 ? c.bills.join(', ') : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('terminal.gate.flags')}>
          {flags.length === 0 ? '—' : flags.map((f) => <Tag key={f}>{t(`terminal.flag.${f}`)}</Tag>)}
        </Descriptions.Item>
        <Descriptions.Item label={t('terminal.gate.box')}>
          <Link to={`/containers/${encodeURIComponent(c.id)}`}>{t('terminal.gate.openBox')}</Link>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
};

/**
 * /gate-check — may a box leave by the gate or be loaded now? The server decides from the
 * instruction in force, else customs' flags; this page shows the answer large and keeps the
 * checks of this browser session.
 */
const GateCheckPage = () => {
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const { can } = useSession();
  const [form] = Form.useForm<Values>();
  const [history, setHistory] = useState<CheckEntry[]>(() => loadChecks(storage()));
  const [latest, setLatest] = useState<GateCheck | null>(null);
  const [general, setGeneral] = useState<string | null>(null);

  const callsQ = useQuery({ queryKey: ['gate-check', 'calls'], queryFn: fetchRecentCalls, enabled: can('GET /api/v1/port-calls') });
  const callOptions = (callsQ.data ?? []).map((c) => ({ value: c.id, label: `${c.vessel.name} · ${c.voyage} (${c.portLocode})` }));

  const check = useMutation({
    mutationFn: (v: Values) =>
      checkGate({
        containerNumber: normaliseBox(v.containerNumber),
        move: v.move,
        ...(v.portCallId !== undefined ? { portCallId: v.portCallId } : {}),
      }),
    onSuccess: (result) => {
      setGeneral(null);
      setLatest(result);
      const next = addCheck(history, { at: new Date().toISOString(), result });
      setHistory(next);
      saveChecks(storage(), next);
    },
    onError: (err) => {
      setLatest(null);
      if (err instanceof ApiError) {
        const placed = fieldErrors(err.details, ['containerNumber', 'move', 'portCallId']);
        if (placed.fields.length > 0) {
          form.setFields(placed.fields.map((f) => ({ name: f.name as keyof Values, errors: f.errors })));
          setGeneral(placed.general.length > 0 ? placed.general.join('; ') : null);
          return;
        }
      }
      setGeneral(err.message);
    },
  });

  return (
    <Flex vertical gap={16} data-testid="gate-check-page">
      <Row gutter={16}>
        <Col xs={24} lg={9}>
          <Card title={t('terminal.gate.title')}>
            <Form<Values>
              form={form}
              layout="vertical"
              initialValues={{ move: 'gate-out' }}
              onFinish={(v) => check.mutate(v)}
              data-testid="gate-form"
            >
              <Form.Item
                name="containerNumber"
                label={t('terminal.gate.containerNumber')}
                rules={[
                  { required: true, whitespace: true, message: t('terminal.form.required', { field: t('terminal.gate.containerNumber') }) },
                ]}
              >
                <Input
                  size="large"
                  maxLength={16}
                  placeholder="MSCU1234565"
                  style={{ fontFamily: 'monospace', textTransform: 'uppercase' }}
                  data-testid="gate-container"
                  autoFocus
                />
              </Form.Item>
              <Form.Item name="move" label={t('terminal.gate.move')}>
                <Radio.Group
                  optionType="button"
                  buttonStyle="solid"
                  size="large"
                  options={GATE_MOVES.map((m) => ({ value: m, label: t(`terminal.move.${m}`) }))}
                  data-testid="gate-move"
                />
              </Form.Item>
              <Form.Item name="portCallId" label={t('terminal.gate.portCall')} extra={t('terminal.gate.portCallHint')}>
                <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={callOptions} loading={callsQ.isLoading} />
              </Form.Item>
              <Button
                type="primary"
                size="large"
                htmlType="submit"
                icon={<SafetyOutlined />}
                loading={check.isPending}
                block
                data-testid="gate-submit"
              >
                {t('terminal.gate.check')}
              </Button>
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={15}>
          {general !== null && <Alert type="error" showIcon title={general} style={{ marginBottom: 12 }} data-testid="gate-error" />}
          {latest !== null ? (
            <Verdict result={latest} />
          ) : (
            <Card>
              <Typography.Text type="secondary">{t('terminal.gate.hint')}</Typography.Text>
            </Card>
          )}
        </Col>
      </Row>
      <Card
        title={t('terminal.gate.history')}
        extra={
          history.length > 0 && (
            <Button
              size="small"
              onClick={() => {
                setHistory([]);
                saveChecks(storage(), []);
              }}
            >
              {t('terminal.gate.clearHistory')}
            </Button>
          )
        }
      >
        <Table<CheckEntry>
          size="small"
          data-testid="gate-history"
          rowKey={(e) => `${e.at}-${e.result.container.number}`}
          dataSource={history}
          pagination={false}
          locale={{ emptyText: t('terminal.gate.noHistory') }}
          columns={[
            { key: 'at', title: t('terminal.gate.checkedAt'), width: 170, render: (_v, e) => formatDateTime(e.at, lang, timeZone) },
            {
              key: 'number',
              title: t('terminal.gate.containerNumber'),
              width: 160,
              render: (_v, e) => <Typography.Text code>{e.result.container.number}</Typography.Text>,
            },
            { key: 'move', title: t('terminal.gate.move'), width: 100, render: (_v, e) => t(`terminal.move.${e.result.move}`) },
            {
              key: 'verdict',
              title: t('terminal.gate.verdict'),
              width: 110,
              render: (_v, e) => (
                <Tag color={e.result.allowed ? 'green' : 'red'}>
                  {e.result.allowed ? t('terminal.gate.allowed') : t('terminal.gate.refused')}
                </Tag>
              ),
            },
            {
              key: 'reason',
              title: t('terminal.gate.reason'),
              render: (_v, e) => t(`terminal.reason.${e.result.reason}`, { defaultValue: e.result.reason }),
            },
            {
              key: 'instruction',
              title: t('terminal.gate.instruction'),
              width: 240,
              render: (_v, e) => (e.result.instruction === null ? '—' : <CodeTag code={e.result.instruction.code} />),
            },
          ]}
        />
      </Card>
    </Flex>
  );
};

export default GateCheckPage;
