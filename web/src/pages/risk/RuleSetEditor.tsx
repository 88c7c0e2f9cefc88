import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  conditionOffset,
  emptyRule,
  percentToRate,
  putRule,
  rateToPercent,
  removeAt,
  ruleIdPattern,
  shiftProblems,
  splitAt,
  type DocumentProblems,
  type RowProblems,
} from './model.ts';
import { CREDIT_CLASSES, RISK_CHANNELS, type RiskChannel, type RiskRule, type RiskRuleSet } from './types.ts';

export const CHANNEL_COLORS: Record<RiskChannel, string> = {
  release: 'green',
  'document-review': 'blue',
  'machine-scan': 'gold',
  'manual-inspection': 'orange',
  'machine-then-manual': 'red',
};

export const ChannelTag = ({ channel }: { channel: RiskChannel }) => {
  const { t } = useTranslation();
  return (
    <Tag color={CHANNEL_COLORS[channel] ?? 'default'} data-testid="channel-tag">
      {t(`risk.channel.${channel}`, { defaultValue: channel })}
    </Tag>
  );
};

/** The condition with the character the parser stopped at marked, and the parser's message. */
const ConditionProblem = ({ condition, messages, index }: { condition: string; messages: string[]; index: number }) => {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={4} data-testid={`rule-error-${index}`}>
      {messages.map((m) => {
        const offset = conditionOffset(m);
        const cut = offset === null ? null : splitAt(condition, offset);
        return (
          <div key={m}>
            <Typography.Text type="danger">{m}</Typography.Text>
            {cut !== null && (
              <div>
                <Typography.Text code>
                  {cut.before}
                  <mark style={{ background: '#ffccc7', padding: 0 }}>{cut.at === '' ? '␣' : cut.at}</mark>
                  {cut.after}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
                  {t('risk.rule.atOffset', { offset })}
                </Typography.Text>
              </div>
            )}
          </div>
        );
      })}
    </Flex>
  );
};

type RuleForm = Omit<RiskRule, 'enabled'> & { enabled: boolean };

