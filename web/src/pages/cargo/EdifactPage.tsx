import { CheckCircleOutlined, CloseCircleOutlined, InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Empty, Flex, Select, Skeleton, Spin, Table, Tag, Typography, Upload } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { useSession } from '../../auth/session.tsx';
import { DataTable, type DataColumn } from '../../components/DataTable.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { usePrefs } from '../../lib/prefs-context.tsx';
import { fetchInterchange, fetchInterchangesPage, fetchRecentCalls, uploadInterchange } from './api.ts';
import { formatBytes, messageStatus, STATUS_COLORS, uploadSummary } from './model.ts';
import { EDIFACT_MAX_BYTES, type EdiIssue, type EdiMessageResult, type EdiRejection, type Interchange } from './types.ts';

const UPLOAD_ROUTE = 'POST /api/v1/edifact/interchanges';

/** Errors and warnings with the segment number and tag they point at. */
const IssueTable = ({ issues, kind }: { issues: EdiIssue[]; kind: 'error' | 'warning' }) => {
  const { t } = useTranslation();
  const columns: TableColumnsType<EdiIssue & { key: number }> = [
    { key: 'segment', title: t('cargo.edi.segment'), width: 90, align: 'right', render: (_, i) => i.segment ?? '—' },
    {
      key: 'tag',
      title: t('cargo.edi.tag'),
      width: 70,
      render: (_, i) => (i.tag === null ? '—' : <Typography.Text code>{i.tag}</Typography.Text>),
    },
    {
      key: 'code',
      title: t('cargo.edi.code'),
      width: 220,
      render: (_, i) => <Tag color={kind === 'error' ? 'red' : 'gold'}>{i.code}</Tag>,
    },
    { key: 'message', title: t('cargo.edi.message'), render: (_, i) => i.message },
  ];
  return (
    <Table
      size="small"
      rowKey="key"
      columns={columns}
      dataSource={issues.map((i, key) => ({ ...i, key }))}
      pagination={false}
      data-testid={`edi-${kind}s`}
    />
  );
};

const rejectionsOf = (m: EdiMessageResult): EdiRejection[] => m.outcome?.events?.rejections ?? [];

/** Terminal events the ingest refused, each with its reason. */
const RejectionTable = ({ rejections }: { rejections: EdiRejection[] }) => {
  const { t } = useTranslation();
  const columns: TableColumnsType<EdiRejection & { key: number }> = [
    { key: 'eventId', title: t('cargo.edi.eventId'), width: 200, render: (_, r) => r.eventId ?? '—' },
    { key: 'code', title: t('cargo.edi.code'), width: 220, render: (_, r) => <Tag color="orange">{r.code}</Tag> },
    { key: 'reason', title: t('cargo.edi.reason'), render: (_, r) => r.reason },
  ];
  return (
    <Table
      size="small"
      rowKey="key"
      columns={columns}
      dataSource={rejections.map((r, key) => ({ ...r, key }))}
      pagination={false}
      title={() => t('cargo.edi.rejections')}
      data-testid="edi-rejections"
    />
  );
};

