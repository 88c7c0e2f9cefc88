import {
  CheckCircleFilled,
  ClockCircleOutlined,
  MinusCircleOutlined,
  ReloadOutlined,
  StopFilled,
  WarningOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Breadcrumb, Button, Card, Descriptions, Empty, Flex, Result, Skeleton, Tag, Timeline, Typography, theme } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { useSession } from '../../auth/session.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { usePrefs } from '../../lib/prefs-context.tsx';
import { fetchContainer } from './api.ts';
import { boxEvents, flagViews, type BoxEvent, type FlagView } from './model.ts';
import { MANIFEST_KINDS, type ManifestKind } from './types.ts';
import { DirectionTag, formatKg } from './ui.tsx';

const FlagCard = ({ flag, at }: { flag: FlagView; at: string }) => {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const color = flag.tone === 'alarm' ? token.colorError : flag.tone === 'success' ? token.colorSuccess : token.colorTextQuaternary;
  const Icon = flag.tone === 'alarm' ? StopFilled : flag.on ? CheckCircleFilled : MinusCircleOutlined;
  return (
    <Card
      size="small"
      data-testid={`flag-${flag.key}`}
      data-on={flag.on ? 'true' : 'false'}
      style={{
        height: '100%',
        borderColor: flag.tone === 'alarm' ? token.colorErrorBorder : flag.on ? token.colorSuccessBorder : undefined,
        background: flag.tone === 'alarm' ? token.colorErrorBg : flag.on ? token.colorSuccessBg : token.colorFillQuaternary,
      }}
    >
      <Flex gap={10} align="flex-start">
        <Icon style={{ color, fontSize: 22, marginTop: 2 }} />
        <Flex vertical>
          <Typography.Text strong>{t(`cargo.flag.${flag.key}`)}</Typography.Text>
          <Typography.Text type={flag.on ? undefined : 'secondary'} style={{ fontSize: 12 }}>
            {flag.on ? t('cargo.flagState.on') : t('cargo.flagState.off')}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12, fontVariantNumeric: 'tabular-nums' }}>
            {at}
          </Typography.Text>
        </Flex>
      </Flex>
    </Card>
  );
};

const EventLine = ({ e }: { e: BoxEvent }) => {
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const { token } = theme.useToken();
  const detail = [
    e.manifestKind === null ? null : (MANIFEST_KINDS[e.manifestKind as ManifestKind] ?? e.manifestKind),
    e.location === null ? null : t('cargo.timeline.location', { location: e.location }),
    e.vehicle === null ? null : t('cargo.timeline.vehicle', { vehicle: e.vehicle }),
    e.senderEventId === null ? null : t('cargo.timeline.senderId', { id: e.senderEventId }),
    e.source === 'edifact' ? t('cargo.timeline.viaEdifact') : null,
  ].filter((x) => x !== null);
  return (
    <div data-testid={`box-event-${e.type}`} data-tone={e.tone}>
      <Flex gap={8} wrap align="baseline">
        <Typography.Text strong style={e.tone === 'alarm' ? { color: token.colorError } : undefined}>
          {t(e.labelKey, { defaultValue: e.type })}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12, fontVariantNumeric: 'tabular-nums' }}>
          {formatDateTime(e.at, lang, timeZone)} · {t(`cargo.timeline.actor.${e.actorType}`, { defaultValue: e.actorType })}
        </Typography.Text>
        {e.recordedLater && (
          <Tag color="gold" style={{ fontSize: 11 }}>
            {t('cargo.timeline.recordedAt', { at: formatDateTime(e.recordedAt, lang, timeZone) })}
          </Tag>
        )}
      </Flex>
      {detail.length > 0 && (
        <Typography.Paragraph type="secondary" style={{ margin: '2px 0 0', fontSize: 13 }}>
          {detail.join(' · ')}
        </Typography.Paragraph>
      )}
    </div>
  );
};

