import { CheckCircleOutlined, ClockCircleOutlined, MergeOutlined, StopOutlined } from '@ant-design/icons';
import { Empty, Flex, Tag, Timeline, Tooltip, Typography, theme } from 'antd';
import type { ReactElement } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { formatDate } from '../../lib/format.ts';
import type { Lang } from '../../lib/prefs.ts';
import { codeText } from '../map/terms.ts';
import type { CodeEvent, CodeHistoryEntry, SiteRef } from './code-history.ts';

const KEY: Record<CodeEvent['kind'], string> = {
  unified: 'unified',
  'code-registered': 'codeRegistered',
  'code-retired': 'codeRetired',
  'sites-opened': 'sitesOpened',
  'sites-recoded': 'sitesRecoded',
  'sites-closed': 'sitesClosed',
  'alias-started': 'aliasStarted',
  'alias-ended': 'aliasEnded',
};

const Sites = ({ sites, lang }: { sites: SiteRef[]; lang: Lang }) =>
  sites.length === 1 && sites[0] !== undefined ? (
    <Typography.Text>
      <Tag style={{ marginInlineEnd: 6 }}>{sites[0].code}</Tag>
      {lang === 'zh-CN' ? sites[0].nameZh : sites[0].nameEn}
    </Typography.Text>
  ) : (
    <Flex wrap gap={4}>
      {sites.map((s) => (
        <Tooltip key={s.code} title={lang === 'zh-CN' ? s.nameZh : s.nameEn}>
          <Tag style={{ marginInlineEnd: 0 }}>{s.code}</Tag>
        </Tooltip>
      ))}
    </Flex>
  );

const EventLine = ({ e, lang }: { e: CodeEvent; lang: Lang }) => {
  const { t } = useTranslation();
  const code: ReactElement = <Typography.Text code strong />;
  const values = 'code' in e ? { code: codeText(e.code) } : { from: codeText(e.from), to: codeText(e.to) };
  const text = <Trans t={t} i18nKey={`codeHistory.event.${KEY[e.kind]}`} values={values} components={{ c: code }} />;
  switch (e.kind) {
    case 'unified':
      return (
        <Typography.Text strong style={{ fontSize: 15 }} data-testid="code-event-unified">
          {text}
        </Typography.Text>
      );
    case 'code-registered':
    case 'code-retired':
      return (
        <div data-testid={`code-event-${e.kind}`}>
          <Typography.Text>{text}</Typography.Text>
          {e.kind === 'code-registered' && e.current && (
            <Tag color="green" style={{ marginInlineStart: 8 }}>
              {t('codeHistory.inForce')}
            </Tag>
          )}
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {lang === 'zh-CN' ? e.nameZh : e.nameEn}
            </Typography.Text>
          </div>
        </div>
      );
    case 'sites-opened':
    case 'sites-recoded':
    case 'sites-closed':
      return (
        <div data-testid={`code-event-${e.kind}`}>
          <Typography.Text>{text}</Typography.Text>
          <div style={{ marginTop: 4 }}>
            <Sites sites={e.sites} lang={lang} />
          </div>
        </div>
      );
    case 'alias-started':
    case 'alias-ended':
      return (
        <div data-testid={`code-event-${e.kind}`}>
          <Typography.Text>{text}</Typography.Text>
          {e.kind === 'alias-started' && e.current && (
            <Tag color="green" style={{ marginInlineStart: 8 }}>
              {t('codeHistory.inForce')}
            </Tag>
          )}
          {e.kind === 'alias-started' && e.note !== '' && (
            <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '2px 0 0' }} ellipsis={{ rows: 2, expandable: true }}>
              {e.note}
            </Typography.Paragraph>
          )}
        </div>
      );
  }
};

/** The code history of a port as a timeline, oldest first (see code-history.ts). */
export const CodeTimeline = ({ entries, lang }: { entries: CodeHistoryEntry[]; lang: Lang }) => {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  if (entries.length === 0) {
    return <Empty description={t('codeHistory.empty')} />;
  }
  return (
    <Timeline
      data-testid="code-timeline"
      items={entries.map((entry) => {
        const merge = entry.events.some((e) => e.kind === 'unified');
        return {
          key: entry.date,
          color: entry.tone === 'change' ? 'blue' : entry.tone === 'end' ? 'gray' : 'green',
          icon: merge ? (
            <MergeOutlined style={{ fontSize: 16, color: token.colorPrimary }} />
          ) : entry.tone === 'end' ? (
            <StopOutlined style={{ color: token.colorTextTertiary }} />
          ) : entry.tone === 'change' ? (
            <ClockCircleOutlined style={{ color: token.colorPrimary }} />
          ) : (
            <CheckCircleOutlined style={{ color: token.colorSuccess }} />
          ),
          content: (
            <div data-testid={`code-history-${entry.date}`} style={{ paddingBottom: 4 }}>
              <Typography.Text strong style={{ fontVariantNumeric: 'tabular-nums', fontSize: 15 }} data-testid="code-history-date">
                {formatDate(entry.date, lang)}
              </Typography.Text>
              <Flex
                vertical
                gap={8}
                style={
                  merge
                    ? {
                        marginTop: 6,
                        background: token.colorPrimaryBg,
                        border: `1px solid ${token.colorPrimaryBorder}`,
                        borderRadius: token.borderRadius,
                        padding: '8px 12px',
                      }
                    : { marginTop: 6 }
                }
              >
                {entry.events.map((e, i) => (
                  <EventLine key={`${e.kind}-${i}`} e={e} lang={lang} />
                ))}
              </Flex>
            </div>
          ),
        };
      })}
    />
  );
};
