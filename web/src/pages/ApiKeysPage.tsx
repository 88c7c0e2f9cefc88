import { CopyOutlined, KeyOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, del, get, post } from '../api/client.ts';
import { useSession } from '../auth/session.tsx';
import { DataTable, type DataColumn, type FetchParams, type FetchResult } from '../components/DataTable.tsx';
import { formatDateTime } from '../lib/format.ts';
import { usePrefs } from '../lib/prefs-context.tsx';
import { translateServerMessage } from './registry/server-errors.ts';

type ApiKey = {
  id: string;
  name: string;
  role: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};
type CreatedKey = { id: string; name: string; prefix: string; key: string; createdAt: string };

const QUERY_KEY = ['api-keys'] as const;
const MONO = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' };

const statusOf = (k: ApiKey): 'active' | 'revoked' => (k.revokedAt === null ? 'active' : 'revoked');

const compare = (a: string | null, b: string | null): number => {
  // Empty values (a key never used) sort first ascending, last descending.
  if (a === b) {
    return 0;
  }
  if (a === null) {
    return -1;
  }
  if (b === null) {
    return 1;
  }
  return a.localeCompare(b);
};

/** The API returns all of an organisation's keys at once; search, filter, sort and page them here. */
const fetchKeys = async (p: FetchParams): Promise<FetchResult<ApiKey>> => {
  const { items } = await get<{ items: ApiKey[] }>('/api/v1/api-keys');
  const q = p.q?.toLowerCase();
  let rows = items.filter(
    (k) =>
      (q === undefined || k.name.toLowerCase().includes(q) || k.prefix.toLowerCase().includes(q)) &&
      (p.filters.status === undefined || statusOf(k) === p.filters.status),
  );
  if (p.sort !== undefined) {
    const field = p.sort.replace(/^-/, '') as keyof ApiKey;
    const dir = p.sort.startsWith('-') ? -1 : 1;
    rows = [...rows].sort((a, b) => dir * compare(a[field], b[field]));
  }
  return { items: rows.slice(p.offset, p.offset + p.limit), total: rows.length };
};

const ApiKeysPage = () => {
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const { can } = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedKey | null>(null);

  const canCreate = can('POST /api/v1/api-keys');
  const canRevoke = can('DELETE /api/v1/api-keys/:id');

  const revoke = useMutation({
    mutationFn: (k: ApiKey) => del(`/api/v1/api-keys/${encodeURIComponent(k.id)}`),
    onSuccess: (_r, k) => {
      void message.success(t('apiKeys.revokedMsg', { name: k.name }));
      void queryClient.invalidateQueries({ queryKey: QUERY_KEY });
    },
    onError: (err) => void message.error(t('apiKeys.revokeFailed', { message: err.message })),
  });

  const columns: DataColumn<ApiKey>[] = [
    { key: 'name', title: t('apiKeys.name'), sortable: true, hideable: false, width: 200 },
    {
      key: 'prefix',
      title: t('apiKeys.prefix'),
      width: 170,
      render: (k) => <span style={MONO}>{`pck_${k.prefix}_…`}</span>,
      exportValue: (k) => `pck_${k.prefix}_…`,
    },
    {
      key: 'role',
      title: t('apiKeys.role'),
      width: 120,
      render: (k) => <Tag color="blue">{t(`role.${k.role}`, { defaultValue: k.role })}</Tag>,
      exportValue: (k) => t(`role.${k.role}`, { defaultValue: k.role }),
    },
    {
      key: 'status',
      title: t('apiKeys.status'),
      width: 170,
      filter: {
        options: [
          { value: 'active', label: t('apiKeys.active') },
          { value: 'revoked', label: t('apiKeys.revoked') },
        ],
      },
      render: (k) =>
        k.revokedAt === null ? (
          <Tag color="green">{t('apiKeys.active')}</Tag>
        ) : (
          <span>
            <Tag>{t('apiKeys.revoked')}</Tag>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatDateTime(k.revokedAt, lang, timeZone)}
            </Typography.Text>
          </span>
        ),
      exportValue: (k) =>
        k.revokedAt === null ? t('apiKeys.active') : t('apiKeys.revokedAt', { time: formatDateTime(k.revokedAt, lang, timeZone) }),
    },
    {
      key: 'createdAt',
      title: t('apiKeys.createdAt'),
      sortable: true,
      width: 150,
      render: (k) => formatDateTime(k.createdAt, lang, timeZone),
      exportValue: (k) => formatDateTime(k.createdAt, lang, timeZone),
    },
    {
      key: 'lastUsedAt',
      title: t('apiKeys.lastUsedAt'),
      sortable: true,
      width: 150,
      render: (k) =>
        k.lastUsedAt === null ? (
          <Typography.Text type="secondary">{t('apiKeys.never')}</Typography.Text>
        ) : (
          formatDateTime(k.lastUsedAt, lang, timeZone)
        ),
      exportValue: (k) => (k.lastUsedAt === null ? t('apiKeys.never') : formatDateTime(k.lastUsedAt, lang, timeZone)),
    },
    ...(canRevoke
      ? [
          {
            key: 'actions',
            title: t('apiKeys.actions'),
            width: 90,
            hideable: false,
            exportable: false,
            fixed: 'right' as const,
            render: (k: ApiKey) =>
              k.revokedAt === null ? (
                <Popconfirm
                  title={t('apiKeys.revokeTitle', { name: k.name })}
                  description={<div style={{ maxWidth: 280 }}>{t('apiKeys.revokeConfirm')}</div>}
                  okText={t('apiKeys.revokeOk')}
                  cancelText={t('common.cancel')}
                  okButtonProps={{ danger: true, loading: revoke.isPending }}
                  onConfirm={() => revoke.mutate(k)}
                >
                  <Button type="link" danger size="small" icon={<StopOutlined />} style={{ paddingInline: 0 }} data-testid="api-key-revoke">
                    {t('apiKeys.revoke')}
                  </Button>
                </Popconfirm>
              ) : null,
          } satisfies DataColumn<ApiKey>,
        ]
      : []),
  ];

  return (
    <Card styles={{ body: { paddingTop: 16 } }} data-testid="api-keys-page">
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 16, alignItems: 'flex-start', marginBottom: 12 }}>
        <div style={{ flex: '1 1 360px', minWidth: 0 }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('apiKeys.title')}
          </Typography.Title>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
            {t('apiKeys.hint')}
          </Typography.Paragraph>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('apiKeys.usage')}
          </Typography.Text>
        </div>
        {canCreate && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="api-key-new">
            {t('apiKeys.create')}
          </Button>
        )}
      </div>
      <DataTable<ApiKey>
        queryKey={QUERY_KEY}
        fetchPage={fetchKeys}
        columns={columns}
        rowKey="id"
        exportName="api-keys"
        exportSheetName={t('apiKeys.title')}
        searchPlaceholder={t('apiKeys.searchPlaceholder')}
        defaultSort="-createdAt"
      />
      <CreateKeyModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(k) => {
          setCreating(false);
          setCreated(k);
          void queryClient.invalidateQueries({ queryKey: QUERY_KEY });
        }}
      />
      <CreatedKeyModal created={created} onClose={() => setCreated(null)} />
    </Card>
  );
};