/** /containers/:id — one box visit: its seven flags, the time each was set, and every event in event-time order. */
const ContainerDetailPage = () => {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const { can } = useSession();
  const { token } = theme.useToken();
  const time = (iso: string | null | undefined) => formatDateTime(iso ?? null, lang, timeZone);
  const q = useQuery({ queryKey: ['container', id], queryFn: () => fetchContainer(id) });
  const c = q.data;
  const events = useMemo(() => boxEvents(c?.timeline ?? []), [c]);

  if (q.isError) {
    const notFound = q.error instanceof ApiError && q.error.status === 404;
    return notFound ? (
      <Result
        status="404"
        title="404"
        subTitle={t('cargo.box.notFound', { id })}
        extra={
          <Link to="/containers">
            <Button type="primary">{t('cargo.box.back')}</Button>
          </Link>
        }
        data-testid="container-not-found"
      />
    ) : (
      <Result
        status="warning"
        title={t('cargo.box.loadFailed')}
        subTitle={q.error.message}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void q.refetch()}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }
  const crumbs = (
    <Breadcrumb
      items={[{ title: <Link to="/containers">{t('cargo.nav.containers')}</Link> }, { title: c === undefined ? id : c.number }]}
    />
  );
  if (c === undefined) {
    return (
      <Flex vertical gap={16}>
        {crumbs}
        <Card>
          <Skeleton active paragraph={{ rows: 6 }} />
        </Card>
      </Flex>
    );
  }
  const flags = flagViews(c);
  const holdLifted = c.times.customsHoldLiftedAt ?? null;

  return (
    <Flex vertical gap={16} data-testid="container-detail">
      {crumbs}
      <Card>
        <Flex align="baseline" gap={12} wrap style={{ marginBottom: 16 }}>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="container-number">
            {c.number}
          </Typography.Title>
          <DirectionTag direction={c.direction} />
          {c.flags.onHold && (
            <Tag color="red" icon={<WarningOutlined />} data-testid="container-on-hold">
              {t('cargo.flag.onHold')}
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
                <Link to={`/port-calls/${encodeURIComponent(c.portCallId)}`}>
                  {c.vessel.name} · {c.vessel.voyage}
                </Link>
              ) : (
                `${c.vessel.name} · ${c.vessel.voyage}`
              ),
            },
            { key: 'port', label: t('cargo.box.port'), children: c.portLocode },
            {
              key: 'type',
              label: t('cargo.box.sizeType'),
              children: `${c.sizeType ?? '—'} · ${c.fullness === null ? '—' : t(`cargo.fullness.${c.fullness}`, { defaultValue: c.fullness })}`,
            },
            { key: 'gross', label: t('cargo.goods.grossKg'), children: formatKg(c.grossKg, lang) },
            { key: 'seals', label: t('cargo.box.seals'), children: c.seals.length === 0 ? '—' : c.seals.join(', ') },
            { key: 'bills', label: t('cargo.col.bills'), children: c.bills.length === 0 ? '—' : c.bills.join(', ') },
            {
              key: 'manifest',
              label: t('cargo.box.manifest'),
              children:
                c.manifestId === null ? (
                  '—'
                ) : (
                  <Link to={`/manifests/${encodeURIComponent(c.manifestId)}`} data-testid="container-manifest-link">
                    {t('cargo.box.openManifest')}
                  </Link>
                ),
            },
            {
              key: 'last',
              label: t('cargo.box.lastEvent'),
              children: `${time(c.lastEventAt)}${c.lastLocation === null ? '' : ` · ${c.lastLocation}`}`,
            },
          ]}
        />
      </Card>

      <Card size="small" title={t('cargo.box.flags')} data-testid="container-flags">
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))', gap: 12 }}>
          {flags.map((f) => (
            <div key={f.key}>
              <FlagCard
                flag={f}
                at={
                  f.key === 'onHold' && !f.on && f.at !== null
                    ? t('cargo.box.holdCleared', { at: time(holdLifted ?? c.times.customsReleasedAt) })
                    : f.at === null
                      ? '—'
                      : time(f.at)
                }
              />
            </div>
          ))}
        </div>
      </Card>

      <Card size="small" title={t('cargo.box.timeline', { count: events.length })} data-testid="container-timeline-card">
        {events.length === 0 ? (
          <Empty description={t('cargo.timeline.empty')} />
        ) : (
          <Timeline
            data-testid="container-timeline"
            items={events.map((e) => ({
              key: e.key,
              icon:
                e.tone === 'alarm' ? (
                  <StopFilled style={{ color: token.colorError }} />
                ) : e.tone === 'success' ? (
                  <CheckCircleFilled style={{ color: token.colorSuccess }} />
                ) : (
                  <ClockCircleOutlined style={{ color: token.colorPrimary }} />
                ),
              content: <EventLine e={e} />,
            }))}
          />
        )}
      </Card>
    </Flex>
  );
};

export default ContainerDetailPage;
