import { WarningOutlined } from '@ant-design/icons';
import { Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { splitMinutes } from './model.ts';
import { MANIFEST_KINDS, type FlagKey, type ManifestKind, type ManifestState } from './types.ts';

export const MANIFEST_STATE_COLORS: Record<ManifestState, string> = { filed: 'blue', amended: 'geekblue', deleted: 'default' };

/** A manifest kind in words with its message type (MT1101 …), the code customs people know it by. */
export const KindTag = ({ kind }: { kind: ManifestKind }) => {
  const { t } = useTranslation();
  return (
    <Tooltip title={t(`cargo.kind.${kind}`, { defaultValue: kind })}>
      <span data-testid="manifest-kind">
        <Tag color="purple" style={{ marginInlineEnd: 6 }}>
          {MANIFEST_KINDS[kind] ?? kind}
        </Tag>
        {t(`cargo.kind.${kind}`, { defaultValue: kind })}
      </span>
    </Tooltip>
  );
};

export const kindText = (kind: ManifestKind, t: (k: string, o?: Record<string, unknown>) => string): string =>
  `${MANIFEST_KINDS[kind] ?? kind} ${t(`cargo.kind.${kind}`, { defaultValue: kind })}`;

export const ManifestStateTag = ({ state }: { state: ManifestState }) => {
  const { t } = useTranslation();
  return (
    <Tag color={MANIFEST_STATE_COLORS[state] ?? 'default'} data-testid="manifest-state">
      {t(`cargo.state.${state}`, { defaultValue: state })}
    </Tag>
  );
};

export const LateTag = ({ late }: { late: boolean }) => {
  const { t } = useTranslation();
  return late ? (
    <Tag color="orange" icon={<WarningOutlined />} data-testid="manifest-late">
      {t('cargo.late')}
    </Tag>
  ) : (
    <Typography.Text type="secondary">—</Typography.Text>
  );
};

/** "2 d 3 h 5 min" in the user's language; negative minutes read as early. */
export const useDuration = () => {
  const { t } = useTranslation();
  return (minutes: number | null): string => {
    if (minutes === null) {
      return '—';
    }
    const { days, hours, minutes: m } = splitMinutes(minutes);
    const parts = [
      days > 0 ? t('cargo.duration.days', { count: days }) : null,
      hours > 0 ? t('cargo.duration.hours', { count: hours }) : null,
      m > 0 || (days === 0 && hours === 0) ? t('cargo.duration.minutes', { count: m }) : null,
    ].filter((x) => x !== null);
    return minutes < 0 ? t('cargo.duration.early', { value: parts.join(' ') }) : parts.join(' ');
  };
};

/** A flag that is on, as a coloured tag (a hold in red). */
export const FlagTag = ({ flag }: { flag: FlagKey }) => {
  const { t } = useTranslation();
  const color = flag === 'onHold' ? 'red' : flag === 'customsReleased' ? 'green' : flag === 'terminalReleased' ? 'cyan' : 'blue';
  return (
    <Tag color={color} data-testid={`flag-tag-${flag}`} style={{ marginInlineEnd: 4 }}>
      {t(`cargo.flag.${flag}`)}
    </Tag>
  );
};

export const DirectionTag = ({ direction }: { direction: string }) => {
  const { t } = useTranslation();
  return <Tag color={direction === 'import' ? 'geekblue' : 'gold'}>{t(`cargo.direction.${direction}`, { defaultValue: direction })}</Tag>;
};

export const formatKg = (kg: number | null | undefined, lang: string): string =>
  kg === null || kg === undefined ? '—' : `${new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(kg)} kg`;
