import { PlusOutlined, WarningOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import CallKpis from './CallKpis.tsx';
import { Button, Card, DatePicker, Flex, Space, Tag, Tooltip, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useSession } from '../../auth/session.tsx';
import { DataTable, type DataColumn } from '../../components/DataTable.tsx';
import { nameOf } from '../../components/map/registry-data.ts';
import { formatDateTime } from '../../lib/format.ts';
import { usePrefs } from '../../lib/prefs-context.tsx';
import { fetchCallsPage } from './api.ts';
import { FileCallDrawer } from './FileCallDrawer.tsx';
import { CALL_STATES, type PortCall } from './types.ts';
import { DATE_TIME_FORMAT, ModeTag, pickedIso, StateTag, useCluster } from './ui.tsx';

/** /port-calls — the arrivals board: every call the user may see, by ETA; agents file new calls here. */
const ArrivalsBoardPage = () => {
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const { can } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const cluster = useCluster();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [filing, setFiling] = useState(false);

  const etaFrom = pickedIso(range?.[0], timeZone);
  const etaTo = pickedIso(range?.[1], timeZone);
  const time = (iso: string | null) => formatDateTime(iso, lang, timeZone);

  const quarantineText = (c: PortCall): string =>
    c.pratiqueGrantedAt !== null
      ? t('portCalls.board.pratique', { at: time(c.pratiqueGrantedAt) })
      : c.quarantineMode !== null
        ? t(`quarantine.mode.${c.quarantineMode}`, { defaultValue: c.quarantineMode })
        : t('portCalls.board.noPratique');

  const columns: DataColumn<PortCall>[] = [
    {
      key: 'vessel',
      title: t('portCalls.col.vessel'),
      width: 210,
      hideable: false,
      fixed: 'left',
      render: (c) => (
        <Flex vertical>
          <Typography.Text strong ellipsis>
            {c.vessel.name}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            IMO {c.vessel.imo}
            {c.vessel.flag === null ? '' : ` · ${c.vessel.flag}`}
          </Typography.Text>
        </Flex>
      ),
      exportValue: (c) => `${c.vessel.name} (IMO ${c.vessel.imo})`,
    },
    { key: 'voyage', title: t('portCalls.col.voyage'), width: 110 },
    {
      key: 'portLocode',
      title: t('portCalls.col.port'),
      width: 110,
      filter: {
        param: 'portLocode',
        options: cluster.ports
          .filter((p) => p.kind === 'seaport')
          .sort((a, b) => a.locode.localeCompare(b.locode))
          .map((p) => ({ value: p.locode, label: `${p.locode} · ${nameOf(p, lang)}` })),
      },
      render: (c) => {
        const port = cluster.portByLocode.get(c.portLocode);
        return <Tooltip title={port === undefined ? undefined : nameOf(port, lang)}>{c.portLocode}</Tooltip>;
      },
    },
    { key: 'eta', title: t('portCalls.col.eta'), width: 150, render: (c) => time(c.eta), exportValue: (c) => time(c.eta) },
    { key: 'etd', title: t('portCalls.col.etd'), width: 150, render: (c) => time(c.etd), exportValue: (c) => time(c.etd) },
    {
      key: 'state',
      title: t('portCalls.col.state'),
      width: 130,
      filter: { param: 'state', options: CALL_STATES.map((s) => ({ value: s, label: t(`portCalls.state.${s}`) })) },
      render: (c) => <StateTag state={c.state} />,
      exportValue: (c) => t(`portCalls.state.${c.state}`),
    },
    {
      key: 'lateReport',
      title: t('portCalls.col.late'),
      width: 100,
      render: (c) =>
        c.lateReport ? (
          <Tag color="orange" icon={<WarningOutlined />} data-testid="late-flag">
            {t('portCalls.late')}
          </Tag>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
      exportValue: (c) => (c.lateReport ? t('common.yes') : t('common.no')),
    },
    {
      key: 'plannedBerth',
      title: t('portCalls.col.berth'),
      width: 120,
      render: (c) => cluster.berthCode(c.berthId ?? c.plannedBerth?.berthId) ?? <Typography.Text type="secondary">—</Typography.Text>,
      exportValue: (c) => cluster.berthCode(c.berthId ?? c.plannedBerth?.berthId),
    },
    {
      key: 'quarantine',
      title: t('portCalls.col.quarantine'),
      width: 170,
      render: (c) =>
        c.pratiqueGrantedAt !== null ? (
          <Tag color="green">{quarantineText(c)}</Tag>
        ) : c.quarantineMode !== null ? (
          <ModeTag mode={c.quarantineMode} />
        ) : (
          <Typography.Text type="secondary">{quarantineText(c)}</Typography.Text>
        ),
      exportValue: quarantineText,
    },
    {
      key: 'redeclarationsAvoided',
      title: t('portCalls.col.avoided'),
      width: 110,
      align: 'right',
      render: (c) => (c.redeclarationsAvoided > 0 ? <Tag color="green">{c.redeclarationsAvoided}</Tag> : '0'),
      exportValue: (c) => c.redeclarationsAvoided,
    },
    { key: 'redeclarations', title: t('portCalls.col.redeclarations'), width: 110, align: 'right', defaultHidden: true },
    {
      key: 'cargoType',
      title: t('portCalls.col.cargoType'),
      width: 110,
      defaultHidden: true,
      render: (c) => t(`portCalls.cargo.${c.cargoType}`, { defaultValue: c.cargoType }),
      exportValue: (c) => t(`portCalls.cargo.${c.cargoType}`, { defaultValue: c.cargoType }),
    },
  ];

  return (
    <Flex vertical gap={16}>
      <CallKpis />
      <Card styles={{ body: { paddingTop: 16 } }} data-testid="arrivals-board">
        <Flex wrap gap={16} align="flex-start" justify="space-between" style={{ marginBottom: 12 }}>
          <div style={{ flex: '1 1 320px', minWidth: 0 }}>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {t('portCalls.board.title')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('portCalls.board.hint', { zone: timeZone })}</Typography.Text>
          </div>
          <Space wrap>
            <DatePicker.RangePicker
              showTime={{ format: 'HH:mm' }}
              format={DATE_TIME_FORMAT}
              value={range}
              onChange={(v) => setRange(v)}
              placeholder={[t('portCalls.board.etaFrom'), t('portCalls.board.etaTo')]}
              aria-label={t('portCalls.board.etaRange')}
              data-testid="board-eta-range"
            />
            {can('POST /api/v1/port-calls') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setFiling(true)} data-testid="file-call">
                {t('portCalls.file.open')}
              </Button>
            )}
          </Space>
        </Flex>
        <DataTable<PortCall>
          queryKey={['port-calls', 'board', etaFrom ?? '', etaTo ?? '']}
          fetchPage={(p) =>
            fetchCallsPage(
              {
                ...p.filters,
                ...(p.q !== undefined ? { q: p.q } : {}),
                ...(etaFrom !== undefined ? { etaFrom } : {}),
                ...(etaTo !== undefined ? { etaTo } : {}),
              },
              p,
            )
          }
          columns={columns}
          rowKey="id"
          exportName="port-calls"
          exportSheetName={t('portCalls.board.title')}
          tableId="port-calls"
          searchPlaceholder={t('portCalls.board.search')}
          onRowClick={(c) => void navigate(`/port-calls/${encodeURIComponent(c.id)}`)}
        />
        <FileCallDrawer
          open={filing}
          onClose={() => setFiling(false)}
          onFiled={(c) => {
            setFiling(false);
            void queryClient.invalidateQueries({ queryKey: ['port-calls'] });
            void navigate(`/port-calls/${encodeURIComponent(c.id)}`);
          }}
        />
      </Card>
    </Flex>
  );
};

export default ArrivalsBoardPage;
