import { ReloadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Flex, Result, Skeleton, Statistic, Typography, theme } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { DataTable, type DataColumn } from '../../components/DataTable.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { usePrefs } from '../../lib/prefs-context.tsx';
import { useDuration } from '../cargo/ui.tsx';
import { fetchDeclarationsPage, fetchQueues } from './api.ts';
import { ageMinutes, queueCards, queueKey, queueQuery, type Queue, type QueueCard } from './model.ts';
import type { Declaration } from './types.ts';
import { ChannelTag, StatusTag, statusText, useEnterpriseName } from './ui.tsx';

const QueueTile = ({ card, label, active, onClick }: { card: QueueCard; label: string; active: boolean; onClick: () => void }) => {
  const { token } = theme.useToken();
  return (
    <Card
      size="small"
      hoverable
      onClick={onClick}
      data-testid={`queue-${card.key.replace(':', '-')}`}
      data-count={card.count}
      data-active={active ? 'true' : 'false'}
      style={{
        minWidth: 150,
        flex: '1 1 150px',
        borderColor: active ? token.colorPrimary : undefined,
        background: active ? token.colorPrimaryBg : undefined,
      }}
    >
      <Statistic title={label} value={card.count} styles={{ content: { fontVariantNumeric: 'tabular-nums' } }} />
    </Card>
  );
};

/**
 * /workbench — the officer's queues: open declarations of the district by risk channel and by
 * status, as cards with counts; a card lists its declarations, oldest concern first by age.
 */
const WorkbenchPage = () => {
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const duration = useDuration();
  const enterprise = useEnterpriseName();
  const [queue, setQueue] = useState<Queue | null>(null);
  const queuesQ = useQuery({ queryKey: ['declarations', 'queues'], queryFn: fetchQueues, refetchInterval: 60_000 });
  const cards = queueCards(queuesQ.data ?? []);
  const selected = queue === null ? null : queueKey(queue);
  const toggle = (q: Queue) => setQueue(selected === queueKey(q) ? null : q);

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
      render: (d) => <StatusTag d={d} />,
      exportValue: (d) => statusText(d, lang),
    },
    {
      key: 'channel',
      title: t('declarations.col.channel'),
      width: 140,
      render: (d) => <ChannelTag channel={d.channel} />,
      exportValue: (d) => (d.channel === null || d.channel === undefined ? '' : t(`declarations.channel.${d.channel}`)),
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
    {
      key: 'declaredAt',
      title: t('declarations.col.declaredAt'),
      width: 150,
      render: (d) => formatDateTime(d.declaredAt, lang, timeZone),
      exportValue: (d) => formatDateTime(d.declaredAt, lang, timeZone),
    },
    {
      key: 'age',
      title: t('declarations.col.age'),
      width: 120,
      render: (d) => duration(ageMinutes(d.declaredAt, new Date())),
      exportValue: (d) => ageMinutes(d.declaredAt, new Date()),
    },
  ];

  if (queuesQ.isError) {
    return (
      <Result
        status="warning"
        title={t('declarations.workbench.loadFailed')}
        subTitle={queuesQ.error.message}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void queuesQ.refetch()}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }

  const listTitle =
    queue === null
      ? t('declarations.workbench.allOpen')
      : queue.kind === 'channel'
        ? t(`declarations.channel.${queue.channel}`)
        : t(`declarations.queue.${queue.group}`);

  return (
    <Flex vertical gap={16} data-testid="workbench-page">
      <Card>
        <Flex justify="space-between" align="flex-start" gap={12}>
          <div>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {t('declarations.workbench.title')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('declarations.workbench.hint')}</Typography.Text>
          </div>
          <Button
            icon={<ReloadOutlined />}
            onClick={() => void queryClient.invalidateQueries({ queryKey: ['declarations'] })}
            data-testid="workbench-refresh"
          >
            {t('declarations.workbench.refresh')}
          </Button>
        </Flex>
      </Card>
      {queuesQ.data === undefined ? (
        <Card>
          <Skeleton active paragraph={{ rows: 3 }} />
        </Card>
      ) : (
        <>
          <Card size="small" title={t('declarations.workbench.byChannel')}>
            <Flex gap={12} wrap>
              {cards.channels.map((c) => (
                <QueueTile
                  key={c.key}
                  card={c}
                  label={t(`declarations.channel.${c.queue.kind === 'channel' ? c.queue.channel : ''}`)}
                  active={selected === c.key}
                  onClick={() => toggle(c.queue)}
                />
              ))}
            </Flex>
          </Card>
          <Card size="small" title={t('declarations.workbench.byStatus')}>
            <Flex gap={12} wrap>
              {cards.statuses.map((c) => (
                <QueueTile
                  key={c.key}
                  card={c}
                  label={t(`declarations.queue.${c.queue.kind === 'status' ? c.queue.group : ''}`)}
                  active={selected === c.key}
                  onClick={() => toggle(c.queue)}
                />
              ))}
            </Flex>
          </Card>
        </>
      )}
      <Card
        size="small"
        title={<span data-testid="workbench-list-title">{listTitle}</span>}
        extra={
          queue !== null && (
            <Button size="small" onClick={() => setQueue(null)} data-testid="workbench-all">
              {t('declarations.workbench.showAll')}
            </Button>
          )
        }
        data-testid="workbench-list"
      >
        <DataTable<Declaration>
          queryKey={['declarations', 'workbench', selected ?? 'all']}
          fetchPage={(p) => fetchDeclarationsPage({ ...queueQuery(queue), ...(p.q !== undefined ? { q: p.q } : {}) }, p)}
          columns={columns}
          rowKey="id"
          exportName="declaration-queue"
          exportSheetName={listTitle}
          tableId="declaration-queue"
          searchPlaceholder={t('declarations.list.search')}
          onRowClick={(d) => void navigate(`/declarations/${encodeURIComponent(d.id)}`)}
        />
      </Card>
    </Flex>
  );
};

export default WorkbenchPage;
