import { CalendarOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Result, Space, Tooltip, Typography } from 'antd';
import type { TFunction } from 'i18next';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useSession } from '../../auth/session.tsx';
import { DataTable, type DataColumn, type FilterOption } from '../../components/DataTable.tsx';
import { textWidth } from '../../components/table/text-width.ts';
import { formatDate } from '../../lib/format.ts';
import { usePrefs } from '../../lib/prefs-context.tsx';
import { entityDef, isEntityName, type EntityDef, type EntityName, type FieldDef, type RegistryRecord } from './entities.ts';
import { RecordDrawer } from './RecordDrawer.tsx';
import type { FormMode } from './form-values.ts';
import { RecordForm } from './RecordForm.tsx';
import { fetchRegistryPage, useRefData, type RefData } from './refs.ts';
import { enumLabel, exportValueOf, fieldTitle, orderedFields, renderValue, type ValueContext } from './values.tsx';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const todayIn = (timeZone: string): string => {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  } catch {
    return dayjs().format('YYYY-MM-DD');
  }
};

/** Column width: room for the header (and its sort arrows) and for typical content of the field's kind. */
const widthOf = (f: FieldDef, title: string, sortable: boolean, t: TFunction): number => {
  const header = textWidth(title) + (sortable ? 44 : 28);
  let content: number;
  switch (f.type) {
    case 'code':
      content = 120;
      break;
    case 'text':
      content = f.key === 'province' ? 100 : 200;
      break;
    case 'textarea':
      content = 320;
      break;
    case 'ref':
    case 'org':
      content = 200;
      break;
    case 'customs':
      content = 180;
      break;
    case 'number':
    case 'integer':
      content = 90;
      break;
    case 'cargoTypes':
      content = 170;
      break;
    case 'enum':
      content = Math.max(...(f.values ?? []).map((v) => textWidth(enumLabel(f, v, t)))) + (f.colors === undefined ? 24 : 44);
      break;
    case 'boolean':
      content = 80;
      break;
  }
  return Math.max(header, content);
};

const filterOptions = (f: FieldDef, refs: RefData, t: TFunction): FilterOption[] | null => {
  if (f.filter !== true) {
    return null;
  }
  switch (f.type) {
    case 'enum':
      return (f.values ?? []).map((v) => ({ value: v, label: enumLabel(f, v, t) }));
    case 'ref':
      return f.ref === undefined ? null : refs.entity(f.ref).options;
    case 'customs':
      return refs.customs.options;
    case 'org':
      return refs.orgs.options;
    default:
      // Codes and free text: the search box finds them.
      return null;
  }
};

/** The list's columns: the code first, names in the user's language first, then the fields, then validity. */
export const registryColumns = (def: EntityDef, ctx: ValueContext): DataColumn<RegistryRecord>[] => {
  const { t, lang } = ctx;
  const otherName = lang === 'zh-CN' ? 'nameEn' : 'nameZh';
  const ordered = orderedFields(def, lang);

  const columns: DataColumn<RegistryRecord>[] = ordered
    .filter((f) => f.list !== 'never')
    .map((f, i) => {
      const options = filterOptions(f, ctx.refs, t);
      const title = fieldTitle(f, t);
      const sortable = f.sortable ?? !(f.type === 'ref' || f.type === 'org' || f.type === 'cargoTypes');
      return {
        key: f.key,
        title,
        render: (row: RegistryRecord) => renderValue(f, row[f.key], ctx),
        exportValue: (row: RegistryRecord) => exportValueOf(f, row[f.key], ctx),
        sortable,
        defaultHidden: f.list === 'hidden' || f.key === otherName,
        hideable: i > 0,
        // The code stays in view when the table scrolls sideways.
        ...(i === 0 ? { fixed: 'left' as const } : {}),
        width: widthOf(f, title, sortable, t),
        ...(f.type === 'number' || f.type === 'integer' ? { align: 'right' as const } : {}),
        ...(f.type === 'cargoTypes' ? { ellipsis: false } : {}),
        ...(options !== null ? { filter: { options } } : {}),
      };
    });

  return [
    ...columns,
    {
      key: 'validFrom',
      title: t('registry.validFrom'),
      sortable: true,
      width: Math.max(120, textWidth(t('registry.validFrom')) + 44),
      render: (row) => formatDate(row.validFrom, lang),
      exportValue: (row) => row.validFrom,
    },
    {
      key: 'validTo',
      title: t('registry.validTo'),
      width: Math.max(120, textWidth(t('registry.validTo')) + 28),
      render: (row) =>
        row.validTo === null ? (
          <Typography.Text type="secondary">{t('registry.openEnded')}</Typography.Text>
        ) : (
          formatDate(row.validTo, lang)
        ),
      exportValue: (row) => row.validTo ?? t('registry.openEnded'),
    },
  ];
};