const RuleModal = ({
  open,
  rule,
  index,
  otherIds,
  problems,
  onCancel,
  onSave,
}: {
  open: boolean;
  rule: RiskRule;
  index: number;
  otherIds: string[];
  problems: RowProblems | undefined;
  onCancel: () => void;
  onSave: (r: RiskRule) => void;
}) => {
  const { t } = useTranslation();
  const [form] = Form.useForm<RuleForm>();

  useEffect(() => {
    if (!open) {
      return;
    }
    form.setFieldsValue({ ...rule, enabled: rule.enabled !== false });
    // the server's last word on this row, on its fields, until the user changes them
    const fields = Object.entries(problems ?? {})
      .filter(([name]) => ['id', 'condition', 'channel', 'reasonZh', 'reasonEn'].includes(name))
      .map(([name, errors]) => ({ name: name as keyof RuleForm, errors }));
    if (fields.length > 0) {
      form.setFields(fields);
    }
  }, [open, rule, problems, form]);

  const required = (label: string) => ({ required: true, whitespace: true, message: t('risk.form.required', { field: label }) });

  return (
    <Modal
      open={open}
      title={index < 0 ? t('risk.rule.add') : t('risk.rule.edit', { id: rule.id })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onCancel={onCancel}
      onOk={() => void form.validateFields().then((v) => onSave({ ...v, enabled: v.enabled }))}
      okButtonProps={{ 'data-testid': 'rule-save' }}
      width={720}
      forceRender
    >
      <Form form={form} layout="vertical" data-testid="rule-form">
        <Form.Item
          name="id"
          label={t('risk.rule.id')}
          extra={t('risk.rule.idHint')}
          rules={[
            required(t('risk.rule.id')),
            { pattern: ruleIdPattern, message: t('risk.rule.idPattern') },
            {
              validator: (_r, v: string | undefined) =>
                v !== undefined && otherIds.includes(v.trim()) ? Promise.reject(new Error(t('risk.rule.idTaken'))) : Promise.resolve(),
            },
          ]}
        >
          <Input data-testid="rule-id" maxLength={64} />
        </Form.Item>
        <Form.Item name="condition" label={t('risk.rule.condition')} rules={[required(t('risk.rule.condition'))]}>
          <Input.TextArea
            data-testid="rule-condition"
            autoSize={{ minRows: 2, maxRows: 8 }}
            maxLength={2000}
            style={{ fontFamily: 'monospace' }}
            placeholder='hs startsWith "2601" and valuePerKg < refMin * 0.5'
          />
        </Form.Item>
        <Space size="large" wrap>
          <Form.Item name="channel" label={t('risk.rule.channel')} rules={[{ required: true }]}>
            <Select
              style={{ width: 220 }}
              data-testid="rule-channel"
              options={RISK_CHANNELS.map((c) => ({ value: c, label: t(`risk.channel.${c}`) }))}
            />
          </Form.Item>
          <Form.Item name="enabled" label={t('risk.rule.enabled')} valuePropName="checked">
            <Switch data-testid="rule-enabled" />
          </Form.Item>
        </Space>
        <Form.Item name="reasonZh" label={t('risk.rule.reasonZh')} rules={[required(t('risk.rule.reasonZh'))]}>
          <Input data-testid="rule-reason-zh" maxLength={300} />
        </Form.Item>
        <Form.Item name="reasonEn" label={t('risk.rule.reasonEn')} rules={[required(t('risk.rule.reasonEn'))]}>
          <Input data-testid="rule-reason-en" maxLength={300} />
        </Form.Item>
      </Form>
    </Modal>
  );
};

const SyntaxHelp = () => {
  const { t } = useTranslation();
  const docFields = [
    'direction',
    'procedure',
    'creditClass',
    'enterpriseCode',
    'customsCode',
    'tradeMode',
    'transMode',
    'rebate',
    'declaredGrossKg',
    'manifestedGrossKg',
    'manifestMatched',
    'weightDeviation',
    'itemCount',
    'totalValue',
    'totalNetKg',
    'sensitiveWords',
  ];
  const itemFields = ['hs', 'description', 'origin', 'netKg', 'value', 'valuePerKg', 'refMin', 'refMax', 'seq'];
  const examples = [
    'weightDeviation > 0.1',
    'hs startsWith ["2601", "7403"] and valuePerKg < refMin * 0.5',
    'description containsAny sensitiveWords',
    'creditClass = "discredited" and totalValue > 1000000',
    'not origin in ["AU", "BR"]',
  ];
  return (
    <Flex vertical gap={8} data-testid="syntax-help">
      <Typography.Paragraph style={{ margin: 0 }}>{t('risk.syntax.intro')}</Typography.Paragraph>
      <div>
        <Typography.Text strong>{t('risk.syntax.docFields')} </Typography.Text>
        {docFields.map((f) => (
          <Tag key={f}>{f}</Tag>
        ))}
      </div>
      <div>
        <Typography.Text strong>{t('risk.syntax.itemFields')} </Typography.Text>
        {itemFields.map((f) => (
          <Tag key={f} color="purple">
            {f}
          </Tag>
        ))}
      </div>
      <Typography.Text>
        <Typography.Text strong>{t('risk.syntax.operators')} </Typography.Text>
        <Typography.Text code>{'< <= > >= = != + - * / abs() min() max() in startsWith containsAny and or not ( )'}</Typography.Text>
      </Typography.Text>
      <Typography.Text type="secondary">{t('risk.syntax.items')}</Typography.Text>
      <Typography.Text type="secondary">{t('risk.syntax.missing')}</Typography.Text>
      <div>
        <Typography.Text strong>{t('risk.syntax.examples')}</Typography.Text>
        <ul style={{ margin: 0 }}>
          {examples.map((e) => (
            <li key={e}>
              <Typography.Text code>{e}</Typography.Text>
            </li>
          ))}
        </ul>
      </div>
    </Flex>
  );
};

/**
 * The draft rule set, section by section. Changes go to the parent as a new document; the
 * server's problems (from the last dry run or publish) show on the row or section they name.
 */
export const RuleSetEditor = ({
  draft,
  problems,
  editable,
  onChange,
  onProblems,
}: {
  draft: RiskRuleSet;
  problems: DocumentProblems;
  editable: boolean;
  onChange: (d: RiskRuleSet) => void;
  onProblems: (p: DocumentProblems) => void;
}) => {
  const { t, i18n } = useTranslation();
  const [editing, setEditing] = useState<{ index: number; rule: RiskRule } | null>(null);
  const [tab, setTab] = useState('rules');
  const zh = i18n.language.startsWith('zh');

  // problems in a section the user is not looking at: bring the first such section forward
  const problemTab =
    Object.keys(problems.rules).length > 0
      ? 'rules'
      : Object.keys(problems.referenceValues).length > 0
        ? 'reference'
        : problems.sensitiveWords.length > 0
          ? 'words'
          : problems.randomSelection.length > 0
            ? 'random'
            : null;
  const [lastProblemTab, setLastProblemTab] = useState<string | null>(null);
  if (problemTab !== lastProblemTab) {
    setLastProblemTab(problemTab);
    if (problemTab !== null) {
      setTab(problemTab);
    }
  }

  // bring the first refused rule into view (it may be far down a long set)
  const firstProblemRow = Object.keys(problems.rules)
    .map(Number)
    .sort((a, b) => a - b)[0];
  useEffect(() => {
    if (firstProblemRow !== undefined) {
      document.querySelector(`[data-row-key="rule-${firstProblemRow}"]`)?.scrollIntoView({ block: 'center' });
    }
  }, [firstProblemRow]);

  const saveRule = (index: number, rule: RiskRule) => {
    onChange(putRule(draft, index, rule));
    const rest = { ...problems.rules };
    delete rest[index];
    onProblems({ ...problems, rules: rest });
    setEditing(null);
  };
  const removeRule = (index: number) => {
    onChange({ ...draft, rules: removeAt(draft.rules, index) });
    onProblems({ ...problems, rules: shiftProblems(problems.rules, index) });
  };
  const toggleRule = (index: number, enabled: boolean) => {
    const rule = draft.rules[index];
    if (rule !== undefined) {
      onChange(putRule(draft, index, { ...rule, enabled }));
    }
  };

  const rulesTab = (
    <Flex vertical gap={8}>
      {editable && (
        <div>
          <Button
            icon={<PlusOutlined />}
            data-testid="rule-add"
            onClick={() => setEditing({ index: draft.rules.length, rule: emptyRule() })}
          >
            {t('risk.rule.add')}
          </Button>
        </div>
      )}
      <Table<RiskRule & { index: number }>
        size="small"
        data-testid="rules-table"
        rowKey={(r) => `rule-${r.index}`}
        dataSource={draft.rules.map((r, index) => ({ ...r, index }))}
        pagination={false}
        scroll={{ x: 1100 }}
        rowClassName={(r) => (problems.rules[r.index] !== undefined ? 'risk-rule-problem' : '')}
        onRow={(r) => (problems.rules[r.index] !== undefined ? { style: { background: '#fff1f0' } } : {})}
        columns={[
          {
            key: 'id',
            title: t('risk.rule.id'),
            width: 200,
            render: (_v, r) => (
              <Flex vertical>
                <Typography.Text code>{r.id}</Typography.Text>
                {(problems.rules[r.index]?.id ?? []).map((m) => (
                  <Typography.Text key={m} type="danger">
                    {m}
                  </Typography.Text>
                ))}
              </Flex>
            ),
          },
          {
            key: 'condition',
            title: t('risk.rule.condition'),
            render: (_v, r) => {
              const rowProblems = problems.rules[r.index];
              const messages = [...(rowProblems?.condition ?? []), ...(rowProblems?.row ?? [])];
              return (
                <Flex vertical gap={4}>
                  <Typography.Text style={{ fontFamily: 'monospace', whiteSpace: 'pre-wrap' }}>{r.condition}</Typography.Text>
                  {messages.length > 0 && <ConditionProblem condition={r.condition} messages={messages} index={r.index} />}
                </Flex>
              );
            },
          },
          {
            key: 'channel',
            title: t('risk.rule.channel'),
            width: 140,
            render: (_v, r) => <ChannelTag channel={r.channel} />,
          },
          {
            key: 'enabled',
            title: t('risk.rule.enabled'),
            width: 80,
            render: (_v, r) => (
              <Switch
                size="small"
                checked={r.enabled !== false}
                disabled={!editable}
                onChange={(on) => toggleRule(r.index, on)}
                data-testid={`rule-enabled-${r.index}`}
              />
            ),
          },
          {
            key: 'reason',
            title: t('risk.rule.reason'),
            width: 260,
            render: (_v, r) => (
              <Flex vertical>
                <Typography.Text>{zh ? r.reasonZh : r.reasonEn}</Typography.Text>
                <Typography.Text type="secondary">{zh ? r.reasonEn : r.reasonZh}</Typography.Text>
              </Flex>
            ),
          },
          ...(editable
            ? [
                {
                  key: 'actions',
                  title: '',
                  width: 90,
                  fixed: 'right' as const,
                  render: (_v: unknown, r: RiskRule & { index: number }) => (
                    <Space size={4}>
                      <Button
                        size="small"
                        type="text"
                        icon={<EditOutlined />}
                        aria-label={t('common.edit')}
                        data-testid={`rule-edit-${r.index}`}
                        onClick={() => setEditing({ index: r.index, rule: draft.rules[r.index] ?? emptyRule() })}
                      />
                      <Popconfirm title={t('risk.rule.removeConfirm', { id: r.id })} onConfirm={() => removeRule(r.index)}>
                        <Button
                          size="small"
                          type="text"
                          danger
                          icon={<DeleteOutlined />}
                          aria-label={t('risk.rule.remove')}
                          data-testid={`rule-remove-${r.index}`}
                        />
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Flex>
  );

  const setRange = (index: number, patch: Partial<RiskRuleSet['referenceValues'][number]>) => {
    const referenceValues = [...draft.referenceValues];
    const row = referenceValues[index];
    if (row !== undefined) {
      referenceValues[index] = { ...row, ...patch };
      onChange({ ...draft, referenceValues });
    }
  };
  const referenceTab = (
    <Flex vertical gap={8}>
      <Typography.Text type="secondary">{t('risk.reference.hint')}</Typography.Text>
      {editable && (
        <div>
          <Button
            icon={<PlusOutlined />}
            data-testid="reference-add"
            onClick={() =>
              onChange({ ...draft, referenceValues: [...draft.referenceValues, { hsPrefix: '', minCnyPerKg: 0, maxCnyPerKg: 0 }] })
            }
          >
            {t('risk.reference.add')}
          </Button>
        </div>
      )}
      <Table<RiskRuleSet['referenceValues'][number] & { index: number }>
        size="small"
        rowKey={(r) => `ref-${r.index}`}
        dataSource={draft.referenceValues.map((r, index) => ({ ...r, index }))}
        pagination={false}
        scroll={{ y: 480 }}
        columns={[
          {
            key: 'hsPrefix',
            title: t('risk.reference.hsPrefix'),
            width: 180,
            render: (_v, r) => (
              <Input
                value={r.hsPrefix}
                disabled={!editable}
                maxLength={10}
                status={problems.referenceValues[r.index]?.hsPrefix !== undefined ? 'error' : undefined}
                onChange={(e) => setRange(r.index, { hsPrefix: e.target.value.replace(/\D/g, '') })}
              />
            ),
          },
          {
            key: 'min',
            title: t('risk.reference.min'),
            render: (_v, r) => (
              <InputNumber
                value={r.minCnyPerKg}
                min={0}
                disabled={!editable}
                style={{ width: 160 }}
                onChange={(v) => setRange(r.index, { minCnyPerKg: v ?? 0 })}
              />
            ),
          },
          {
            key: 'max',
            title: t('risk.reference.max'),
            render: (_v, r) => (
              <InputNumber
                value={r.maxCnyPerKg}
                min={0}
                disabled={!editable}
                style={{ width: 160 }}
                status={problems.referenceValues[r.index]?.maxCnyPerKg !== undefined ? 'error' : undefined}
                onChange={(v) => setRange(r.index, { maxCnyPerKg: v ?? 0 })}
              />
            ),
          },
          {
            key: 'problems',
            title: '',
            render: (_v, r) => (
              <Typography.Text type="danger">
                {Object.values(problems.referenceValues[r.index] ?? {})
                  .flat()
                  .join('; ')}
              </Typography.Text>
            ),
          },
          ...(editable
            ? [
                {
                  key: 'remove',
                  title: '',
                  width: 50,
                  render: (_v: unknown, r: { index: number }) => (
                    <Button
                      size="small"
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={t('risk.reference.remove')}
                      onClick={() => {
                        onChange({ ...draft, referenceValues: removeAt(draft.referenceValues, r.index) });
                        onProblems({ ...problems, referenceValues: shiftProblems(problems.referenceValues, r.index) });
                      }}
                    />
                  ),
                },
              ]
            : []),
        ]}
      />
    </Flex>
  );

  const wordsTab = (
    <Flex vertical gap={8}>
      <Typography.Text type="secondary">{t('risk.words.hint')}</Typography.Text>
      <Select
        mode="tags"
        value={draft.sensitiveWords}
        disabled={!editable}
        tokenSeparators={[',', '，', ';', '；']}
        open={false}
        suffixIcon={null}
        placeholder={t('risk.words.placeholder')}
        onChange={(words: string[]) => onChange({ ...draft, sensitiveWords: words.map((w) => w.trim()).filter((w) => w !== '') })}
        style={{ width: '100%' }}
        data-testid="sensitive-words"
      />
      {problems.sensitiveWords.length > 0 && <Alert type="error" showIcon title={problems.sensitiveWords.join('; ')} />}
    </Flex>
  );

  const rs = draft.randomSelection;
  const randomTab = (
    <Flex vertical gap={12}>
      <Typography.Text type="secondary">{t('risk.random.hint')}</Typography.Text>
      <Space wrap size="large">
        <Flex vertical gap={4}>
          <Typography.Text>{t('risk.random.seed')}</Typography.Text>
          <Input
            value={rs.seed}
            disabled={!editable}
            maxLength={100}
            style={{ width: 240 }}
            data-testid="random-seed"
            onChange={(e) => onChange({ ...draft, randomSelection: { ...rs, seed: e.target.value } })}
          />
        </Flex>
        <Flex vertical gap={4}>
          <Typography.Text>{t('risk.random.channel')}</Typography.Text>
          <Select
            value={rs.channel}
            disabled={!editable}
            style={{ width: 220 }}
            options={RISK_CHANNELS.map((c) => ({ value: c, label: t(`risk.channel.${c}`) }))}
            onChange={(channel: RiskChannel) => onChange({ ...draft, randomSelection: { ...rs, channel } })}
          />
        </Flex>
      </Space>
      <Space wrap size="large">
        {CREDIT_CLASSES.map((c) => (
          <Flex vertical gap={4} key={c}>
            <Typography.Text>{t(`risk.creditClass.${c}`)}</Typography.Text>
            <InputNumber
              value={rateToPercent(rs.rates[c])}
              min={0}
              max={100}
              step={0.1}
              disabled={!editable}
              suffix="%"
              style={{ width: 150 }}
              data-testid={`random-rate-${c}`}
              onChange={(v) => onChange({ ...draft, randomSelection: { ...rs, rates: { ...rs.rates, [c]: percentToRate(v ?? 0) } } })}
            />
          </Flex>
        ))}
      </Space>
      {problems.randomSelection.length > 0 && <Alert type="error" showIcon title={problems.randomSelection.join('; ')} />}
    </Flex>
  );

  const count = (n: number, bad: boolean) => <Tag color={bad ? 'red' : 'default'}>{n}</Tag>;
  return (
    <>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'rules',
            label: (
              <span data-testid="tab-rules">
                {t('risk.tab.rules')} {count(draft.rules.length, Object.keys(problems.rules).length > 0)}
              </span>
            ),
            children: rulesTab,
          },
          {
            key: 'reference',
            label: (
              <span>
                {t('risk.tab.reference')} {count(draft.referenceValues.length, Object.keys(problems.referenceValues).length > 0)}
              </span>
            ),
            children: referenceTab,
          },
          {
            key: 'words',
            label: (
              <span>
                {t('risk.tab.words')} {count(draft.sensitiveWords.length, problems.sensitiveWords.length > 0)}
              </span>
            ),
            children: wordsTab,
          },
          { key: 'random', label: t('risk.tab.random'), children: randomTab },
          { key: 'syntax', label: t('risk.tab.syntax'), children: <SyntaxHelp /> },
        ]}
      />
      <RuleModal
        open={editing !== null}
        rule={editing?.rule ?? emptyRule()}
        index={editing !== null && editing.index < draft.rules.length ? editing.index : -1}
        otherIds={draft.rules.filter((_r, i) => i !== editing?.index).map((r) => r.id)}
        problems={editing !== null ? problems.rules[editing.index] : undefined}
        onCancel={() => setEditing(null)}
        onSave={(r) => editing !== null && saveRule(editing.index, r)}
      />
    </>
  );
};
