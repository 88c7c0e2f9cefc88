import { CheckOutlined, CloseOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Flex, Form, Input, Modal, Radio, Select, Space, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { useSession } from '../../auth/session.tsx';
import { DataTable, type DataColumn } from '../../components/DataTable.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { usePrefs } from '../../lib/prefs-context.tsx';
import { fetchRecentCalls } from '../cargo/api.ts';
import { acknowledgeInstruction, fetchInstructionsPage, issueInstruction } from './api.ts';
import { ackState, fieldErrors, isoToWallSeconds, meaningIn, normaliseBox, wallSecondsToIso } from './model.ts';
import { INSTRUCTION_CODES, type AckStatus, type Instruction, type InstructionCode } from './types.ts';
import { CodeTag } from './ui.tsx';

const ACK_COLORS = { pending: 'orange', applied: 'green', rejected: 'red' } as const;
const ISSUE_FIELDS = ['scope', 'subject', 'portCallId', 'code', 'sendTime', 'direction', 'declarationId'];
const SECONDS_FORMAT = 'YYYY-MM-DD HH:mm:ss';

type IssueValues = {
  scope: 'container' | 'bill';
  subject: string;
  portCallId: string;
  code: InstructionCode;
  sendTime: Dayjs;
  direction?: 'import' | 'export';
  declarationId?: string;
};

/**
 * /customs-instructions — customs' instructions to the terminals: a terminal sees those for its
 * calls and acknowledges them; customs sees its district's and may send one.
 */
const InstructionsPage = () => {
  const { t, i18n } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const { message } = App.useApp();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const time = (iso: string | null) => formatDateTime(iso, lang, timeZone);
  const canAck = can('POST /api/v1/customs-instructions/:id/acknowledgement');
  const canIssue = can('POST /api/v1/customs-instructions');
  const [portCallId, setPortCallId] = useState<string | undefined>();
  const [acking, setAcking] = useState<{ instruction: Instruction; status: AckStatus } | null>(null);
  const [ackNote, setAckNote] = useState('');
  const [issuing, setIssuing] = useState(false);
  const [issueGeneral, setIssueGeneral] = useState<string | null>(null);
  const [issueForm] = Form.useForm<IssueValues>();

  const callsQ = useQuery({ queryKey: ['instructions', 'calls'], queryFn: fetchRecentCalls, enabled: can('GET /api/v1/port-calls') });
  const callOptions = (callsQ.data ?? []).map((c) => ({ value: c.id, label: `${c.vessel.name} · ${c.voyage} (${c.portLocode})` }));
  const callLabel = (id: string) => callOptions.find((o) => o.value === id)?.label ?? id;

  const reload = () => void queryClient.invalidateQueries({ queryKey: ['customs-instructions'] });

  const ack = useMutation({
    mutationFn: ({ id, status, note }: { id: string; status: AckStatus; note: string }) =>
      acknowledgeInstruction(id, { status, ...(note.trim() !== '' ? { note: note.trim() } : {}) }),
    onSuccess: (i) => {
      void message.success(t('terminal.ack.done', { subject: i.subject, status: t(`terminal.ack.${ackState(i)}`) }));
      setAcking(null);
      setAckNote('');
      reload();
    },
    onError: (err) => {
      if (err instanceof ApiError && err.status === 409) {
        void message.warning(t('terminal.ack.conflict'));
        setAcking(null);
        reload();
        return;
      }
      void message.error(err.message);
    },
  });

  const issue = useMutation({
    mutationFn: (v: IssueValues) =>
      issueInstruction({
        scope: v.scope,
        subject: v.scope === 'container' ? normaliseBox(v.subject) : v.subject.trim(),
        portCallId: v.portCallId,
        code: v.code,
        sendTime: wallSecondsToIso(v.sendTime.format('YYYY-MM-DDTHH:mm:ss'), timeZone),
        ...(v.direction !== undefined ? { direction: v.direction } : {}),
        ...(v.declarationId !== undefined && v.declarationId.trim() !== '' ? { declarationId: v.declarationId.trim() } : {}),
      }),
    onSuccess: (i) => {
      void message.success(t('terminal.issue.done', { code: i.code, subject: i.subject }));
      setIssuing(false);
      setIssueGeneral(null);
      issueForm.resetFields();
      reload();
    },
    onError: (err) => {
      if (err instanceof ApiError) {
        const placed = fieldErrors(err.details, ISSUE_FIELDS);
        if (placed.fields.length > 0) {
          issueForm.setFields(placed.fields.map((f) => ({ name: f.name as keyof IssueValues, errors: f.errors })));
        }
        // a newer instruction in force: someone else acted; show the list as it is now
        if (err.status === 409) {
          reload();
        }
        setIssueGeneral(placed.fields.length > 0 ? placed.general.join('; ') || null : err.message);
        return;
      }
      setIssueGeneral(err instanceof Error ? err.message : String(err));
    },
  });

  const yesNo = [{ value: 'true', label: t('common.yes') }];
  const columns: DataColumn<Instruction>[] = [
    {
      key: 'subject',
      title: t('terminal.col.subject'),
      width: 170,
      hideable: false,
      render: (i) => (
        <Flex vertical>
          <Typography.Text strong code>
            {i.subject}
          </Typography.Text>
          <Typography.Text type="secondary">{t(`terminal.scope.${i.scope}`)}</Typography.Text>
        </Flex>
      ),
      exportValue: (i) => i.subject,
      filter: {
        param: 'scope',
        options: (['container', 'bill'] as const).map((s) => ({ value: s, label: t(`terminal.scope.${s}`) })),
      },
    },
    {
      key: 'code',
      title: t('terminal.col.code'),
      width: 260,
      render: (i) => <CodeTag code={i.code} meaning={i.meaning} />,
      exportValue: (i) => `${i.code} ${meaningIn(i.meaning, i18n.language).main}`,
      filter: { options: INSTRUCTION_CODES.map((c) => ({ value: c, label: `${c} ${t(`terminal.code.${c}`)}` })) },
    },
    {
      key: 'inForce',
      title: t('terminal.col.inForce'),
      width: 100,
      render: (i) =>
        i.inForce ? (
          <Tag color="blue" data-testid="in-force">
            {t('terminal.inForce')}
          </Tag>
        ) : (
          <Typography.Text type="secondary">{t('terminal.superseded')}</Typography.Text>
        ),
      exportValue: (i) => (i.inForce ? t('common.yes') : t('common.no')),
      filter: { options: yesNo },
    },
    {
      key: 'sendTime',
      title: t('terminal.col.sendTime'),
      width: 160,
      render: (i) => time(i.sendTime),
      exportValue: (i) => time(i.sendTime),
    },
    {
      key: 'receivedAt',
      title: t('terminal.col.receivedAt'),
      width: 160,
      render: (i) => time(i.receivedAt),
      exportValue: (i) => time(i.receivedAt),
    },
    {
      key: 'acknowledgement',
      title: t('terminal.col.acknowledgement'),
      width: 240,
      ellipsis: false,
      filter: { param: 'unacknowledged', options: [{ value: 'true', label: t('terminal.ack.pending') }] },
      render: (i) => {
        const s = ackState(i);
        return (
          <Flex vertical gap={2} data-testid="ack-cell">
            <span>
              <Tag color={ACK_COLORS[s]} data-testid="ack-state">
                {t(`terminal.ack.${s}`)}
              </Tag>
              {i.acknowledgement !== null && <Typography.Text type="secondary">{time(i.acknowledgement.at)}</Typography.Text>}
            </span>
            {i.acknowledgement?.note && <Typography.Text type="secondary">{i.acknowledgement.note}</Typography.Text>}
            {s === 'pending' && canAck && (
              <Space size={4}>
                <Button
                  size="small"
                  icon={<CheckOutlined />}
                  data-testid={`ack-applied-${i.id}`}
                  onClick={(e) => {
                    e.stopPropagation();
                    setAcking({ instruction: i, status: 'applied' });
                  }}
                >
                  {t('terminal.ack.apply')}
                </Button>
                <Button
                  size="small"
                  danger
                  icon={<CloseOutlined />}
                  data-testid={`ack-rejected-${i.id}`}
                  onClick={(e) => {
                    e.stopPropagation();
                    setAcking({ instruction: i, status: 'rejected' });
                  }}
                >
                  {t('terminal.ack.reject')}
                </Button>
              </Space>
            )}
          </Flex>
        );
      },
      exportValue: (i) => t(`terminal.ack.${ackState(i)}`),
    },
    {
      key: 'portCallId',
      title: t('terminal.col.portCall'),
      width: 220,
      render: (i) => callLabel(i.portCallId),
      exportValue: (i) => callLabel(i.portCallId),
    },
    {
      key: 'direction',
      title: t('terminal.col.direction'),
      width: 90,
      render: (i) => t(`terminal.direction.${i.direction}`),
      exportValue: (i) => t(`terminal.direction.${i.direction}`),
    },
    { key: 'declarationId', title: t('terminal.col.declaration'), width: 200, defaultHidden: true },
    { key: 'id', title: t('terminal.col.id'), width: 200, defaultHidden: true },
  ];

  return (
    <Card styles={{ body: { paddingTop: 16 } }} data-testid="instructions-page">
      <Flex justify="space-between" align="start" wrap gap={8} style={{ marginBottom: 12 }}>
        <div>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('terminal.instructions.title')}
          </Typography.Title>
          <Typography.Text type="secondary">
            {t(canIssue ? 'terminal.instructions.hintCustoms' : 'terminal.instructions.hint')}
          </Typography.Text>
        </div>
        {canIssue && (
          <Button
            type="primary"
            icon={<SendOutlined />}
            data-testid="issue-open"
            onClick={() => {
              issueForm.setFieldsValue({
                scope: 'container',
                sendTime: dayjs(isoToWallSeconds(new Date().toISOString(), timeZone)),
                ...(portCallId !== undefined ? { portCallId } : {}),
              });
              setIssueGeneral(null);
              setIssuing(true);
            }}
          >
            {t('terminal.issue.open')}
          </Button>
        )}
      </Flex>
      <DataTable<Instruction>
        queryKey={['customs-instructions', portCallId ?? '']}
        fetchPage={(p) =>
          fetchInstructionsPage(
            {
              ...p.filters,
              ...(p.q !== undefined ? { subject: normaliseBox(p.q) } : {}),
              ...(portCallId !== undefined ? { portCallId } : {}),
            },
            p,
          )
        }
        columns={columns}
        rowKey="id"
        exportName="customs-instructions"
        exportSheetName={t('terminal.instructions.title')}
        searchPlaceholder={t('terminal.instructions.search')}
        toolbar={
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('terminal.instructions.allCalls')}
            style={{ width: 280 }}
            value={portCallId}
            onChange={(v: string | undefined) => setPortCallId(v)}
            options={callOptions}
            loading={callsQ.isLoading}
            data-testid="filter-port-call"
          />
        }
      />

      <Modal
        open={acking !== null}
        title={
          acking === null
            ? ''
            : t(acking.status === 'applied' ? 'terminal.ack.applyTitle' : 'terminal.ack.rejectTitle', {
                code: acking.instruction.code,
                subject: acking.instruction.subject,
              })
        }
        okText={acking?.status === 'rejected' ? t('terminal.ack.reject') : t('terminal.ack.apply')}
        okButtonProps={{ danger: acking?.status === 'rejected', 'data-testid': 'ack-confirm' }}
        cancelText={t('common.cancel')}
        confirmLoading={ack.isPending}
        onCancel={() => setAcking(null)}
        onOk={() => acking !== null && ack.mutate({ id: acking.instruction.id, status: acking.status, note: ackNote })}
      >
        <Input.TextArea
          value={ackNote}
          maxLength={500}
          placeholder={t('terminal.ack.note')}
          onChange={(e) => setAckNote(e.target.value)}
          data-testid="ack-note"
        />
      </Modal>

      <Modal
        open={issuing}
        title={t('terminal.issue.title')}
        okText={t('terminal.issue.send')}
        okButtonProps={{ 'data-testid': 'issue-send' }}
        cancelText={t('common.cancel')}
        confirmLoading={issue.isPending}
        onCancel={() => setIssuing(false)}
        onOk={() => void issueForm.validateFields().then((v) => issue.mutate(v))}
        forceRender
        width={620}
      >
        {issueGeneral !== null && (
          <Alert type="error" showIcon title={issueGeneral} style={{ marginBottom: 12 }} data-testid="issue-error" />
        )}
        <Form form={issueForm} layout="vertical" data-testid="issue-form">
          <Form.Item name="scope" label={t('terminal.issue.scope')} rules={[{ required: true }]}>
            <Radio.Group
              options={(['container', 'bill'] as const).map((s) => ({ value: s, label: t(`terminal.scope.${s}`) }))}
              data-testid="issue-scope"
            />
          </Form.Item>
          <Form.Item
            name="subject"
            label={t('terminal.issue.subject')}
            rules={[{ required: true, whitespace: true, message: t('terminal.form.required', { field: t('terminal.issue.subject') }) }]}
          >
            <Input maxLength={35} data-testid="issue-subject" />
          </Form.Item>
          <Form.Item
            name="portCallId"
            label={t('terminal.col.portCall')}
            rules={[{ required: true, message: t('terminal.form.required', { field: t('terminal.col.portCall') }) }]}
          >
            <Select showSearch={{ optionFilterProp: 'label' }} options={callOptions} data-testid="issue-port-call" />
          </Form.Item>
          <Form.Item
            name="code"
            label={t('terminal.col.code')}
            rules={[{ required: true, message: t('terminal.form.required', { field: t('terminal.col.code') }) }]}
          >
            <Select
              options={INSTRUCTION_CODES.map((c) => ({ value: c, label: `${c} — ${t(`terminal.code.${c}`)}` }))}
              data-testid="issue-code"
            />
          </Form.Item>
          <Space size="large" wrap>
            <Form.Item
              name="sendTime"
              label={t('terminal.col.sendTime')}
              extra={t('terminal.issue.sendTimeHint', { zone: timeZone })}
              rules={[{ required: true, message: t('terminal.form.required', { field: t('terminal.col.sendTime') }) }]}
            >
              <DatePicker showTime format={SECONDS_FORMAT} style={{ width: 240 }} data-testid="issue-send-time" />
            </Form.Item>
            <Form.Item name="direction" label={t('terminal.col.direction')} extra={t('terminal.issue.directionHint')}>
              <Select
                allowClear
                style={{ width: 160 }}
                options={(['import', 'export'] as const).map((d) => ({ value: d, label: t(`terminal.direction.${d}`) }))}
              />
            </Form.Item>
          </Space>
          <Form.Item name="declarationId" label={t('terminal.col.declaration')}>
            <Input maxLength={40} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
};

export default InstructionsPage;