/** What the server did with one interchange: its envelope, and each message with its outcome. */
const InterchangeResult = ({ x }: { x: Interchange }) => {
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const messages = x.messages;
  const summary = uploadSummary(messages)
    .map(([status, count]) => t('cargo.edi.summaryPart', { count, status: t(`cargo.edi.statusValue.${status}`) }))
    .join(t('table.listSep'));

  const outcomeText = (m: EdiMessageResult): string => {
    const o = m.outcome;
    const parts = [
      o?.events === undefined || o.events === null
        ? null
        : t('cargo.edi.eventsValue', { accepted: o.events.accepted, duplicates: o.events.duplicates, rejected: o.events.rejected }),
      o?.reason ?? null,
    ].filter((p) => p !== null && p !== '');
    return parts.join(' · ');
  };

  const columns: TableColumnsType<EdiMessageResult & { key: string }> = [
    {
      key: 'type',
      title: t('cargo.edi.type'),
      width: 110,
      render: (_, m) => (
        <Typography.Text strong data-testid="edi-message-type">
          {m.type}
        </Typography.Text>
      ),
    },
    { key: 'version', title: t('cargo.edi.version'), width: 90, render: (_, m) => m.version },
    { key: 'ref', title: t('cargo.edi.ref'), width: 120, render: (_, m) => <Typography.Text code>{m.ref}</Typography.Text> },
    { key: 'segments', title: t('cargo.edi.segments'), width: 80, align: 'right', render: (_, m) => m.segmentCount },
    { key: 'boxes', title: t('cargo.col.boxes'), width: 70, align: 'right', render: (_, m) => m.equipmentCount },
    {
      key: 'status',
      title: t('cargo.edi.status'),
      width: 120,
      render: (_, m) => {
        const s = messageStatus(m);
        return (
          <Tag color={STATUS_COLORS[s]} data-testid="edi-message-status" data-status={s}>
            {t(`cargo.edi.statusValue.${s}`)}
          </Tag>
        );
      },
    },
    {
      key: 'outcome',
      title: t('cargo.edi.outcome'),
      render: (_, m) => (
        <Flex vertical>
          {m.outcome?.manifestId !== undefined && m.outcome.manifestId !== null && (
            <Link to={`/manifests/${encodeURIComponent(m.outcome.manifestId)}`}>{t('cargo.edi.openManifest')}</Link>
          )}
          <Typography.Text type="secondary">{outcomeText(m) || '—'}</Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'issues',
      title: t('cargo.edi.issues'),
      width: 150,
      render: (_, m) => (
        <Flex gap={4} wrap>
          {m.errors.length > 0 && <Tag color="red">{t('cargo.edi.errorsCount', { count: m.errors.length })}</Tag>}
          {m.warnings.length > 0 && <Tag color="gold">{t('cargo.edi.warningsCount', { count: m.warnings.length })}</Tag>}
          {rejectionsOf(m).length > 0 && <Tag color="orange">{t('cargo.edi.rejections')}</Tag>}
          {m.errors.length === 0 && m.warnings.length === 0 && rejectionsOf(m).length === 0 && (
            <Typography.Text type="secondary">—</Typography.Text>
          )}
        </Flex>
      ),
    },
  ];

  return (
    <Flex vertical gap={12} data-testid="edi-result">
      <Flex gap={12} align="center" wrap>
        {x.ok ? (
          <CheckCircleOutlined style={{ color: '#389e0d', fontSize: 20 }} />
        ) : (
          <CloseCircleOutlined style={{ color: '#cf1322', fontSize: 20 }} />
        )}
        <Typography.Title level={5} style={{ margin: 0 }} data-testid="edi-result-file">
          {x.fileName ?? '—'}
        </Typography.Title>
        <Tag color={x.ok ? 'green' : 'red'} data-testid="edi-result-ok">
          {x.ok ? t('cargo.edi.ok') : t('cargo.edi.notOk')}
        </Tag>
        <Typography.Text type="secondary" data-testid="edi-result-summary">
          {t('cargo.edi.summary', { total: messages.length, parts: summary })}
        </Typography.Text>
      </Flex>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, lg: 4 }}
        items={[
          { key: 'size', label: t('cargo.edi.size'), children: formatBytes(x.sizeBytes) },
          { key: 'received', label: t('cargo.edi.receivedAt'), children: formatDateTime(x.receivedAt, lang, timeZone) },
          { key: 'ref', label: t('cargo.edi.controlRef'), children: x.controlRef ?? '—' },
          { key: 'messages', label: t('cargo.edi.messages'), children: messages.length },
        ]}
      />
      {x.errors.length > 0 && (
        <Alert
          type="error"
          showIcon
          title={t('cargo.edi.interchangeErrors', { count: x.errors.length })}
          description={<IssueTable issues={x.errors} kind="error" />}
          data-testid="edi-interchange-errors"
        />
      )}
      <Table<EdiMessageResult & { key: string }>
        size="small"
        rowKey="key"
        columns={columns}
        dataSource={messages.map((m, i) => ({ ...m, key: `${i}:${m.ref}` }))}
        pagination={false}
        tableLayout="fixed"
        scroll={{ x: 1000 }}
        data-testid="edi-messages"
        expandable={{
          rowExpandable: (m) => m.errors.length > 0 || m.warnings.length > 0 || rejectionsOf(m).length > 0,
          expandedRowRender: (m) => (
            <Flex vertical gap={8}>
              {m.errors.length > 0 && <IssueTable issues={m.errors} kind="error" />}
              {m.warnings.length > 0 && <IssueTable issues={m.warnings} kind="warning" />}
              {rejectionsOf(m).length > 0 && <RejectionTable rejections={rejectionsOf(m)} />}
            </Flex>
          ),
        }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cargo.edi.noMessages')} /> }}
      />
    </Flex>
  );
};

