import { AlertOutlined, CheckCircleOutlined, ClockCircleOutlined, MedicineBoxOutlined, WarningOutlined } from '@ant-design/icons';
import { Empty, Flex, Tag, Timeline, Typography, theme } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { codeText } from '../../components/map/terms.ts';
import { formatDateTime } from '../../lib/format.ts';
import { usePrefs } from '../../lib/prefs-context.tsx';
import type { Lang } from '../../lib/prefs.ts';
import type { TimelineItem } from './model.ts';

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const codeOf = (v: unknown): string | null =>
  typeof v === 'object' && v !== null && 'portCode' in v && 'customsCode' in v
    ? codeText(v as { portCode: string; customsCode: string })
    : null;

/** One line saying what the event carried, in the user's words (null when the title says it all). */
export const eventDetail = (item: TimelineItem, t: TFunction, lang: Lang, timeZone: string): string | null => {
  const p = item.payload;
  const time = (v: unknown) => formatDateTime(str(v), lang, timeZone);
  const code = typeof p.code === 'object' && p.code !== null ? (p.code as Record<string, unknown>) : {};
  switch (item.type) {
    case 'port-call.pre-reported':
      return t('portCalls.detailLine.preReported', { eta: time(p.eta), port: str(p.portLocode) ?? '' });
    case 'port-call.late-report-flagged':
      return t('portCalls.detailLine.late', { hours: typeof p.hoursBeforeEta === 'number' ? p.hoursBeforeEta : '—' });
    case 'port-call.confirmed':
      return t('portCalls.detailLine.confirmed', { eta: time(p.eta), etd: time(p.etd) });
    case 'port-call.arrived':
      return t(`portCalls.place.${str(p.place) ?? 'anchorage'}`);
    case 'port-call.berth-planned':
      return t('portCalls.detailLine.planned', {
        berth: str(p.berthCode) ?? '',
        start: time(p.start),
        end: time(p.end),
        code: codeOf(code.berth) ?? '—',
      });
    case 'port-call.code-mismatch-flagged':
      return t('portCalls.detailLine.mismatch', {
        berth: str(p.berthCode) ?? '',
        declared: codeOf(code.declared) ?? '—',
        code: codeOf(code.berth) ?? '—',
      });
    case 'port-call.berthed':
    case 'port-call.berth-shifted':
      return [
        str(p.berthCode),
        p.redeclaration === true ? t('portCalls.detailLine.redeclaration') : null,
        p.redeclarationAvoided === true ? t('portCalls.detailLine.avoided') : null,
      ]
        .filter((x) => x !== null)
        .join(' · ');
    case 'port-call.cargo-operations-refused':
      return str(p.reason);
    case 'port-call.departure-reported':
      return t('portCalls.detailLine.etd', { etd: time(p.etd) });
    case 'port-call.cancelled':
      return str(p.reason);
    case 'port-call.quarantine-mode-set':
    case 'port-call.pratique-granted':
      return str(p.mode) === null ? null : t(`quarantine.mode.${str(p.mode)}`, { defaultValue: str(p.mode) ?? '' });
    default: {
      const mode = str(p.mode);
      const reason = str(p.reason) ?? str(p.note) ?? str(p.escalationReason);
      const cert = str(p.certificateNo);
      const parts = [
        mode === null ? null : t(`quarantine.mode.${mode}`, { defaultValue: mode }),
        typeof p.score === 'number' ? t('quarantine.scoreValue', { score: p.score }) : null,
        cert === null ? null : t('quarantine.certificateValue', { no: cert }),
        reason,
      ].filter((x) => x !== null);
      return parts.length === 0 ? null : parts.join(' · ');
    }
  }
};

/** Who did it: a rule by its id, a person or an integration by kind (names are not in the event log). */
const actorText = (item: TimelineItem, t: TFunction): string =>
  item.actorType === 'rule'
    ? t('portCalls.timeline.rule', { id: item.actorId ?? '' })
    : t(`portCalls.timeline.actor.${item.actorType}`, { defaultValue: item.actorType });

/** The call's and its quarantine case's events, oldest first; an alarm is red, a warning orange. */
export const CallTimeline = ({ items }: { items: TimelineItem[] }) => {
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const { token } = theme.useToken();
  if (items.length === 0) {
    return <Empty description={t('portCalls.timeline.empty')} />;
  }
  return (
    <Timeline
      data-testid="call-timeline"
      items={items.map((item) => {
        const detail = eventDetail(item, t, lang, timeZone);
        const color =
          item.tone === 'alarm'
            ? token.colorError
            : item.tone === 'warning'
              ? token.colorWarning
              : item.tone === 'success'
                ? token.colorSuccess
                : token.colorPrimary;
        const Icon =
          item.tone === 'alarm'
            ? AlertOutlined
            : item.tone === 'warning'
              ? WarningOutlined
              : item.tone === 'success'
                ? CheckCircleOutlined
                : item.aggregate === 'quarantine'
                  ? MedicineBoxOutlined
                  : ClockCircleOutlined;
        return {
          key: item.key,
          icon: <Icon style={{ color, fontSize: item.tone === 'alarm' ? 18 : 14 }} />,
          content: (
            <div
              data-testid={`event-${item.type}`}
              data-tone={item.tone}
              style={
                item.tone === 'alarm'
                  ? {
                      background: token.colorErrorBg,
                      border: `1px solid ${token.colorErrorBorder}`,
                      borderRadius: token.borderRadius,
                      padding: '6px 10px',
                    }
                  : undefined
              }
            >
              <Flex gap={8} wrap align="baseline">
                <Typography.Text strong style={item.tone === 'alarm' ? { color: token.colorError } : undefined}>
                  {t(item.labelKey, { defaultValue: item.type })}
                </Typography.Text>
                {item.tone === 'alarm' && <Tag color="red">{t('portCalls.timeline.alarm')}</Tag>}
                {item.aggregate === 'quarantine' && <Tag color="purple">{t('portCalls.timeline.quarantine')}</Tag>}
                <Typography.Text type="secondary" style={{ fontSize: 12, fontVariantNumeric: 'tabular-nums' }}>
                  {formatDateTime(item.at, lang, timeZone)} · {actorText(item, t)}
                </Typography.Text>
              </Flex>
              {detail !== null && detail !== '' && (
                <Typography.Paragraph type="secondary" style={{ margin: '2px 0 0', fontSize: 13 }}>
                  {detail}
                </Typography.Paragraph>
              )}
            </div>
          ),
        };
      })}
    />
  );
};
