import {
  ApartmentOutlined,
  BorderOuterOutlined,
  ColumnHeightOutlined,
  NodeIndexOutlined,
  ReloadOutlined,
  SafetyCertificateOutlined,
  SwapOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { useQueries, useQuery } from '@tanstack/react-query';
import {
  Breadcrumb,
  Button,
  Card,
  Col,
  Collapse,
  Descriptions,
  Empty,
  Flex,
  List,
  Result,
  Row,
  Skeleton,
  Statistic,
  Table,
  Tag,
  Tooltip,
  Typography,
  theme,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, get } from '../api/client.ts';
import {
  fetchAll,
  nameOf,
  todayIn,
  type Berth,
  type BondedZone,
  type CodeAlias,
  type Corridor,
  type CustomsOffice,
  type InlandPort,
  type Port,
  type PortArea,
  type RegulatoryCode,
  type SupervisionSite,
  type Terminal,
} from '../components/map/registry-data.ts';
import { codeText, formatCoordinates, term } from '../components/map/terms.ts';
import { pairKey, resolveCanonical, type CodePair } from '../components/timeline/code-history.ts';
import { CodeTimeline } from '../components/timeline/CodeTimeline.tsx';
import { loadCodeHistory } from '../components/timeline/load-code-history.ts';
import { formatDate, formatNumber } from '../lib/format.ts';
import { usePrefs } from '../lib/prefs-context.tsx';

type CodeInfo = { declared: CodePair; canonical: CodePair; viaAlias: boolean; known: boolean };
/** One table row per berth; the terminal cell spans its berths (a terminal without berths gets one row). */
type BerthRow = { key: string; terminal: Terminal; berth: Berth | null; span: number };

/** Sum of the berth columns' widths: narrower screens scroll the table rather than squeeze a column. */
const BERTH_TABLE_WIDTH = 1080;

const berthRows = (terminals: Terminal[], berths: Berth[]): BerthRow[] =>
  terminals.flatMap((terminal): BerthRow[] => {
    const own = berths.filter((b) => b.terminalId === terminal.id);
    return own.length === 0
      ? [{ key: terminal.id, terminal, berth: null, span: 1 }]
      : own.map((berth, i) => ({ key: berth.id, terminal, berth, span: i === 0 ? own.length : 0 }));
  });

const Retry = ({ title, onRetry, message }: { title: string; onRetry: () => void; message?: string }) => {
  const { t } = useTranslation();
  return (
    <Result
      status="warning"
      title={title}
      subTitle={message}
      extra={
        <Button icon={<ReloadOutlined />} onClick={onRetry}>
          {t('common.retry')}
        </Button>
      }
    />
  );
};

/** A regulatory code as an officer reads it: the canonical pair, and how it was reached. */
const CodeCell = ({ info, showDeclared = false }: { info: CodeInfo | undefined; showDeclared?: boolean }) => {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  if (info === undefined) {
    return <Typography.Text type="secondary">—</Typography.Text>;
  }
  return (
    <Flex gap={4} align="center" wrap>
      {showDeclared && info.viaAlias && (
        <>
          <Typography.Text code delete style={{ whiteSpace: 'nowrap' }}>
            {codeText(info.declared)}
          </Typography.Text>
          →
        </>
      )}
      <Typography.Text code strong style={{ whiteSpace: 'nowrap' }}>
        {codeText(info.canonical)}
      </Typography.Text>
      {info.viaAlias && (
        <Tooltip title={t('port.berth.viaAlias', { declared: codeText(info.declared), canonical: codeText(info.canonical) })}>
          <SwapOutlined
            style={{ color: token.colorPrimary }}
            aria-label={t('port.berth.viaAlias', { declared: codeText(info.declared), canonical: codeText(info.canonical) })}
          />
        </Tooltip>
      )}
      {!info.known && (
        <Tooltip title={t('port.berth.unknownCode', { code: codeText(info.canonical) })}>
          <WarningOutlined
            style={{ color: token.colorWarning }}
            aria-label={t('port.berth.unknownCode', { code: codeText(info.canonical) })}
          />
        </Tooltip>
      )}
    </Flex>
  );
};

/** /ports/:id — one port: facts, port areas → terminals → berths with their codes, supervision sites, code history. */
const PortDetailPage = () => {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const { token } = theme.useToken();
  const asOf = todayIn(timeZone);

  const portQ = useQuery({
    queryKey: ['port', id, asOf],
    queryFn: () => get<Port>(`/api/v1/ports/${encodeURIComponent(id)}`, { asOf }),
  });
  const ready = portQ.data !== undefined;

  const [areasQ, terminalsQ, berthsQ, sitesQ, aliasesQ, codesQ, officesQ, corridorsQ, inlandQ, bondedQ] = useQueries({
    queries: [
      { queryKey: ['port', id, 'areas', asOf], queryFn: () => fetchAll<PortArea>('port-areas', { asOf, portId: id }), enabled: ready },
      { queryKey: ['cluster', 'terminals', asOf], queryFn: () => fetchAll<Terminal>('terminals', { asOf }), enabled: ready },
      { queryKey: ['cluster', 'berths', asOf], queryFn: () => fetchAll<Berth>('berths', { asOf }), enabled: ready },
      {
        queryKey: ['cluster', 'supervision-sites', asOf],
        queryFn: () => fetchAll<SupervisionSite>('supervision-sites', { asOf }),
        enabled: ready,
      },
      { queryKey: ['cluster', 'code-aliases', asOf], queryFn: () => fetchAll<CodeAlias>('code-aliases', { asOf }), enabled: ready },
      {
        queryKey: ['cluster', 'regulatory-codes', asOf],
        queryFn: () => fetchAll<RegulatoryCode>('regulatory-codes', { asOf }),
        enabled: ready,
      },
      {
        queryKey: ['cluster', 'customs-offices', asOf],
        queryFn: () => fetchAll<CustomsOffice>('customs-offices', { asOf }),
        enabled: ready,
      },
      { queryKey: ['port', id, 'corridors', asOf], queryFn: () => fetchAll<Corridor>('corridors', { asOf, portId: id }), enabled: ready },
      { queryKey: ['cluster', 'inland-ports', asOf], queryFn: () => fetchAll<InlandPort>('inland-ports', { asOf }), enabled: ready },
      {
        queryKey: ['port', id, 'bonded-zones', asOf],
        queryFn: () => fetchAll<BondedZone>('bonded-zones', { asOf, portId: id }),
        enabled: ready,
      },
    ],
  });
  const detailQueries = [areasQ, terminalsQ, berthsQ, sitesQ, aliasesQ, codesQ, officesQ, corridorsQ, inlandQ, bondedQ];

  const model = useMemo(() => {
    if (!areasQ.data || !terminalsQ.data || !berthsQ.data || !sitesQ.data || !aliasesQ.data || !codesQ.data) {
      return null;
    }
    const areas = [...areasQ.data].sort((a, b) => a.code.localeCompare(b.code));
    const areaIds = new Set(areas.map((a) => a.id));
    const terminals = terminalsQ.data.filter((x) => areaIds.has(x.portAreaId)).sort((a, b) => a.code.localeCompare(b.code));
    const terminalIds = new Set(terminals.map((x) => x.id));
    const berths = berthsQ.data.filter((b) => terminalIds.has(b.terminalId)).sort((a, b) => a.code.localeCompare(b.code));
    const siteById = new Map(sitesQ.data.map((s) => [s.id, s]));
    const sites = sitesQ.data
      .filter((s) => s.portAreaId !== null && areaIds.has(s.portAreaId))
      .sort((a, b) => a.code.localeCompare(b.code));
    const known = new Set(codesQ.data.map((c) => pairKey(c)));
    const codeOfSite = new Map<string, CodeInfo>(
      sitesQ.data.map((s) => {
        const declared = { portCode: s.portCode, customsCode: s.customsCode };
        const r = resolveCanonical(declared, aliasesQ.data, asOf);
        return [s.id, { declared, canonical: r.canonical, viaAlias: r.viaAlias, known: known.has(pairKey(r.canonical)) }];
      }),
    );
    return { areas, terminals, berths, sites, siteById, codeOfSite };
  }, [areasQ.data, terminalsQ.data, berthsQ.data, sitesQ.data, aliasesQ.data, codesQ.data, asOf]);

  const siteIds = model?.sites.map((s) => s.id) ?? [];
  const historyQ = useQuery({
    queryKey: ['port', id, 'code-history', asOf, siteIds.join(',')],
    queryFn: () =>
      loadCodeHistory(
        siteIds,
        asOf,
        portQ.data === undefined ? [] : [{ portCode: portQ.data.locode, customsCode: portQ.data.customsCode }],
      ),
    enabled: model !== null && portQ.data !== undefined,
  });

  if (portQ.isError) {
    const notFound = portQ.error instanceof ApiError && portQ.error.status === 404;
    return notFound ? (
      <Result
        status="404"
        title="404"
        subTitle={t('port.notFound', { id })}
        extra={
          <Link to="/">
            <Button type="primary">{t('port.back')}</Button>
          </Link>
        }
        data-testid="port-not-found"
      />
    ) : (
      <Retry title={t('port.loadFailed')} message={portQ.error.message} onRetry={() => void portQ.refetch()} />
    );
  }

  const port = portQ.data;
  const detailFailed = detailQueries.find((q) => q.isError);
  const retryDetails = () => detailQueries.filter((q) => q.isError).forEach((q) => void q.refetch());
  const office = port === undefined ? undefined : officesQ.data?.find((o) => o.code === port.customsCode);
  const other = lang === 'zh-CN' ? 'en-US' : 'zh-CN';

  const berthColumns: ColumnsType<BerthRow> = [
    {
      key: 'terminal',
      title: t('port.berth.terminal'),
      width: 190,
      onCell: (r) => ({ rowSpan: r.span, style: { verticalAlign: 'top', background: token.colorFillQuaternary } }),
      render: (_, r) => (
        <Flex vertical gap={4} data-testid={`terminal-${r.terminal.code}`}>
          <Typography.Text strong>{nameOf(r.terminal, lang)}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.terminal.code}
          </Typography.Text>
          <Flex wrap gap={4}>
            {r.terminal.cargoTypes.map((c) => (
              <Tag key={c} color="geekblue" style={{ marginInlineEnd: 0 }}>
                {term(t, 'cargo', c)}
              </Tag>
            ))}
          </Flex>
        </Flex>
      ),
    },
    {
      key: 'code',
      title: t('port.berth.code'),
      width: 100,
      render: (_, r) => (r.berth === null ? '—' : <Typography.Text strong>{r.berth.code}</Typography.Text>),
    },
    {
      key: 'name',
      title: t('port.berth.name'),
      width: 170,
      render: (_, r) => (r.berth === null ? t('port.areas.noBerths') : nameOf(r.berth, lang)),
    },
    {
      key: 'length',
      title: t('port.berth.length'),
      align: 'right',
      width: 80,
      render: (_, r) => (r.berth === null ? '' : formatNumber(r.berth.lengthM, lang)),
    },
    {
      key: 'depth',
      title: t('port.berth.depth'),
      align: 'right',
      width: 70,
      render: (_, r) => (r.berth === null ? '' : formatNumber(r.berth.depthM, lang, 1)),
    },
    {
      key: 'dwt',
      title: t('port.berth.maxDwt'),
      align: 'right',
      width: 100,
      render: (_, r) => (r.berth === null ? '' : formatNumber(r.berth.maxDwt, lang)),
    },
    {
      key: 'cargo',
      title: t('port.berth.cargo'),
      width: 130,
      render: (_, r) => (
        <Flex wrap gap={4}>
          {(r.berth?.cargoTypes ?? []).map((c) => (
            <Tag key={c} style={{ marginInlineEnd: 0 }}>
              {term(t, 'cargo', c)}
            </Tag>
          ))}
        </Flex>
      ),
    },
    {
      key: 'site',
      title: t('port.berth.site'),
      width: 100,
      render: (_, r) => {
        const s = r.berth === null ? undefined : model?.siteById.get(r.berth.supervisionSiteId);
        return s === undefined ? (
          ''
        ) : (
          <Tooltip title={nameOf(s, lang)}>
            <Typography.Text>{s.code}</Typography.Text>
          </Tooltip>
        );
      },
    },
    {
      key: 'reg',
      title: t('port.berth.regCode'),
      width: 140,
      render: (_, r) => (r.berth === null ? '' : <CodeCell info={model?.codeOfSite.get(r.berth.supervisionSiteId)} />),
    },
  ];

  const siteColumns: ColumnsType<SupervisionSite> = [
    {
      key: 'code',
      title: t('port.sites.code'),
      dataIndex: 'code',
      width: 100,
      render: (v: string) => <Typography.Text strong>{v}</Typography.Text>,
    },
    {
      key: 'name',
      title: t('port.sites.name'),
      render: (_, s) => (
        <div>
          <div>{nameOf(s, lang)}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {term(t, 'siteKind', s.kind)} · {model?.areas.find((a) => a.id === s.portAreaId)?.code ?? '—'}
          </Typography.Text>
        </div>
      ),
    },
    {
      key: 'code-pair',
      title: t('port.sites.canonical'),
      width: 150,
      render: (_, s) => <CodeCell info={model?.codeOfSite.get(s.id)} showDeclared />,
    },
    {
      key: 'berths',
      title: t('port.sites.berths'),
      width: 72,
      align: 'right',
      render: (_, s) => model?.berths.filter((b) => b.supervisionSiteId === s.id).length ?? 0,
    },
    { key: 'since', title: t('port.sites.since'), dataIndex: 'validFrom', width: 112, render: (v: string) => formatDate(v, lang) },
  ];

  const stats: { key: string; value: number | undefined; icon: ReactNode; precision?: number }[] = [
    { key: 'areas', value: model?.areas.length, icon: <BorderOuterOutlined /> },
    { key: 'terminals', value: model?.terminals.length, icon: <ApartmentOutlined /> },
    { key: 'berths', value: model?.berths.length, icon: <NodeIndexOutlined /> },
    { key: 'sites', value: model?.sites.length, icon: <SafetyCertificateOutlined /> },
    { key: 'quay', value: model?.berths.reduce((s, b) => s + b.lengthM, 0), icon: <ColumnHeightOutlined rotate={90} /> },
    {
      key: 'depth',
      value: model === null || model.berths.length === 0 ? undefined : Math.max(...model.berths.map((b) => b.depthM)),
      icon: <ColumnHeightOutlined />,
      precision: 1,
    },
  ];

  const inlandById = new Map((inlandQ.data ?? []).map((i) => [i.id, i]));

  return (
    <Flex vertical gap={16} data-testid="port-detail">
      <Breadcrumb
        items={[
          { title: <Link to="/">{t('nav.overview')}</Link> },
          { title: t('port.crumb') },
          { title: port === undefined ? id : nameOf(port, lang) },
        ]}
      />

      <Card>
        {port === undefined ? (
          <Skeleton active paragraph={{ rows: 3 }} />
        ) : (
          <>
            <Flex align="baseline" gap={12} wrap style={{ marginBottom: 16 }}>
              <Typography.Title level={3} style={{ margin: 0 }} data-testid="port-name">
                {nameOf(port, lang)}
              </Typography.Title>
              <Typography.Text type="secondary" style={{ fontSize: 16 }}>
                {nameOf(port, other)}
              </Typography.Text>
              <Tag color="blue" style={{ fontSize: 14, padding: '2px 8px' }} data-testid="port-locode">
                {port.locode}
              </Tag>
              <Tag>{term(t, 'portKind', port.kind)}</Tag>
            </Flex>
            <Descriptions
              size="small"
              column={{ xs: 1, sm: 2, lg: 3, xxl: 4 }}
              items={[
                { key: 'locode', label: t('port.facts.locode'), children: <Typography.Text code>{port.locode}</Typography.Text> },
                {
                  key: 'customs',
                  label: t('port.facts.customs'),
                  children: (
                    <span data-testid="port-customs">
                      <Typography.Text code>{port.customsCode}</Typography.Text> {office === undefined ? '' : nameOf(office, lang)}
                    </span>
                  ),
                },
                { key: 'province', label: t('port.facts.province'), children: term(t, 'province', port.province) },
                { key: 'coords', label: t('port.facts.coordinates'), children: formatCoordinates(t, port.lat, port.lon) },
                { key: 'nameZh', label: t('port.facts.nameZh'), children: port.nameZh },
                { key: 'nameEn', label: t('port.facts.nameEn'), children: port.nameEn },
                { key: 'from', label: t('port.facts.validFrom'), children: formatDate(port.validFrom, lang) },
                { key: 'asOf', label: t('port.facts.asOf'), children: formatDate(asOf, lang) },
              ]}
            />
          </>
        )}
      </Card>

      {detailFailed !== undefined ? (
        <Card>
          <Retry title={t('port.loadFailed')} message={detailFailed.error?.message} onRetry={retryDetails} />
        </Card>
      ) : (
        <>
          <Row gutter={[16, 16]}>
            {stats.map((s) => (
              <Col key={s.key} xs={12} sm={8} xl={4} data-testid={`port-stat-${s.key}`}>
                <Card size="small" style={{ height: '100%' }}>
                  <Statistic
                    title={t(`port.stats.${s.key}`)}
                    value={s.value ?? '—'}
                    precision={s.precision}
                    loading={model === null}
                    prefix={<span style={{ color: token.colorPrimary, marginInlineEnd: 4 }}>{s.icon}</span>}
                  />
                </Card>
              </Col>
            ))}
          </Row>

          <Row gutter={[16, 16]} align="stretch">
            <Col xs={24} xl={14}>
              <Card title={t('port.sites.title')} style={{ height: '100%' }} styles={{ body: { padding: model === null ? 24 : 0 } }}>
                {model === null ? (
                  <Skeleton active paragraph={{ rows: 5 }} />
                ) : (
                  <Table<SupervisionSite>
                    rowKey="id"
                    size="small"
                    pagination={false}
                    columns={siteColumns}
                    dataSource={model.sites}
                    locale={{ emptyText: t('port.sites.none') }}
                    scroll={{ x: 640 }}
                    data-testid="port-sites"
                  />
                )}
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              <Card title={t('codeHistory.title')} style={{ height: '100%' }} data-testid="code-history">
                <Typography.Paragraph type="secondary">{t('codeHistory.subtitle')}</Typography.Paragraph>
                {historyQ.isError ? (
                  <Retry title={t('codeHistory.loadFailed')} message={historyQ.error.message} onRetry={() => void historyQ.refetch()} />
                ) : historyQ.data === undefined ? (
                  <Skeleton active paragraph={{ rows: 6 }} />
                ) : (
                  <CodeTimeline entries={historyQ.data} lang={lang} />
                )}
              </Card>
            </Col>
          </Row>

          <Card title={t('port.areas.title')} styles={{ body: { padding: model === null ? 24 : 12 } }}>
            {model === null ? (
              <Skeleton active paragraph={{ rows: 8 }} />
            ) : model.areas.length === 0 ? (
              <Empty description={t('port.areas.noAreas')} />
            ) : (
              <Collapse
                data-testid="port-areas"
                defaultActiveKey={model.areas.map((a) => a.id)}
                items={model.areas.map((area) => {
                  const terminals = model.terminals.filter((x) => x.portAreaId === area.id);
                  const rows = berthRows(terminals, model.berths);
                  const berthCount = rows.filter((r) => r.berth !== null).length;
                  return {
                    key: area.id,
                    label: (
                      <Flex gap={8} align="baseline" wrap data-testid={`port-area-${area.code}`}>
                        <Typography.Text strong>{nameOf(area, lang)}</Typography.Text>
                        <Tag>{area.code}</Tag>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {nameOf(area, other)}
                        </Typography.Text>
                      </Flex>
                    ),
                    extra: (
                      <Typography.Text type="secondary">
                        {t('port.areas.summary', { terminals: terminals.length, berths: berthCount })}
                      </Typography.Text>
                    ),
                    children:
                      terminals.length === 0 ? (
                        <Typography.Text type="secondary">{t('port.areas.noTerminals')}</Typography.Text>
                      ) : (
                        <Table<BerthRow>
                          rowKey="key"
                          size="small"
                          bordered
                          pagination={false}
                          columns={berthColumns}
                          dataSource={rows}
                          scroll={{ x: BERTH_TABLE_WIDTH }}
                          data-testid={`berths-${area.code}`}
                        />
                      ),
                  };
                })}
              />
            )}
          </Card>

          <Row gutter={[16, 16]}>
            <Col xs={24} lg={12}>
              <Card title={t('port.links.corridors')} size="small" style={{ height: '100%' }}>
                {corridorsQ.data === undefined ? (
                  <Skeleton active paragraph={{ rows: 3 }} />
                ) : (
                  <List
                    size="small"
                    dataSource={corridorsQ.data}
                    locale={{ emptyText: t('port.links.none') }}
                    renderItem={(c) => {
                      const to = inlandById.get(c.inlandPortId);
                      return (
                        <List.Item extra={<Tag>{term(t, 'corridorMode', c.mode)}</Tag>}>
                          <Flex vertical>
                            <Typography.Text>{nameOf(c, lang)}</Typography.Text>
                            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                              {c.code}
                              {to === undefined ? '' : ` · ${to.locode ?? to.code} · ${term(t, 'province', to.province)}`}
                            </Typography.Text>
                          </Flex>
                        </List.Item>
                      );
                    }}
                  />
                )}
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card title={t('port.links.bonded')} size="small" style={{ height: '100%' }}>
                {bondedQ.data === undefined ? (
                  <Skeleton active paragraph={{ rows: 3 }} />
                ) : (
                  <List
                    size="small"
                    dataSource={bondedQ.data}
                    locale={{ emptyText: t('port.links.none') }}
                    renderItem={(b) => (
                      <List.Item extra={<Typography.Text code>{b.customsCode}</Typography.Text>}>
                        <Flex vertical>
                          <Typography.Text>{nameOf(b, lang)}</Typography.Text>
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            {b.code} · {term(t, 'bondedKind', b.kind)}
                          </Typography.Text>
                        </Flex>
                      </List.Item>
                    )}
                  />
                )}
              </Card>
            </Col>
          </Row>
        </>
      )}
    </Flex>
  );
};

export default PortDetailPage;