const CreateKeyModal = ({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (k: CreatedKey) => void }) => {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ name: string }>();
  const [error, setError] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (name: string) => post<CreatedKey>('/api/v1/api-keys', { name }),
    onSuccess: (k) => {
      form.resetFields();
      setError(null);
      onCreated(k);
    },
    onError: (err) => {
      const detail = err instanceof ApiError ? err.details.find((d) => d.path === '/name') : undefined;
      if (detail !== undefined) {
        form.setFields([{ name: 'name', errors: [translateServerMessage(detail.message, t)] }]);
      } else {
        setError(t('apiKeys.createFailed', { message: err.message }));
      }
    },
  });
  return (
    <Modal
      open={open}
      title={t('apiKeys.createTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      destroyOnHidden
      afterOpenChange={(isOpen) => {
        if (isOpen) {
          form.focusField('name');
        }
      }}
    >
      {error !== null && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form
        form={form}
        name="api-key-create"
        layout="vertical"
        onFinish={(v) => {
          setError(null);
          create.mutate(v.name.trim());
        }}
      >
        <Form.Item
          name="name"
          label={t('apiKeys.name')}
          extra={t('apiKeys.nameHelp')}
          rules={[
            { required: true, whitespace: true, message: t('apiKeys.nameRequired') },
            { max: 100, message: t('apiKeys.nameTooLong') },
          ]}
        >
          <Input placeholder={t('apiKeys.namePlaceholder')} autoComplete="off" maxLength={100} data-testid="api-key-name" />
        </Form.Item>
      </Form>
    </Modal>
  );
};

/** The one moment the full key exists on screen: copy it, with a clear warning, and an explicit close. */
const CreatedKeyModal = ({ created, onClose }: { created: CreatedKey | null; onClose: () => void }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const copy = async (key: string) => {
    try {
      await navigator.clipboard.writeText(key);
      void message.success(t('apiKeys.copied'));
    } catch {
      void message.error(t('apiKeys.copyFailed'));
    }
  };
  return (
    <Modal
      open={created !== null}
      title={
        <span>
          <KeyOutlined /> {t('apiKeys.createdTitle')}
          {created !== null && <Typography.Text type="secondary">{` · ${created.name}`}</Typography.Text>}
        </span>
      }
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      destroyOnHidden
      width={640}
      footer={
        <Button type="primary" onClick={onClose} data-testid="api-key-done">
          {t('apiKeys.done')}
        </Button>
      }
    >
      {created !== null && (
        <>
          <Alert type="warning" showIcon title={t('apiKeys.onceWarning')} style={{ marginBottom: 16 }} />
          <Typography.Text strong>{t('apiKeys.keyLabel')}</Typography.Text>
          <div style={{ display: 'flex', gap: 8, alignItems: 'stretch', marginTop: 8 }}>
            <Input.TextArea
              readOnly
              value={created.key}
              autoSize
              style={{ ...MONO, flex: 1 }}
              onFocus={(e) => e.target.select()}
              aria-label={t('apiKeys.keyLabel')}
              data-testid="api-key-secret"
            />
            <Button type="primary" icon={<CopyOutlined />} onClick={() => void copy(created.key)} data-testid="api-key-copy">
              {t('apiKeys.copy')}
            </Button>
          </div>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
            {t('apiKeys.usage')}
          </Typography.Paragraph>
        </>
      )}
    </Modal>
  );
};

export default ApiKeysPage;
