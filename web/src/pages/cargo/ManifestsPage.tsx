import { Card, Flex, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { DataTable, type DataColumn } from '../../components/DataTable.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { usePrefs } from '../../lib/prefs-context.tsx';
import { fetchManifestsPage } from './api.ts';
import { minutesLate } from './model.ts';
import { MANIFEST_KIND_NAMES, MANIFEST_KINDS, type ManifestSummary } from './types.ts';
import { KindTag, kindText, LateTag, ManifestStateTag, useDuration } from './ui.tsx';

/**
 * /manifests — every manifest the user may see, newest filing first; /manifests/late — the
 * late-filings tab of the same page (the menu decides by API route, and every cargo reader may
 * call the list, so "late" is a tab here rather than a customs-only menu entry).
 */
const ManifestsPage = () => {
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const navigate = useNavigate();
  const location = useLocation();
  const duration = useDuration();
  const lateTab = location.pathname === '/manifests/late';
  const time = (iso: string | null) => formatDateTime(iso, lang, timeZone);

  const columns: DataColumn<ManifestSummary>[] = [
    {
      key: 'documentNumber',
      title: t('cargo.col.documentNumber'),
      width: 170,
      hideable: false,
      fixed: 'left',
      render: (m) => <Typography.Text strong>{m.documentNumber}</Typography.Text>,
      exportValue: (m) => m.documentNumber,
    },
    {
      key: 'kind',
      title: t('cargo.col.kind'),
      width: 200,
      filter: {
        param: 'kind',
        options: MANIFEST_KIND_NAMES.map((k) => ({ value: k, label: `${MANIFEST_KINDS[k]} ${t(`cargo.kind.${k}`)}` })),
      },
      render: (m) => <KindTag kind={m.kind} />,
      exportValue: (m) => kindText(m.kind, t),
    },
    {
      key: 'vessel',
      title: t('cargo.col.vesselVoyage'),
      width: 190,
      render: (m) => (
        <Flex vertical>
          <Typography.Text ellipsis>{m.vessel.name}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {m.vessel.voyage} · IMO {m.vessel.imo}
          </Typography.Text>
        </Flex>
      ),
      exportValue: (m) => `${m.vessel.name} / ${m.vessel.voyage}`,
    },
    ...(lateTab
      ? [
          {
            key: 'minutesLate',
            title: t('cargo.col.minutesLate'),
            width: 140,
            render: (m: ManifestSummary) => (
              <Typography.Text type="warning" data-testid="minutes-late">
                {duration(minutesLate(m))}
              </Typography.Text>
            ),
            exportValue: (m: ManifestSummary) => minutesLate(m),
          },
        ]
      : [
          {
            key: 'late',
            title: t('cargo.col.late'),
            width: 100,
            filter: { param: 'late', options: [{ value: 'true', label: t('cargo.list.lateOnly') }] },
            render: (m: ManifestSummary) => <LateTag late={m.late} />,
            exportValue: (m: ManifestSummary) => (m.late ? t('common.yes') : t('common.no')),
          },
        ]),
    {
      key: 'state',
      title: t('cargo.col.state'),
      width: 90,
      render: (m) => <ManifestStateTag state={m.state} />,
      exportValue: (m) => t(`cargo.state.${m.state}`),
    },
    { key: 'version', title: t('cargo.col.version'), width: 70, align: 'right' },
    { key: 'filedAt', title: t('cargo.col.filedAt'), width: 140, render: (m) => time(m.filedAt), exportValue: (m) => time(m.filedAt) },
    {
      key: 'deadlineAt',
      title: t('cargo.col.deadlineAt'),
      width: 140,
      render: (m) => time(m.deadlineAt),
      exportValue: (m) => time(m.deadlineAt),
    },
    { key: 'bills', title: t('cargo.col.bills'), width: 70, align: 'right' },
    { key: 'equipment', title: t('cargo.col.boxes'), width: 70, align: 'right' },
    {
      key: 'amendedAt',
      title: t('cargo.col.amendedAt'),
      width: 150,
      defaultHidden: true,
      render: (m) => time(m.amendedAt),
      exportValue: (m) => time(m.amendedAt),
    },
  ];

  return (
    <Card styles={{ body: { paddingTop: 8 } }} data-testid="manifests-page">
      <Tabs
        activeKey={lateTab ? 'late' : 'all'}
        onChange={(k) => void navigate(k === 'late' ? '/manifests/late' : '/manifests')}
        items={[
          { key: 'all', label: <span data-testid="manifests-tab-all">{t('cargo.list.tabAll')}</span> },
          { key: 'late', label: <span data-testid="manifests-tab-late">{t('cargo.list.tabLate')}</span> },
        ]}
      />
      <div style={{ marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {lateTab ? t('cargo.list.lateTitle') : t('cargo.list.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{lateTab ? t('cargo.list.lateHint') : t('cargo.list.hint', { zone: timeZone })}</Typography.Text>
      </div>
      <DataTable<ManifestSummary>
        key={lateTab ? 'late' : 'all'}
        queryKey={['manifests', lateTab ? 'late' : 'all']}
        fetchPage={(p) =>
          fetchManifestsPage({ ...p.filters, ...(p.q !== undefined ? { q: p.q } : {}), ...(lateTab ? { late: 'true' } : {}) }, p)
        }
        columns={columns}
        rowKey="id"
        exportName={lateTab ? 'late-manifests' : 'manifests'}
        exportSheetName={lateTab ? t('cargo.list.lateTitle') : t('cargo.list.title')}
        tableId={lateTab ? 'manifests-late' : 'manifests'}
        searchPlaceholder={t('cargo.list.search')}
        onRowClick={(m) => void navigate(`/manifests/${encodeURIComponent(m.id)}`)}
      />
    </Card>
  );
};

export default ManifestsPage;
