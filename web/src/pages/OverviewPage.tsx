import {
  ApartmentOutlined,
  ApiOutlined,
  ClusterOutlined,
  DeploymentUnitOutlined,
  NodeIndexOutlined,
  ReloadOutlined,
  ShopOutlined,
} from '@ant-design/icons';
import { useQueries } from '@tanstack/react-query';
import { Button, Card, Col, Empty, Flex, Result, Row, Skeleton, Statistic, Tag, Typography, theme } from 'antd';
import { Suspense, lazy, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../auth/session.tsx';
import type { ClusterData } from '../components/map/map-model.ts';
import {
  countOf,
  fetchAll,
  nameOf,
  todayIn,
  type BondedZone,
  type Corridor,
  type InlandPort,
  type Port,
  type PortArea,
} from '../components/map/registry-data.ts';
import { term } from '../components/map/terms.ts';
import { formatDate } from '../lib/format.ts';
import { usePrefs } from '../lib/prefs-context.tsx';

// ECharts and the coastline load after the page shows, in their own chunk.
const ClusterMap = lazy(() => import('../components/map/ClusterMap.tsx'));

const MAP_HEIGHT = 600;

const StatCard = ({
  title,
  value,
  icon,
  loading,
  to,
}: {
  title: string;
  value: number | undefined;
  icon: ReactNode;
  loading: boolean;
  to?: string;
}) => {
  const { token } = theme.useToken();
  const body = (
    <Card size="small" hoverable={to !== undefined} style={{ height: '100%' }}>
      <Statistic
        title={title}
        value={value ?? 0}
        loading={loading}
        prefix={<span style={{ color: token.colorPrimary, marginInlineEnd: 4 }}>{icon}</span>}
      />
    </Card>
  );
  return to === undefined ? body : <Link to={to}>{body}</Link>;
};

/**
 * The landing page: how big the cluster is, where everything sits (the map) and a way into each
 * port. Registry lists are read for today in the viewer's time zone.
 */
const OverviewPage = () => {
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const { token } = theme.useToken();
  const { can } = useSession();
  const asOf = todayIn(timeZone);

  const [ports, areas, inland, bonded, corridors, terminals, berths] = useQueries({
    queries: [
      { queryKey: ['cluster', 'ports', asOf], queryFn: () => fetchAll<Port>('ports', { asOf }) },
      { queryKey: ['cluster', 'port-areas', asOf], queryFn: () => fetchAll<PortArea>('port-areas', { asOf }) },
      { queryKey: ['cluster', 'inland-ports', asOf], queryFn: () => fetchAll<InlandPort>('inland-ports', { asOf }) },
      { queryKey: ['cluster', 'bonded-zones', asOf], queryFn: () => fetchAll<BondedZone>('bonded-zones', { asOf }) },
      { queryKey: ['cluster', 'corridors', asOf], queryFn: () => fetchAll<Corridor>('corridors', { asOf }) },
      { queryKey: ['cluster', 'count', 'terminals', asOf], queryFn: () => countOf('terminals', { asOf }) },
      { queryKey: ['cluster', 'count', 'berths', asOf], queryFn: () => countOf('berths', { asOf }) },
    ],
  });
  const all = [ports, areas, inland, bonded, corridors, terminals, berths];
  const failed = all.some((q) => q.isError);
  const mapData = useMemo<ClusterData | null>(
    () =>
      ports.data && areas.data && inland.data && bonded.data && corridors.data
        ? { ports: ports.data, areas: areas.data, inlandPorts: inland.data, bondedZones: bonded.data, corridors: corridors.data }
        : null,
    [ports.data, areas.data, inland.data, bonded.data, corridors.data],
  );
  const sortedPorts = useMemo(() => [...(ports.data ?? [])].sort((a, b) => a.locode.localeCompare(b.locode)), [ports.data]);

  if (failed) {
    return (
      <Result
        status="error"
        title={t('overview.loadFailed')}
        subTitle={all.find((q) => q.error)?.error?.message}
        extra={
          <Button type="primary" icon={<ReloadOutlined />} onClick={() => all.filter((q) => q.isError).forEach((q) => void q.refetch())}>
            {t('common.retry')}
          </Button>
        }
        data-testid="overview-error"
      />
    );
  }

  const stats: { key: string; value: number | undefined; icon: ReactNode; loading: boolean; to: string }[] = [
    { key: 'ports', value: ports.data?.length, icon: <ClusterOutlined />, loading: ports.isPending, to: '/registry/ports' },
    { key: 'terminals', value: terminals.data, icon: <ApartmentOutlined />, loading: terminals.isPending, to: '/registry/terminals' },
    { key: 'berths', value: berths.data, icon: <NodeIndexOutlined />, loading: berths.isPending, to: '/registry/berths' },
    {
      key: 'inlandPorts',
      value: inland.data?.length,
      icon: <DeploymentUnitOutlined />,
      loading: inland.isPending,
      to: '/registry/inland-ports',
    },
    { key: 'bondedZones', value: bonded.data?.length, icon: <ShopOutlined />, loading: bonded.isPending, to: '/registry/bonded-zones' },
    { key: 'corridors', value: corridors.data?.length, icon: <ApiOutlined />, loading: corridors.isPending, to: '/registry/corridors' },
  ];

  const count = <T,>(items: T[] | undefined, pred: (x: T) => boolean): number => (items ?? []).filter(pred).length;

  return (
    <Flex vertical gap={16} data-testid="overview">
      <div>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('overview.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('overview.subtitle', { date: formatDate(asOf, lang) })}</Typography.Text>
      </div>

      <Row gutter={[16, 16]}>
        {stats.map((s) => (
          <Col key={s.key} xs={12} sm={8} xl={4} data-testid={`stat-${s.key}`}>
            <StatCard
              title={t(`overview.stats.${s.key}`)}
              value={s.value}
              icon={s.icon}
              loading={s.loading}
              {...(can(`GET /api/v1/${s.to.replace('/registry/', '')}`) ? { to: s.to } : {})}
            />
          </Col>
        ))}
      </Row>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={17}>
          <Card
            title={t('map.title')}
            extra={<Typography.Text type="secondary">{t('map.hint')}</Typography.Text>}
            styles={{ body: { padding: 12 } }}
          >
            {mapData === null ? (
              <Skeleton.Node active style={{ width: '100%', height: MAP_HEIGHT }} />
            ) : (
              <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: MAP_HEIGHT }} />}>
                <ClusterMap data={mapData} height={MAP_HEIGHT} />
              </Suspense>
            )}
            <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', textAlign: 'right', marginTop: 4 }}>
              {t('map.source')}
            </Typography.Text>
          </Card>
        </Col>
        <Col xs={24} xl={7}>
          <Card
            title={t('overview.portList')}
            extra={<Typography.Text type="secondary">{sortedPorts.length || ''}</Typography.Text>}
            styles={{ body: { padding: 12 } }}
          >
            <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
              {t('overview.portListHint')}
            </Typography.Paragraph>
            {ports.isPending ? (
              <Skeleton active paragraph={{ rows: 8 }} />
            ) : sortedPorts.length === 0 ? (
              <Empty description={t('overview.noPorts')} />
            ) : (
              <Flex vertical gap={8} data-testid="port-list">
                {sortedPorts.map((p) => (
                  <Link
                    key={p.id}
                    to={`/ports/${encodeURIComponent(p.id)}`}
                    data-testid={`port-card-${p.locode}`}
                    aria-label={t('overview.portCard.open', { name: nameOf(p, lang) })}
                  >
                    <Card size="small" hoverable styles={{ body: { padding: '8px 12px' } }}>
                      <Flex justify="space-between" align="baseline" gap={8}>
                        <Typography.Text strong style={{ fontSize: 15 }}>
                          {nameOf(p, lang)}
                        </Typography.Text>
                        <Tag color="blue" style={{ marginInlineEnd: 0, fontFamily: token.fontFamilyCode }}>
                          {p.locode}
                        </Tag>
                      </Flex>
                      <Flex wrap style={{ fontSize: 12, color: token.colorTextSecondary, columnGap: 8 }}>
                        {[
                          nameOf(p, lang === 'zh-CN' ? 'en-US' : 'zh-CN'),
                          term(t, 'portKind', p.kind),
                          t('overview.portCard.customs', { code: p.customsCode }),
                          t('overview.portCard.areas', { count: count(areas.data, (a) => a.portId === p.id) }),
                          t('overview.portCard.corridors', { count: count(corridors.data, (c) => c.portId === p.id) }),
                        ].map((text) => (
                          <span key={text} style={{ whiteSpace: 'nowrap' }}>
                            {text}
                          </span>
                        ))}
                      </Flex>
                    </Card>
                  </Link>
                ))}
              </Flex>
            )}
          </Card>
        </Col>
      </Row>
    </Flex>
  );
};

export default OverviewPage;
