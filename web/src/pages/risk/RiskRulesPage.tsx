import { CloudUploadOutlined, ExperimentOutlined, ReloadOutlined, UndoOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Flex,
  Form,
  Input,
  Modal,
  Result,
  Skeleton,
  Space,
  Statistic,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { useSession } from '../../auth/session.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { usePrefs } from '../../lib/prefs-context.tsx';
import { DATE_TIME_FORMAT, pickedIso } from '../port-calls/ui.tsx';
import { dryRunRuleSet, fetchCurrentRuleSet, fetchRuleSets, publishRuleSet } from './api.ts';
import { DryRunChart } from './DryRunChart.tsx';
import {
  channelBars,
  emptyRuleSet,
  fingerprint,
  hasProblems,
  noProblems,
  placeProblems,
  versionStatus,
  type DocumentProblems,
} from './model.ts';
import { ChannelTag, RuleSetEditor } from './RuleSetEditor.tsx';
import type { DryRunResult, RiskPolicy, RiskRuleSet } from './types.ts';

const STATUS_COLORS = { 'in-force': 'green', scheduled: 'blue', superseded: 'default' } as const;

type PublishValues = { effectiveFrom?: Dayjs | null; note: string };

/**
 * /risk-rules — the customs risk rule set: the version in force and its history, a draft edited
 * from it, a dry run of the draft over past declarations, and publishing (analysts) once the
 * very draft on screen has been dry-run.
 */
const RiskRulesPage = () => {
  const { t, i18n } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const { message } = App.useApp();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const canPublish = can('POST /api/v1/risk/rule-sets');
  const time = (iso: string | null | undefined) => formatDateTime(iso ?? null, lang, timeZone);
  const zh = i18n.language.startsWith('zh');

  const currentQ = useQuery({ queryKey: ['risk', 'current'], queryFn: fetchCurrentRuleSet, retry: false });
  const versionsQ = useQuery({ queryKey: ['risk', 'versions'], queryFn: fetchRuleSets });

  const [draft, setDraft] = useState<RiskRuleSet | null>(null);
  const [base, setBase] = useState<RiskPolicy | null>(null);
  const [problems, setProblems] = useState<DocumentProblems>(noProblems);
  const [dry, setDry] = useState<{ result: DryRunResult; of: string } | null>(null);
  const [span, setSpan] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [publishing, setPublishing] = useState(false);
  const [publishForm] = Form.useForm<PublishValues>();

  // The draft starts as the version in force, once it is known (empty when none is: 422).
  const noneInForce = currentQ.error instanceof ApiError && currentQ.error.status === 422;
  if (draft === null && currentQ.data !== undefined) {
    setDraft(structuredClone(currentQ.data.document));
    setBase(currentQ.data);
  } else if (draft === null && noneInForce) {
    setDraft(emptyRuleSet());
  }

  const startFrom = (p: RiskPolicy) => {
    setDraft(structuredClone(p.document));
    setBase(p);
    setProblems(noProblems());
    setDry(null);
  };

  const refused = (err: Error) => {
    if (err instanceof ApiError && err.status === 409) {
      void message.warning(t('risk.conflict'));
      void queryClient.invalidateQueries({ queryKey: ['risk'] });
      return;
    }
    if (err instanceof ApiError && err.details.length > 0) {
      setProblems(placeProblems(err.details));
    }
    void message.error(err instanceof ApiError ? t('risk.refused', { message: err.message }) : err.message);
  };

  const dryRunM = useMutation({
    mutationFn: (doc: RiskRuleSet) =>
      dryRunRuleSet({
        document: doc,
        ...(span?.[0] ? { from: pickedIso(span[0], timeZone) } : {}),
        ...(span?.[1] ? { to: pickedIso(span[1], timeZone) } : {}),
      }),
    onSuccess: (result, doc) => {
      setProblems(noProblems());
      setDry({ result, of: fingerprint(doc) });
    },
    onError: (err) => {
      setDry(null);
      refused(err);
    },
  });

  const publishM = useMutation({
    mutationFn: ({ doc, values }: { doc: RiskRuleSet; values: PublishValues }) => {
      const effectiveFrom = pickedIso(values.effectiveFrom, timeZone);
      return publishRuleSet({ document: doc, note: values.note.trim(), ...(effectiveFrom !== undefined ? { effectiveFrom } : {}) });
    },
    onSuccess: (p) => {
      void message.success(t('risk.publish.done', { version: p.version, at: time(p.effectiveFrom) }));
      setPublishing(false);
      publishForm.resetFields();
      startFrom(p);
      void queryClient.invalidateQueries({ queryKey: ['risk'] });
    },
    onError: (err) => {
      if (err instanceof ApiError) {
        const onForm = err.details.filter((d) => d.path === '/effectiveFrom' || d.path === '/note');
        if (onForm.length > 0) {
          publishForm.setFields(onForm.map((d) => ({ name: d.path.slice(1) as keyof PublishValues, errors: [d.message] })));
          return;
        }
        setPublishing(false);
      }
      refused(err);
    },
  });

  const draftPrint = useMemo(() => (draft === null ? '' : fingerprint(draft)), [draft]);
  const changed = draft !== null && base !== null && draftPrint !== fingerprint(base.document);
  const dryFresh = dry !== null && dry.of === draftPrint;
  const channelLabel = useCallback((c: string) => t(`risk.channel.${c}`, { defaultValue: c }), [t]);
  const bars = useMemo(() => (dry === null ? [] : channelBars(dry.result)), [dry]);

  if (currentQ.isError && !noneInForce) {
    return (
      <Result
        status="warning"
        title={t('risk.loadFailed')}
        subTitle={currentQ.error.message}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void currentQ.refetch()}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }
  if (draft === null) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    );
  }

  const current = currentQ.data;
  const versions = [...(versionsQ.data ?? [])].sort((a, b) => b.version - a.version);
  const now = new Date();

  return (
    <Flex vertical gap={16} data-testid="risk-rules-page">
      <Card>
        <Flex justify="space-between" align="baseline" wrap gap={8}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('risk.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('risk.hint')}</Typography.Text>
        </Flex>
        {noneInForce && <Alert type="warning" showIcon title={t('risk.noneInForce')} style={{ marginTop: 12 }} />}
        {current !== undefined && (
          <>
            <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginTop: 12 }} data-testid="risk-current">
              <Descriptions.Item label={t('risk.version.inForce')}>
                <Tag color="green" data-testid="risk-current-version">
                  v{current.version}
                </Tag>
              </Descriptions.Item>
              <Descriptions.Item label={t('risk.version.effectiveFrom')}>{time(current.effectiveFrom)}</Descriptions.Item>
              <Descriptions.Item label={t('risk.version.rules')}>{current.document.rules.length}</Descriptions.Item>
            </Descriptions>
            {current.note !== '' && <Typography.Paragraph type="secondary">{current.note}</Typography.Paragraph>}
          </>
        )}
        <Table<RiskPolicy>
          size="small"
          style={{ marginTop: 8 }}
          data-testid="risk-versions"
          rowKey={(p) => String(p.version)}
          loading={versionsQ.isLoading}
          dataSource={versions}
          pagination={versions.length > 5 ? { pageSize: 5, size: 'small' } : false}
          columns={[
            { key: 'version', title: t('risk.version.version'), width: 80, render: (_v, p) => `v${p.version}` },
            {
              key: 'status',
              title: t('risk.version.status'),
              width: 110,
              render: (_v, p) => {
                const s = versionStatus(p, current?.id, now);
                return <Tag color={STATUS_COLORS[s]}>{t(`risk.version.${s}`)}</Tag>;
              },
            },
            { key: 'effectiveFrom', title: t('risk.version.effectiveFrom'), width: 170, render: (_v, p) => time(p.effectiveFrom) },
            { key: 'rules', title: t('risk.version.rules'), width: 80, render: (_v, p) => p.document.rules.length },
            { key: 'note', title: t('risk.version.note'), ellipsis: true, render: (_v, p) => p.note || '—' },
            { key: 'publishedAt', title: t('risk.version.publishedAt'), width: 170, render: (_v, p) => time(p.createdAt) },
            {
              key: 'load',
              title: '',
              width: 130,
              render: (_v, p) => (
                <Button size="small" onClick={() => startFrom(p)} data-testid={`risk-load-${p.version}`}>
                  {t('risk.version.load')}
                </Button>
              ),
            },
          ]}
        />
      </Card>

      <Card
        title={
          <Space>
            {t('risk.draft.title', { version: base?.version ?? '—' })}
            {changed && (
              <Tag color="orange" data-testid="draft-changed">
                {t('risk.draft.changed')}
              </Tag>
            )}
          </Space>
        }
        extra={
          current !== undefined && (
            <Button icon={<UndoOutlined />} disabled={!changed && base?.id === current.id} onClick={() => startFrom(current)}>
              {t('risk.draft.reset')}
            </Button>
          )
        }
      >
        {problems.general.length > 0 && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            title={problems.general.map((p) => `${p.path}: ${p.message}`).join('; ')}
            data-testid="draft-problems"
          />
        )}
        <RuleSetEditor draft={draft} problems={problems} editable onChange={setDraft} onProblems={setProblems} />
      </Card>

      <Card title={t('risk.dryRun.title')} data-testid="dry-run-card">
        <Flex gap={12} wrap align="center">
          <DatePicker.RangePicker
            showTime={{ format: 'HH:mm' }}
            format={DATE_TIME_FORMAT}
            allowEmpty={[true, true]}
            value={span}
            onChange={(v) => setSpan(v === null ? null : [v[0] ?? null, v[1] ?? null])}
            placeholder={[t('risk.dryRun.from'), t('risk.dryRun.to')]}
          />
          <Button
            type="primary"
            icon={<ExperimentOutlined />}
            loading={dryRunM.isPending}
            onClick={() => dryRunM.mutate(draft)}
            data-testid="dry-run-button"
          >
            {t('risk.dryRun.run')}
          </Button>
          {canPublish && (
            <Tooltip title={dryFresh ? undefined : t('risk.publish.needsDryRun')}>
              <Button
                icon={<CloudUploadOutlined />}
                disabled={!dryFresh || hasProblems(problems)}
                onClick={() => setPublishing(true)}
                data-testid="publish-button"
              >
                {t('risk.publish.button')}
              </Button>
            </Tooltip>
          )}
          {dry !== null && !dryFresh && (
            <Tag color="orange" data-testid="dry-run-stale">
              {t('risk.dryRun.stale')}
            </Tag>
          )}
        </Flex>
        {dry === null ? (
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
            {t('risk.dryRun.hint')}
          </Typography.Paragraph>
        ) : (
          <Flex vertical gap={12} style={{ marginTop: 16 }} data-testid="dry-run-result">
            <Space size={48} wrap>
              <Statistic title={t('risk.dryRun.total')} value={dry.result.total} data-testid="dry-run-total" />
              <Statistic title={t('risk.dryRun.changedCount')} value={dry.result.changedCount} data-testid="dry-run-changed-count" />
              <Statistic title={t('risk.dryRun.skipped')} value={dry.result.skipped} />
              <Statistic title={t('risk.dryRun.draftVersion')} value={`v${dry.result.draftVersion}`} />
              <Typography.Text type="secondary">
                {t('risk.dryRun.window', {
                  from: dry.result.window.from === null ? t('risk.dryRun.beginning') : time(dry.result.window.from),
                  to: time(dry.result.window.to),
                })}
              </Typography.Text>
            </Space>
            <DryRunChart
              bars={bars}
              channelLabel={channelLabel}
              currentLabel={t('risk.dryRun.current')}
              draftLabel={t('risk.dryRun.draft')}
            />
            <Table
              size="small"
              data-testid="dry-run-counts"
              rowKey="channel"
              pagination={false}
              dataSource={bars}
              columns={[
                { key: 'channel', title: t('risk.rule.channel'), render: (_v, b) => <ChannelTag channel={b.channel} /> },
                { key: 'current', title: t('risk.dryRun.current'), align: 'right', render: (_v, b) => b.current },
                { key: 'draft', title: t('risk.dryRun.draft'), align: 'right', render: (_v, b) => b.draft },
                {
                  key: 'delta',
                  title: t('risk.dryRun.delta'),
                  align: 'right',
                  render: (_v, b) => {
                    const d = b.draft - b.current;
                    return (
                      <Typography.Text type={d > 0 ? 'danger' : d < 0 ? 'success' : 'secondary'}>{d > 0 ? `+${d}` : d}</Typography.Text>
                    );
                  },
                },
              ]}
            />
            <Typography.Title level={5} style={{ margin: 0 }}>
              {t('risk.dryRun.changedTitle')}
              {dry.result.changedCount > dry.result.changed.length && (
                <Typography.Text type="secondary" style={{ fontWeight: 'normal', marginInlineStart: 8 }}>
                  {t('risk.dryRun.firstOf', { shown: dry.result.changed.length, total: dry.result.changedCount })}
                </Typography.Text>
              )}
            </Typography.Title>
            <Table
              size="small"
              data-testid="dry-run-changed"
              rowKey="declarationId"
              dataSource={dry.result.changed}
              pagination={{ pageSize: 20, size: 'small', hideOnSinglePage: true }}
              locale={{ emptyText: t('risk.dryRun.noChange') }}
              columns={[
                {
                  key: 'declaration',
                  title: t('risk.dryRun.declaration'),
                  width: 300,
                  render: (_v, c) => (
                    <Link to={`/declarations/${encodeURIComponent(c.declarationId)}`}>
                      <Typography.Text code>{c.entryId ?? c.declarationId}</Typography.Text>
                    </Link>
                  ),
                },
                {
                  key: 'change',
                  title: t('risk.dryRun.change'),
                  width: 300,
                  render: (_v, c) => (
                    <Space size={4}>
                      <ChannelTag channel={c.from} />→<ChannelTag channel={c.to} />
                    </Space>
                  ),
                },
                {
                  key: 'fired',
                  title: t('risk.dryRun.fired'),
                  render: (_v, c) =>
                    c.fired.length === 0 ? (
                      <Typography.Text type="secondary">{t('risk.dryRun.noneFired')}</Typography.Text>
                    ) : (
                      <Flex wrap gap={4}>
                        {c.fired.map((f) => (
                          <Tooltip key={f.ruleId} title={`${zh ? f.reasonZh : f.reasonEn} — ${f.detail}`}>
                            <Tag data-testid="fired-rule">{f.ruleId}</Tag>
                          </Tooltip>
                        ))}
                      </Flex>
                    ),
                },
              ]}
            />
          </Flex>
        )}
      </Card>

      <Modal
        open={publishing}
        title={t('risk.publish.title', { version: dry?.result.draftVersion ?? '' })}
        okText={t('risk.publish.confirm')}
        cancelText={t('common.cancel')}
        confirmLoading={publishM.isPending}
        onCancel={() => setPublishing(false)}
        onOk={() => void publishForm.validateFields().then((values) => publishM.mutate({ doc: draft, values }))}
        okButtonProps={{ 'data-testid': 'publish-confirm' }}
        forceRender
      >
        <Form form={publishForm} layout="vertical">
          <Form.Item
            name="effectiveFrom"
            label={t('risk.publish.effectiveFrom')}
            extra={t('risk.publish.effectiveFromHint', { zone: timeZone })}
          >
            <DatePicker
              showTime={{ format: 'HH:mm' }}
              format={DATE_TIME_FORMAT}
              style={{ width: '100%' }}
              data-testid="publish-effective-from"
            />
          </Form.Item>
          <Form.Item
            name="note"
            label={t('risk.publish.note')}
            rules={[{ required: true, whitespace: true, message: t('risk.form.required', { field: t('risk.publish.note') }) }]}
          >
            <Input.TextArea maxLength={500} autoSize={{ minRows: 2 }} data-testid="publish-note" />
          </Form.Item>
        </Form>
      </Modal>
    </Flex>
  );
};

export default RiskRulesPage;
