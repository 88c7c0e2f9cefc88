import { Space, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { formatDate, formatNumber } from '../../lib/format.ts';
import type { Lang } from '../../lib/prefs.ts';
import type { EntityDef, FieldDef } from './entities.ts';
import type { RefData } from './refs.ts';

/**
 * How a field's value reads: as plain text / a number (Excel, history diffs) and as rich content
 * (table cells, the details drawer). One place, so the table, the export and the drawer agree.
 */
export type ValueContext = { t: TFunction; lang: Lang; refs: RefData };

export const fieldLabel = (f: FieldDef, t: TFunction): string => t(f.label ?? `fields.${f.key}`);

export const unitLabel = (f: FieldDef, t: TFunction): string | null => (f.unit === undefined ? null : t(`units.${f.unit}`));

/** The label with its unit, for headers: 岸线长度（米） / Length (m). */
export const fieldTitle = (f: FieldDef, t: TFunction): string => {
  const unit = unitLabel(f, t);
  return unit === null ? fieldLabel(f, t) : t('registry.withUnit', { label: fieldLabel(f, t), unit });
};

export const enumLabel = (f: FieldDef, value: string, t: TFunction): string =>
  f.enumKey === undefined ? value : t(`enums.${f.enumKey}.${value}`, { defaultValue: value });

const isEmpty = (v: unknown): boolean => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/** The referenced record's `code · name`, or null when it is not in the loaded lists. */
export const refLabel = (f: FieldDef, value: string, refs: RefData): string | null => {
  switch (f.type) {
    case 'ref':
      return f.ref === undefined ? null : (refs.entity(f.ref).byKey.get(value) ?? null);
    case 'customs':
      return refs.customs.byKey.get(value) ?? null;
    case 'org':
      return refs.orgs.byKey.get(value) ?? null;
    default:
      return null;
  }
};

/** Plain value for Excel: numbers stay numbers; everything else is the text the table shows. */
export const exportValueOf = (f: FieldDef, value: unknown, ctx: ValueContext): string | number | null => {
  if (isEmpty(value)) {
    return null;
  }
  switch (f.type) {
    case 'number':
    case 'integer':
      return typeof value === 'number' ? value : Number(value);
    case 'boolean':
      return value === true ? ctx.t('registry.yes') : ctx.t('registry.no');
    case 'enum':
      return enumLabel(f, String(value), ctx.t);
    case 'cargoTypes':
      return (value as string[]).map((c) => ctx.t(`enums.cargoType.${c}`, { defaultValue: c })).join(ctx.t('table.listSep'));
    case 'ref':
    case 'customs':
    case 'org':
      return refLabel(f, String(value), ctx.refs) ?? String(value);
    case 'code':
    case 'text':
    case 'textarea':
      return String(value);
  }
};

/** Text with units, for the history's "old → new" lines. */
export const displayText = (f: FieldDef, value: unknown, ctx: ValueContext): string => {
  if (isEmpty(value)) {
    return '—';
  }
  if ((f.type === 'number' || f.type === 'integer') && typeof value === 'number') {
    const n = formatNumber(value, ctx.lang, f.type === 'integer' ? 0 : Math.min(f.digits ?? 2, decimals(value)));
    const unit = unitLabel(f, ctx.t);
    return unit === null ? n : `${n} ${unit}`;
  }
  return String(exportValueOf(f, value, ctx));
};

const decimals = (n: number): number => {
  const s = String(n);
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
};

/** Table cell / details content. */
export const renderValue = (f: FieldDef, value: unknown, ctx: ValueContext, options: { withUnit?: boolean } = {}): ReactNode => {
  if (isEmpty(value)) {
    return <Typography.Text type="secondary">—</Typography.Text>;
  }
  switch (f.type) {
    case 'number':
    case 'integer': {
      if (typeof value !== 'number') {
        return String(value);
      }
      const n = formatNumber(value, ctx.lang, f.type === 'integer' ? 0 : Math.min(f.digits ?? 2, decimals(value)));
      const unit = options.withUnit === true ? unitLabel(f, ctx.t) : null;
      return <span style={{ fontVariantNumeric: 'tabular-nums' }}>{unit === null ? n : `${n} ${unit}`}</span>;
    }
    case 'boolean':
      return value === true ? <Tag color="green">{ctx.t('registry.yes')}</Tag> : <Tag>{ctx.t('registry.no')}</Tag>;
    case 'enum': {
      const v = String(value);
      const color = f.colors?.[v];
      return color === undefined ? enumLabel(f, v, ctx.t) : <Tag color={color}>{enumLabel(f, v, ctx.t)}</Tag>;
    }
    case 'cargoTypes':
      return (
        <Space size={[0, 4]} wrap>
          {(value as string[]).map((c) => (
            <Tag key={c} color={CARGO_COLORS[c] ?? 'default'}>
              {ctx.t(`enums.cargoType.${c}`, { defaultValue: c })}
            </Tag>
          ))}
        </Space>
      );
    case 'ref':
    case 'customs':
    case 'org': {
      const id = String(value);
      const label = refLabel(f, id, ctx.refs);
      return label === null ? (
        <Typography.Text type="secondary" title={ctx.t('registry.unknownRef', { id })}>
          {id}
        </Typography.Text>
      ) : (
        label
      );
    }
    case 'code':
      return <span style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' }}>{String(value)}</span>;
    case 'text':
    case 'textarea':
      return String(value);
  }
};

const CARGO_COLORS: Record<string, string> = {
  container: 'blue',
  bulk: 'orange',
  'liquid-bulk': 'purple',
  'ro-ro': 'cyan',
  general: 'default',
  cruise: 'magenta',
};

export const validityText = (from: string, to: string | null, t: TFunction, lang: Lang): string =>
  `${formatDate(from, lang)} — ${to === null ? t('registry.openEnded') : formatDate(to, lang)}`;

/** Fields whose value differs between two versions. */
export const changedFields = (fields: FieldDef[], before: Record<string, unknown>, after: Record<string, unknown>): FieldDef[] =>
  fields.filter((f) => JSON.stringify(before[f.key] ?? null) !== JSON.stringify(after[f.key] ?? null));

/** Fields in reading order: the code first, names in the user's language first, then the rest as declared. */
export const orderedFields = (def: EntityDef, lang: Lang): FieldDef[] => {
  const otherName = lang === 'zh-CN' ? 'nameEn' : 'nameZh';
  const codeFields = def.codeKeys.flatMap((k) => def.fields.filter((f) => f.key === k));
  const names = def.fields
    .filter((f) => f.key === 'nameZh' || f.key === 'nameEn')
    .sort((a, b) => (a.key === otherName ? 1 : 0) - (b.key === otherName ? 1 : 0));
  const rest = def.fields.filter((f) => !codeFields.includes(f) && !names.includes(f));
  return [...codeFields, ...names, ...rest];
};
