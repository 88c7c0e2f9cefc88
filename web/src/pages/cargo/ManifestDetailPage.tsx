import { HistoryOutlined, ReloadOutlined, WarningOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Breadcrumb, Button, Card, Descriptions, Empty, Flex, Result, Select, Skeleton, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { useSession } from '../../auth/session.tsx';
import { formatDateTime, formatNumber } from '../../lib/format.ts';
import { usePrefs } from '../../lib/prefs-context.tsx';
import { fetchCallContainers, fetchManifest, fetchManifestVersion } from './api.ts';
import { billTree, equipmentRows, goodsRows, minutesLate, type BillRow, type EquipmentRow, type GoodsRow } from './model.ts';
import type { ManifestDocument } from './types.ts';
import { formatKg, KindTag, ManifestStateTag, useDuration } from './ui.tsx';

const dash = <Typography.Text type="secondary">—</Typography.Text>;
const orDash = (v: string | null | undefined) => (v === null || v === undefined || v === '' ? dash : v);

/** A box number: a link to its visit when the server has one for this call. */
const BoxLink = ({ number, id }: { number: string; id: string | null | undefined }) =>
  id === null || id === undefined ? (
    <Typography.Text code>{number}</Typography.Text>
  ) : (
    <Link to={`/containers/${encodeURIComponent(id)}`} data-testid={`box-link-${number}`} style={{ fontFamily: 'monospace' }}>
      {number}
    </Link>
  );

/** /manifests/:id — one manifest: header, bills (house under master), goods per bill, boxes, and its versions. */
const ManifestDetailPage = () => {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const { can } = useSession();
  const duration = useDuration();
  const time = (iso: string | null | undefined) => formatDateTime(iso ?? null, lang, timeZone);
  const [version, setVersion] = useState<number | null>(null);

  const manifestQ = useQuery({ queryKey: ['manifest', id], queryFn: () => fetchManifest(id) });
  const m = manifestQ.data;
  const viewing = version !== null && m !== undefined && version !== m.version ? version : null;
  const versionQ = useQuery({
    queryKey: ['manifest', id, 'version', viewing],
    queryFn: () => fetchManifestVersion(id, viewing ?? 1),
    enabled: viewing !== null,
  });
  const visitsQ = useQuery({
    queryKey: ['manifest', id, 'boxes', m?.portCallId ?? ''],
    queryFn: () => fetchCallContainers(m?.portCallId ?? ''),
    enabled: m !== undefined,
  });

  const doc: ManifestDocument | undefined = viewing === null ? m?.document : versionQ.data;
  const bills = useMemo(() => billTree(doc?.bills ?? []), [doc]);
  const goods = useMemo(() => goodsRows(doc?.bills ?? []), [doc]);
  const boxes = useMemo(() => (doc === undefined ? [] : equipmentRows(doc, id, visitsQ.data ?? [])), [doc, id, visitsQ.data]);
  const itemsPerBill = useMemo(() => {
    const n = new Map<string, number>();
    goods.forEach((g) => n.set(g.billNumber, (n.get(g.billNumber) ?? 0) + 1));
    return n;
  }, [goods]);
  const boxId = useMemo(() => new Map(boxes.map((b) => [b.number, b.containerId])), [boxes]);

  if (manifestQ.isError) {
    const notFound = manifestQ.error instanceof ApiError && manifestQ.error.status === 404;
    return notFound ? (
      <Result
        status="404"
        title="404"
        subTitle={t('cargo.detail.notFound', { id })}
        extra={
          <Link to="/manifests">
            <Button type="primary">{t('cargo.detail.back')}</Button>
          </Link>
        }
        data-testid="manifest-not-found"
      />
    ) : (
      <Result
        status="warning"
        title={t('cargo.detail.loadFailed')}
        subTitle={manifestQ.error.message}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void manifestQ.refetch()}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }

  const crumbs = (
    <Breadcrumb
      items={[{ title: <Link to="/manifests">{t('cargo.nav.manifests')}</Link> }, { title: m === undefined ? id : m.documentNumber }]}
    />
  );
  if (m === undefined) {
    return (
      <Flex vertical gap={16}>
        {crumbs}
        <Card>
          <Skeleton active paragraph={{ rows: 6 }} />
        </Card>
      </Flex>
    );
  }

  const late = minutesLate(m);
  const recorded = m.versions.find((v) => v.version === (viewing ?? m.version));

  const billColumns: TableColumnsType<BillRow> = [
    {
      key: 'number',
      title: t('cargo.bill.number'),
      width: 200,
      render: (_, b) => (
        <Flex gap={6} align="center" data-testid={`bill-${b.number}`}>
          <Typography.Text strong={!b.house}>{b.number}</Typography.Text>
          {b.house ? (
            <Tag>{t('cargo.bill.house')}</Tag>
          ) : b.children !== undefined ? (
            <Tag color="blue">{t('cargo.bill.master')}</Tag>
          ) : null}
        </Flex>
      ),
    },
    { key: 'shipper', title: t('cargo.bill.shipper'), ellipsis: true, render: (_, b) => orDash(b.shipper) },
    { key: 'consignee', title: t('cargo.bill.consignee'), ellipsis: true, render: (_, b) => orDash(b.consignee) },
    { key: 'notify', title: t('cargo.bill.notify'), ellipsis: true, render: (_, b) => orDash(b.notify) },
    {
      key: 'route',
      title: t('cargo.bill.route'),
      width: 140,
      render: (_, b) => `${b.placeOfLoading ?? '—'} → ${b.placeOfDischarge ?? '—'}`,
    },
    { key: 'packages', title: t('cargo.goods.packages'), width: 90, align: 'right', render: (_, b) => formatNumber(b.packages, lang) },
    { key: 'gross', title: t('cargo.goods.grossKg'), width: 120, align: 'right', render: (_, b) => formatKg(b.grossKg, lang) },
    { key: 'boxes', title: t('cargo.col.boxes'), width: 70, align: 'right', render: (_, b) => b.boxes.length },
  ];

  const goodsColumns: TableColumnsType<GoodsRow> = [
    {
      key: 'bill',
      title: t('cargo.goods.bill'),
      width: 150,
      render: (_, g) => (
        <Flex vertical>
          <Typography.Text>{g.billNumber}</Typography.Text>
          {g.masterNumber !== null && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('cargo.goods.underMaster', { master: g.masterNumber })}
            </Typography.Text>
          )}
        </Flex>
      ),
      // one cell per bill: its first item spans the bill's items
      onCell: (g) => ({ rowSpan: g.index === 0 ? (itemsPerBill.get(g.billNumber) ?? 1) : 0 }),
    },
    { key: 'seq', title: t('cargo.goods.seq'), width: 60, align: 'right', render: (_, g) => g.seq ?? g.index + 1 },
    { key: 'description', title: t('cargo.goods.description'), ellipsis: true, render: (_, g) => g.description },
    {
      key: 'hs',
      title: t('cargo.goods.hsCode'),
      width: 110,
      render: (_, g) => <Typography.Text code>{g.hsCode}</Typography.Text>,
    },
    {
      key: 'packages',
      title: t('cargo.goods.packages'),
      width: 110,
      align: 'right',
      render: (_, g) =>
        `${formatNumber(g.packages, lang)}${g.packageType === undefined || g.packageType === null ? '' : ` ${g.packageType}`}`,
    },
    { key: 'gross', title: t('cargo.goods.grossKg'), width: 120, align: 'right', render: (_, g) => formatKg(g.grossKg, lang) },
    { key: 'net', title: t('cargo.goods.netKg'), width: 120, align: 'right', render: (_, g) => formatKg(g.netKg, lang) },
    {
      key: 'boxes',
      title: t('cargo.col.boxes'),
      width: 180,
      render: (_, g) =>
        (g.equipment ?? []).length === 0 ? (
          dash
        ) : (
          <Flex wrap gap={4}>
            {(g.equipment ?? []).map((n) => (
              <BoxLink key={n} number={n} id={boxId.get(n)} />
            ))}
          </Flex>
        ),
    },
  ];

  const boxColumns: TableColumnsType<EquipmentRow> = [
    { key: 'number', title: t('cargo.box.number'), width: 160, render: (_, e) => <BoxLink number={e.number} id={e.containerId} /> },
    { key: 'sizeType', title: t('cargo.box.sizeType'), width: 90, render: (_, e) => orDash(e.sizeType) },
    { key: 'fullness', title: t('cargo.box.fullness'), width: 90, render: (_, e) => t(`cargo.fullness.${e.fullness}`) },
    { key: 'seals', title: t('cargo.box.seals'), render: (_, e) => ((e.seals ?? []).length === 0 ? dash : (e.seals ?? []).join(', ')) },
    { key: 'gross', title: t('cargo.goods.grossKg'), width: 120, align: 'right', render: (_, e) => formatKg(e.grossKg, lang) },
    { key: 'bills', title: t('cargo.col.bills'), render: (_, e) => (e.bills.length === 0 ? dash : e.bills.join(', ')) },
  ];

  return (
    <Flex vertical gap={16} data-testid="manifest-detail">
      {crumbs}
      <Card>
        <Flex align="baseline" gap={12} wrap style={{ marginBottom: 16 }}>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="manifest-number">
            {m.documentNumber}
          </Typography.Title>
          <KindTag kind={m.kind} />
          <ManifestStateTag state={m.state} />
          {m.late && (
            <Tag color="orange" icon={<WarningOutlined />} data-testid="manifest-late">
              {t('cargo.detail.lateBy', { duration: duration(late) })}
            </Tag>
          )}
        </Flex>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 4 }}
          items={[
            {
              key: 'vessel',
              label: t('cargo.col.vesselVoyage'),
              children: can('GET /api/v1/port-calls/:id') ? (
                <Link to={`/port-calls/${encodeURIComponent(m.portCallId)}`}>
                  {m.vessel.name} · {m.vessel.voyage}
                </Link>
              ) : (
                `${m.vessel.name} · ${m.vessel.voyage}`
              ),
            },
            { key: 'imo', label: 'IMO', children: m.vessel.imo },
            { key: 'version', label: t('cargo.col.version'), children: m.version },
            { key: 'filed', label: t('cargo.col.filedAt'), children: time(m.filedAt) },
            { key: 'deadline', label: t('cargo.col.deadlineAt'), children: time(m.deadlineAt) },
            {
              key: 'margin',
              label: t('cargo.detail.margin'),
              children:
                late === null
                  ? dash
                  : late > 0
                    ? t('cargo.detail.late', { duration: duration(late) })
                    : t('cargo.detail.onTime', { duration: duration(-late) }),
            },
            { key: 'amended', label: t('cargo.col.amendedAt'), children: time(m.amendedAt) },
            {
              key: 'counts',
              label: t('cargo.detail.counts'),
              children: t('cargo.detail.countsValue', { bills: m.bills, boxes: m.equipment }),
            },
            ...(m.deletedAt === null
              ? []
              : [
                  {
                    key: 'deleted',
                    label: t('cargo.detail.deletedAt'),
                    span: 2,
                    children: `${time(m.deletedAt)}${m.deleteReason === null ? '' : ` · ${m.deleteReason}`}`,
                  },
                ]),
          ]}
        />
      </Card>

      <Card
        size="small"
        title={
          <Flex gap={8} align="center">
            <HistoryOutlined />
            {t('cargo.detail.versions')}
          </Flex>
        }
        extra={
          <Select<number>
            value={viewing ?? m.version}
            onChange={(v) => setVersion(v)}
            style={{ minWidth: 260 }}
            aria-label={t('cargo.detail.versions')}
            data-testid="manifest-version-select"
            options={[...m.versions]
              .sort((a, b) => b.version - a.version)
              .map((v) => ({
                value: v.version,
                label: `${t('cargo.detail.versionN', { n: v.version })} · ${time(v.recordedAt)}${v.version === m.version ? ` · ${t('cargo.detail.current')}` : ''}`,
              }))}
          />
        }
        data-testid="manifest-versions"
      >
        {viewing === null ? (
          <Typography.Text type="secondary">
            {t('cargo.detail.currentVersion', { n: m.version, count: m.versions.length, at: time(recorded?.recordedAt) })}
          </Typography.Text>
        ) : (
          <Alert
            type="info"
            showIcon
            title={t('cargo.detail.olderVersion', { n: viewing, current: m.version, at: time(recorded?.recordedAt) })}
            action={
              <Button size="small" onClick={() => setVersion(null)}>
                {t('cargo.detail.backToCurrent')}
              </Button>
            }
            data-testid="manifest-older-version"
          />
        )}
      </Card>

      {viewing !== null && versionQ.isError ? (
        <Alert
          type="error"
          showIcon
          title={t('cargo.detail.versionFailed', { n: viewing })}
          description={versionQ.error.message}
          action={<Button onClick={() => void versionQ.refetch()}>{t('common.retry')}</Button>}
        />
      ) : doc === undefined ? (
        <Card>
          <Skeleton active paragraph={{ rows: 6 }} />
        </Card>
      ) : (
        <>
          <Card size="small" title={t('cargo.detail.bills', { count: doc.bills.length })} data-testid="manifest-bills">
            <Table<BillRow>
              size="small"
              rowKey="key"
              columns={billColumns}
              dataSource={bills}
              pagination={false}
              expandable={{ defaultExpandAllRows: true }}
              tableLayout="fixed"
              scroll={{ x: 1000 }}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cargo.detail.noBills')} /> }}
            />
          </Card>
          <Card size="small" title={t('cargo.detail.goods', { count: goods.length })} data-testid="manifest-goods">
            <Table<GoodsRow>
              size="small"
              rowKey="key"
              columns={goodsColumns}
              dataSource={goods}
              pagination={false}
              bordered
              tableLayout="fixed"
              scroll={{ x: 1100 }}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cargo.detail.noGoods')} /> }}
            />
          </Card>
          <Card size="small" title={t('cargo.detail.boxes', { count: boxes.length })} data-testid="manifest-boxes">
            {visitsQ.isError && (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 8 }}
                title={t('cargo.detail.linksFailed')}
                description={visitsQ.error.message}
              />
            )}
            <Table<EquipmentRow>
              size="small"
              rowKey="number"
              columns={boxColumns}
              dataSource={boxes}
              pagination={boxes.length > 50 ? { pageSize: 50, size: 'small' } : false}
              tableLayout="fixed"
              scroll={{ x: 800 }}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cargo.detail.noBoxes')} /> }}
            />
          </Card>
        </>
      )}
    </Flex>
  );
};

export default ManifestDetailPage;
