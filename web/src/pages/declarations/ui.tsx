import { useQuery } from '@tanstack/react-query';
import { Tag, Tooltip } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session.tsx';
import { fetchAll, nameOf, todayIn } from '../../components/map/registry-data.ts';
import { usePrefs } from '../../lib/prefs-context.tsx';
import type { Channel, Declaration, DeclarationStatus } from './types.ts';

export const STATUS_COLORS: Record<DeclarationStatus, string> = {
  L: 'blue',
  J: 'geekblue',
  C: 'orange',
  T: 'gold',
  P: 'green',
  R: 'default',
  E: 'red',
  Z: 'volcano',
  D: 'default',
  M: 'purple',
  H: 'magenta',
};

export const CHANNEL_COLORS: Record<Channel, string> = {
  release: 'green',
  'document-review': 'blue',
  'machine-scan': 'orange',
  'manual-inspection': 'volcano',
  'machine-then-manual': 'red',
};

/** The receipt code and its name as the server gives it, in the user's language. */
export const statusText = (d: Pick<Declaration, 'status' | 'statusName'>, lang: string): string =>
  `${d.status} ${lang === 'zh-CN' ? d.statusName.zh : d.statusName.en}`;

export const StatusTag = ({ d }: { d: Pick<Declaration, 'status' | 'statusName'> }) => {
  const { lang } = usePrefs();
  return (
    <Tooltip title={lang === 'zh-CN' ? d.statusName.en : d.statusName.zh}>
      <Tag color={STATUS_COLORS[d.status] ?? 'default'} data-testid="declaration-status" data-status={d.status}>
        {statusText(d, lang)}
      </Tag>
    </Tooltip>
  );
};

export const ChannelTag = ({ channel }: { channel: Channel | null | undefined }) => {
  const { t } = useTranslation();
  if (channel === null || channel === undefined) {
    return <span>—</span>;
  }
  return (
    <Tag color={CHANNEL_COLORS[channel] ?? 'default'} data-testid="declaration-channel" data-channel={channel}>
      {t(`declarations.channel.${channel}`, { defaultValue: channel })}
    </Tag>
  );
};

export const formatMoney = (value: number, currency: string, lang: string): string =>
  `${new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(value)} ${currency}`;

type EnterpriseName = { customsRegCode: string; nameZh: string; nameEn: string };

/** Enterprise names by customs code, from the registry list the user may read (their own, or the district's). */
export const useEnterpriseName = (): ((code: string) => string) => {
  const { lang, timeZone } = usePrefs();
  const { can } = useSession();
  const asOf = todayIn(timeZone);
  const q = useQuery({
    queryKey: ['declarations', 'enterprises', asOf],
    queryFn: () => fetchAll<EnterpriseName>('enterprises', { asOf }),
    enabled: can('GET /api/v1/enterprises'),
    staleTime: 300_000,
  });
  return useMemo(() => {
    const names = new Map((q.data ?? []).map((e) => [e.customsRegCode, nameOf(e, lang)]));
    return (code: string) => names.get(code) ?? code;
  }, [q.data, lang]);
};