/** Ports have their own page (another capability): a way there from each row. */
const portLinkColumn = (t: TFunction): DataColumn<RegistryRecord> => ({
  key: 'portPage',
  title: t('registry.portPage'),
  width: Math.max(100, textWidth(t('registry.portPage')) + 28),
  hideable: false,
  exportable: false,
  fixed: 'right',
  render: (row) => (
    <Link to={`/ports/${encodeURIComponent(row.id)}`} onClick={(e) => e.stopPropagation()} data-testid="registry-port-link">
      {t('registry.openPortShort')}
    </Link>
  ),
});

/** One registry list (ports, berths, …): as-of date, search and filters, details with history, and administration. */
export const RegistryPage = ({ entity }: { entity: string }) => {
  const { t } = useTranslation();
  if (!isEntityName(entity)) {
    return <Result status="404" title="404" subTitle={t('common.notFound')} />;
  }
  return <RegistryView key={entity} entity={entity} />;
};

const RegistryView = ({ entity }: { entity: EntityName }) => {
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const def = entityDef(entity);
  const today = todayIn(timeZone);
  const [params, setParams] = useSearchParams();
  const asOfParam = params.get('asOf');
  const asOf = asOfParam !== null && ISO_DATE.test(asOfParam) ? asOfParam : today;
  const refs = useRefData(def, asOf, lang);
  const [selected, setSelected] = useState<RegistryRecord | null>(null);
  const [formMode, setFormMode] = useState<FormMode | null>(null);

  const canCreate = can(`POST /api/v1/${entity}`);
  const canEdit = can(`PUT /api/v1/${entity}/:id`);
  const title = t(`entities.${entity}.title`);

  const setAsOf = (date: string) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (date === today) {
          next.delete('asOf');
        } else {
          next.set('asOf', date);
        }
        return next;
      },
      { replace: true },
    );
  };

  const columns = registryColumns(def, { t, lang, refs });

  const onSaved = (record: RegistryRecord) => {
    setFormMode(null);
    void queryClient.invalidateQueries({ queryKey: ['registry', entity] });
    void queryClient.invalidateQueries({ queryKey: ['registry-ref', entity] });
    setSelected(record);
  };

  return (
    <Card styles={{ body: { paddingTop: 16 } }} data-testid={`registry-${entity}`}>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 16, alignItems: 'flex-start', marginBottom: 12 }}>
        <div style={{ flex: '1 1 320px', minWidth: 0 }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {title}
          </Typography.Title>
          <Typography.Text type="secondary">{t(`entities.${entity}.hint`)}</Typography.Text>
        </div>
        <Space wrap>
          <Tooltip title={t('registry.asOfHint')}>
            <label htmlFor={`as-of-${entity}`} style={{ whiteSpace: 'nowrap' }}>
              <CalendarOutlined /> {t('registry.asOf')}
            </label>
          </Tooltip>
          <DatePicker
            id={`as-of-${entity}`}
            value={dayjs(asOf)}
            allowClear={false}
            format={(d) => formatDate(d.format('YYYY-MM-DD'), lang)}
            onChange={(d) => {
              if (d !== null) {
                setAsOf(d.format('YYYY-MM-DD'));
              }
            }}
            data-testid="registry-as-of"
          />
          {canCreate && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setFormMode({ kind: 'create' })} data-testid="registry-new">
              {t('registry.new', { entity: t(`entities.${entity}.one`) })}
            </Button>
          )}
        </Space>
      </div>
      {asOf !== today && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('registry.historical', { date: formatDate(asOf, lang) })}
          action={
            <Button size="small" onClick={() => setAsOf(today)}>
              {t('registry.backToToday')}
            </Button>
          }
          data-testid="registry-historical"
        />
      )}
      {refs.failed && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('registry.refsFailed')} />}
      <DataTable<RegistryRecord>
        queryKey={['registry', entity, asOf]}
        fetchPage={(p) => fetchRegistryPage(entity, asOf, p)}
        columns={entity === 'ports' ? [...columns, portLinkColumn(t)] : columns}
        rowKey="id"
        exportName={entity}
        exportSheetName={`${title} ${asOf}`}
        tableId={`registry-${entity}`}
        searchPlaceholder={t('registry.searchPlaceholder')}
        onRowClick={setSelected}
      />
      <RecordDrawer
        def={def}
        record={selected}
        asOf={asOf}
        refs={refs}
        canEdit={canEdit}
        onEdit={(version) => setFormMode({ kind: 'version', record: version })}
        onClose={() => setSelected(null)}
      />
      <RecordForm def={def} mode={formMode} refs={refs} onClose={() => setFormMode(null)} onSaved={onSaved} />
    </Card>
  );
};
