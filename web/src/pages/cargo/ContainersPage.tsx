import { Card, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { DataTable, type DataColumn } from '../../components/DataTable.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { usePrefs } from '../../lib/prefs-context.tsx';
import { fetchContainersPage } from './api.ts';
import { activeFlags } from './model.ts';
import { FLAG_FILTERS, FLAG_KEYS, type Container } from './types.ts';
import { DirectionTag, FlagTag, formatKg } from './ui.tsx';

/** /containers — box visits the user may see, newest first: search by number prefix, filter by a flag that is set. */
const ContainersPage = () => {
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const navigate = useNavigate();
  const time = (iso: string | null) => formatDateTime(iso, lang, timeZone);

  const columns: DataColumn<Container>[] = [
    {
      key: 'number',
      title: t('cargo.box.number'),
      width: 150,
      hideable: false,
      fixed: 'left',
      render: (c) => (
        <Typography.Text strong code>
          {c.number}
        </Typography.Text>
      ),
      exportValue: (c) => c.number,
    },
    {
      key: 'vessel',
      title: t('cargo.col.vesselVoyage'),
      width: 200,
      render: (c) => `${c.vessel.name} · ${c.vessel.voyage}`,
      exportValue: (c) => `${c.vessel.name} / ${c.vessel.voyage}`,
    },
    { key: 'portLocode', title: t('cargo.box.port'), width: 90 },
    {
      key: 'direction',
      title: t('cargo.box.direction'),
      width: 90,
      render: (c) => <DirectionTag direction={c.direction} />,
      exportValue: (c) => t(`cargo.direction.${c.direction}`),
    },
    {
      key: 'flags',
      title: t('cargo.box.flags'),
      width: 300,
      ellipsis: false,
      filter: { param: 'flag', options: FLAG_KEYS.map((k) => ({ value: FLAG_FILTERS[k], label: t(`cargo.flag.${k}`) })) },
      render: (c) => {
        const on = activeFlags(c);
        return on.length === 0 ? (
          <Typography.Text type="secondary">{t('cargo.box.noFlags')}</Typography.Text>
        ) : (
          <Flex wrap gap={2}>
            {on.map((f) => (
              <FlagTag key={f} flag={f} />
            ))}
          </Flex>
        );
      },
      exportValue: (c) =>
        activeFlags(c)
          .map((f) => t(`cargo.flag.${f}`))
          .join(', '),
    },
    {
      key: 'lastEventAt',
      title: t('cargo.box.lastEvent'),
      width: 150,
      render: (c) => time(c.lastEventAt),
      exportValue: (c) => time(c.lastEventAt),
    },
    { key: 'lastLocation', title: t('cargo.box.location'), width: 120 },
    { key: 'bills', title: t('cargo.col.bills'), width: 160, defaultHidden: true },
    { key: 'sizeType', title: t('cargo.box.sizeType'), width: 90, defaultHidden: true },
    {
      key: 'grossKg',
      title: t('cargo.goods.grossKg'),
      width: 110,
      align: 'right',
      defaultHidden: true,
      render: (c) => formatKg(c.grossKg, lang),
      exportValue: (c) => c.grossKg,
    },
    { key: 'eventCount', title: t('cargo.box.events'), width: 80, align: 'right', defaultHidden: true },
  ];

  return (
    <Card styles={{ body: { paddingTop: 16 } }} data-testid="containers-page">
      <div style={{ marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('cargo.boxes.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('cargo.boxes.hint', { zone: timeZone })}</Typography.Text>
      </div>
      <DataTable<Container>
        queryKey={['containers']}
        // the search box is a number prefix (the API has no free-text search for boxes)
        fetchPage={(p) => fetchContainersPage({ ...p.filters, ...(p.q !== undefined ? { number: p.q } : {}) }, p)}
        columns={columns}
        rowKey="id"
        exportName="containers"
        exportSheetName={t('cargo.boxes.title')}
        tableId="containers"
        searchPlaceholder={t('cargo.boxes.search')}
        onRowClick={(c) => void navigate(`/containers/${encodeURIComponent(c.id)}`)}
      />
    </Card>
  );
};

export default ContainersPage;
