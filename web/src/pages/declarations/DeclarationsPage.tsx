import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Card, Flex, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useSession } from '../../auth/session.tsx';
import { DataTable, type DataColumn } from '../../components/DataTable.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { usePrefs } from '../../lib/prefs-context.tsx';
import { formatKg } from '../cargo/ui.tsx';
import { fetchDeclarationsPage } from './api.ts';
import { DeclarationFormDrawer } from './DeclarationFormDrawer.tsx';
import { CHANNELS, DECLARATION_STATUSES, DIRECTIONS, PROCEDURES, type Declaration } from './types.ts';
import { ChannelTag, formatMoney, StatusTag, statusText, useEnterpriseName } from './ui.tsx';

/**
 * /declarations — a declarant's own declarations and the form for a new one; customs see the
 * district's, with the risk channel as a column and a filter (the server sends channels to customs only).
 */
const DeclarationsPage = () => {
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const { can } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const enterprise = useEnterpriseName();
  const [drawer, setDrawer] = useState(false);
  const customs = can('GET /api/v1/declarations/queues');
  const mayDeclare = can('POST /api/v1/declarations');
  const time = (iso: string | null) => formatDateTime(iso, lang, timeZone);

  const columns: DataColumn<Declaration>[] = [
    {
      key: 'entryId',
      title: t('declarations.col.entryId'),
      width: 190,
      hideable: false,
      fixed: 'left',
      render: (d) => (
        <Typography.Text strong data-testid="declaration-entry">
          {d.entryId ?? '—'}
        </Typography.Text>
      ),
      exportValue: (d) => d.entryId ?? '',
    },
    {
      key: 'status',
      title: t('declarations.col.status'),
      width: 170,
      ellipsis: false,
      filter: { param: 'status', options: DECLARATION_STATUSES.map((s) => ({ value: s, label: `${s} ${t(`declarations.status.${s}`)}` })) },
      render: (d) => <StatusTag d={d} />,
      exportValue: (d) => statusText(d, lang),
    },
    ...(customs
      ? [
          {
            key: 'channel',
            title: t('declarations.col.channel'),
            width: 140,
            filter: { param: 'channel', options: CHANNELS.map((c) => ({ value: c, label: t(`declarations.channel.${c}`) })) },
            render: (d: Declaration) => <ChannelTag channel={d.channel} />,
            exportValue: (d: Declaration) => (d.channel === null || d.channel === undefined ? '' : t(`declarations.channel.${d.channel}`)),
          },
        ]
      : []),
    {
      key: 'direction',
      title: t('declarations.col.direction'),
      width: 90,
      filter: { param: 'direction', options: DIRECTIONS.map((d) => ({ value: d, label: t(`declarations.direction.${d}`) })) },
      render: (d) => t(`declarations.direction.${d.direction}`),
      exportValue: (d) => t(`declarations.direction.${d.direction}`),
    },
    {
      key: 'procedure',
      title: t('declarations.col.procedure'),
      width: 120,
      filter: { param: 'procedure', options: PROCEDURES.map((p) => ({ value: p, label: t(`declarations.procedure.${p}`) })) },
      render: (d) => `${t(`declarations.procedure.${d.procedure}`)}${d.stage === null ? '' : ` · ${t(`declarations.stage.${d.stage}`)}`}`,
      exportValue: (d) => t(`declarations.procedure.${d.procedure}`),
    },
    {
      key: 'enterprise',
      title: t('declarations.col.enterprise'),
      width: 220,
      render: (d) => enterprise(d.enterpriseCode),
      exportValue: (d) => `${d.enterpriseCode} ${enterprise(d.enterpriseCode)}`,
    },
    { key: 'billNumber', title: t('declarations.col.bill'), width: 150 },
    {
      key: 'boxes',
      title: t('declarations.col.boxes'),
      width: 130,
      render: (d) => (d.containerNumbers.length === 0 ? '—' : d.containerNumbers.join(', ')),
      exportValue: (d) => d.containerNumbers.join(', '),
    },
    { key: 'grossKg', title: t('declarations.col.grossKg'), width: 110, align: 'right', render: (d) => formatKg(d.grossKg, lang) },
    {
      key: 'totalValue',
      title: t('declarations.col.value'),
      width: 130,
      align: 'right',
      render: (d) => formatMoney(d.totalValue, d.currency, lang),
      exportValue: (d) => d.totalValue,
    },
    {
      key: 'declaredAt',
      title: t('declarations.col.declaredAt'),
      width: 150,
      render: (d) => time(d.declaredAt),
      exportValue: (d) => time(d.declaredAt),
    },
    {
      key: 'releasedAt',
      title: t('declarations.col.releasedAt'),
      width: 150,
      render: (d) => time(d.releasedAt),
      exportValue: (d) => time(d.releasedAt),
    },
  ];

  return (
    <Card styles={{ body: { paddingTop: 16 } }} data-testid="declarations-page">
      <Flex justify="space-between" align="flex-start" gap={12} style={{ marginBottom: 12 }}>
        <div>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('declarations.list.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{customs ? t('declarations.list.hintCustoms') : t('declarations.list.hint')}</Typography.Text>
        </div>
        {mayDeclare && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer(true)} data-testid="declaration-new">
            {t('declarations.list.new')}
          </Button>
        )}
      </Flex>
      <DataTable<Declaration>
        queryKey={['declarations', 'list']}
        fetchPage={(p) => fetchDeclarationsPage({ ...p.filters, ...(p.q !== undefined ? { q: p.q } : {}) }, p)}
        columns={columns}
        rowKey="id"
        exportName="declarations"
        exportSheetName={t('declarations.list.title')}
        searchPlaceholder={t('declarations.list.search')}
        onRowClick={(d) => void navigate(`/declarations/${encodeURIComponent(d.id)}`)}
      />
      {mayDeclare && (
        <DeclarationFormDrawer
          open={drawer}
          mode="new"
          onClose={() => setDrawer(false)}
          onDone={(d) => {
            setDrawer(false);
            void queryClient.invalidateQueries({ queryKey: ['declarations', 'list'] });
            void navigate(`/declarations/${encodeURIComponent(d.id)}`);
          }}
        />
      )}
    </Card>
  );
};

export default DeclarationsPage;