/** /edifact — upload an EDIFACT interchange (read in the browser, sent raw) and see what became of each message; earlier uploads below. */
const EdifactPage = () => {
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const { can } = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [sending, setSending] = useState<string | null>(null);
  const [failure, setFailure] = useState<{ fileName: string; text: string } | null>(null);
  const [uploaded, setUploaded] = useState<Interchange | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [portCallId, setPortCallId] = useState<string | undefined>(undefined);
  const canListCalls = can('GET /api/v1/port-calls');
  const callsQ = useQuery({ queryKey: ['edifact', 'calls'], queryFn: fetchRecentCalls, enabled: canListCalls && can(UPLOAD_ROUTE) });

  const selectedQ = useQuery({
    queryKey: ['edifact', 'interchange', selectedId],
    queryFn: () => fetchInterchange(selectedId ?? ''),
    enabled: selectedId !== null && selectedId !== uploaded?.id,
  });
  const shown = selectedId === null || selectedId === uploaded?.id ? uploaded : (selectedQ.data ?? null);

  const send = async (file: File) => {
    setFailure(null);
    if (file.size > EDIFACT_MAX_BYTES) {
      setFailure({
        fileName: file.name,
        text: t('cargo.edi.tooLarge', { size: formatBytes(file.size), max: formatBytes(EDIFACT_MAX_BYTES) }),
      });
      return;
    }
    setSending(file.name);
    try {
      const bytes = await file.arrayBuffer();
      const result = await uploadInterchange(new Blob([bytes]), file.name, portCallId);
      setUploaded(result);
      setSelectedId(result.id);
      void message.success(t('cargo.edi.uploaded', { file: file.name }));
      void queryClient.invalidateQueries({ queryKey: ['edifact', 'list'] });
    } catch (e) {
      const text =
        e instanceof ApiError && e.status === 413
          ? t('cargo.edi.tooLarge', { size: formatBytes(file.size), max: formatBytes(EDIFACT_MAX_BYTES) })
          : e instanceof Error
            ? e.message
            : String(e);
      setFailure({ fileName: file.name, text });
    } finally {
      setSending(null);
    }
  };

  const columns: DataColumn<Interchange>[] = [
    { key: 'fileName', title: t('cargo.edi.fileName'), width: 240, hideable: false },
    {
      key: 'receivedAt',
      title: t('cargo.edi.receivedAt'),
      width: 160,
      render: (x) => formatDateTime(x.receivedAt, lang, timeZone),
      exportValue: (x) => formatDateTime(x.receivedAt, lang, timeZone),
    },
    {
      key: 'sizeBytes',
      title: t('cargo.edi.size'),
      width: 100,
      align: 'right',
      render: (x) => formatBytes(x.sizeBytes),
      exportValue: (x) => x.sizeBytes,
    },
    { key: 'controlRef', title: t('cargo.edi.controlRef'), width: 140 },
    {
      key: 'ok',
      title: t('cargo.edi.status'),
      width: 110,
      render: (x) => <Tag color={x.ok ? 'green' : 'red'}>{x.ok ? t('cargo.edi.ok') : t('cargo.edi.notOk')}</Tag>,
      exportValue: (x) => (x.ok ? t('cargo.edi.ok') : t('cargo.edi.notOk')),
    },
    {
      key: 'messages',
      title: t('cargo.edi.messages'),
      width: 100,
      align: 'right',
      render: (x) => x.messages.length,
      exportValue: (x) => x.messages.length,
    },
  ];

  return (
    <Flex vertical gap={16} data-testid="edifact-page">
      {can(UPLOAD_ROUTE) && (
        <Card
          title={t('cargo.edi.uploadTitle')}
          size="small"
          extra={
            canListCalls && (
              <Select<string>
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('cargo.edi.callPlaceholder')}
                aria-label={t('cargo.edi.callPlaceholder')}
                value={portCallId}
                onChange={(v) => setPortCallId(v)}
                loading={callsQ.isLoading}
                style={{ width: 320 }}
                popupMatchSelectWidth={false}
                data-testid="edi-port-call"
                options={(callsQ.data ?? []).map((c) => ({
                  value: c.id,
                  label: `${c.vessel.name} · ${c.voyage} · ${c.portLocode}`,
                }))}
              />
            )
          }
        >
          <div data-testid="edi-upload">
            <Spin spinning={sending !== null} description={sending === null ? undefined : t('cargo.edi.sending', { file: sending })}>
              <Upload.Dragger
                accept=".edi,.edifact,.txt,.dat"
                multiple={false}
                showUploadList={false}
                beforeUpload={(file) => {
                  void send(file);
                  // we send the file ourselves, raw; antd must not post it as a form
                  return false;
                }}
                disabled={sending !== null}
              >
                <p className="ant-upload-drag-icon">
                  <InboxOutlined />
                </p>
                <p className="ant-upload-text">{t('cargo.edi.drop')}</p>
                <p className="ant-upload-hint">{t('cargo.edi.dropHint', { max: formatBytes(EDIFACT_MAX_BYTES) })}</p>
              </Upload.Dragger>
            </Spin>
          </div>
          {failure !== null && (
            <Alert
              style={{ marginTop: 12 }}
              type="error"
              showIcon
              closable={{ onClose: () => setFailure(null) }}
              title={t('cargo.edi.failed', { file: failure.fileName })}
              description={failure.text}
              data-testid="edi-upload-failed"
            />
          )}
        </Card>
      )}

      {(shown !== null || selectedId !== null) && (
        <Card title={t('cargo.edi.resultTitle')} size="small">
          {shown !== null ? (
            <InterchangeResult x={shown} />
          ) : selectedQ.isError ? (
            <Alert
              type="error"
              showIcon
              title={t('cargo.edi.loadFailed')}
              description={selectedQ.error.message}
              action={
                <Button icon={<ReloadOutlined />} onClick={() => void selectedQ.refetch()}>
                  {t('common.retry')}
                </Button>
              }
            />
          ) : (
            <Skeleton active paragraph={{ rows: 4 }} />
          )}
        </Card>
      )}

      <Card title={t('cargo.edi.listTitle')} size="small">
        <DataTable<Interchange>
          queryKey={['edifact', 'list']}
          fetchPage={(p) => fetchInterchangesPage({ ...p.filters }, p)}
          columns={columns}
          rowKey="id"
          search={false}
          exportName="edifact-interchanges"
          exportSheetName={t('cargo.edi.listTitle')}
          tableId="edifact-interchanges"
          onRowClick={(x) => setSelectedId(x.id)}
        />
      </Card>
    </Flex>
  );
};

export default EdifactPage;
