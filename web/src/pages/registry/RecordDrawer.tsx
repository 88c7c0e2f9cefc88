import { EditOutlined, ExportOutlined, HistoryOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Drawer, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get } from '../../api/client.ts';
import { usePrefs } from '../../lib/prefs-context.tsx';
import type { EntityDef, RegistryRecord } from './entities.ts';
import { recordLabel, type RefData } from './refs.ts';
import { changedFields, displayText, fieldLabel, orderedFields, renderValue, validityText } from './values.tsx';

type Props = {
  def: EntityDef;
  /** The version the user clicked (valid on the as-of date); null when closed. */
  record: RegistryRecord | null;
  asOf: string;
  refs: RefData;
  canEdit: boolean;
  onEdit: (version: RegistryRecord) => void;
  onClose: () => void;
};

const covers = (v: RegistryRecord, date: string): boolean => v.validFrom <= date && (v.validTo === null || date < v.validTo);

/** One record: every field of a version, and the versions over time with what changed in each. */
export const RecordDrawer = ({ def, record, asOf, refs, canEdit, onEdit, onClose }: Props) => {
  // Keep the last record on screen while the drawer slides out.
  const [last, setLast] = useState<RegistryRecord | null>(record);
  const [shownFrom, setShownFrom] = useState<string | null>(null);
  if (record !== null && record !== last) {
    setLast(record);
    setShownFrom(null);
  }
  const current = record ?? last;
  return (
    <Drawer
      open={record !== null}
      onClose={onClose}
      size={680}
      destroyOnHidden
      title={current === null ? null : <DrawerTitle def={def} record={current} />}
      extra={
        current !== null && (
          <Space>
            {def.name === 'ports' && (
              <Link to={`/ports/${encodeURIComponent(current.id)}`} data-testid="registry-open-port">
                <Button icon={<ExportOutlined />}>
                  <PortLinkText />
                </Button>
              </Link>
            )}
            {canEdit && <EditButton onClick={() => onEdit(current)} />}
          </Space>
        )
      }
      data-testid="registry-drawer"
    >
      {current !== null && <RecordDetails def={def} record={current} asOf={asOf} refs={refs} shownFrom={shownFrom} onShow={setShownFrom} />}
    </Drawer>
  );
};

const PortLinkText = () => {
  const { t } = useTranslation();
  return <>{t('registry.openPort')}</>;
};

const EditButton = ({ onClick }: { onClick: () => void }) => {
  const { t } = useTranslation();
  return (
    <Button type="primary" icon={<EditOutlined />} onClick={onClick} data-testid="registry-edit">
      {t('registry.newVersion')}
    </Button>
  );
};

const DrawerTitle = ({ def, record }: { def: EntityDef; record: RegistryRecord }) => {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  return (
    <span>
      <Typography.Text type="secondary" style={{ fontWeight: 400 }}>
        {t(`entities.${def.name}.title`)} /{' '}
      </Typography.Text>
      {recordLabel(def, record, lang)}
    </span>
  );
};

const RecordDetails = ({
  def,
  record,
  asOf,
  refs,
  shownFrom,
  onShow,
}: {
  def: EntityDef;
  record: RegistryRecord;
  asOf: string;
  refs: RefData;
  shownFrom: string | null;
  onShow: (validFrom: string) => void;
}) => {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const ctx = { t, lang, refs };
  const history = useQuery({
    queryKey: ['registry', def.name, 'history', record.id],
    queryFn: () => get<{ items: RegistryRecord[] }>(`/api/v1/${def.name}/${encodeURIComponent(record.id)}/history`),
  });
  const versions = history.data?.items ?? [];
  const shown = versions.find((v) => v.validFrom === shownFrom) ?? record;

  return (
    <>
      <Descriptions
        bordered
        size="small"
        column={1}
        styles={{ label: { width: 180 } }}
        items={[
          ...orderedFields(def, lang).map((f) => ({
            key: f.key,
            label: fieldLabel(f, t),
            children: renderValue(f, shown[f.key], ctx, { withUnit: true }),
          })),
          {
            key: 'validity',
            label: t('registry.validity'),
            children: (
              <Space>
                {validityText(shown.validFrom, shown.validTo, t, lang)}
                {covers(shown, asOf) && <Tag color="blue">{t('registry.current')}</Tag>}
              </Space>
            ),
          },
          {
            key: 'id',
            label: t('registry.id'),
            children: (
              <Typography.Text type="secondary" copyable style={{ fontSize: 12 }}>
                {shown.id}
              </Typography.Text>
            ),
          },
        ]}
        data-testid="registry-details"
      />

      <Typography.Title level={5} style={{ marginTop: 24 }}>
        <HistoryOutlined /> {t('registry.history')}
      </Typography.Title>
      {history.isPending ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : history.isError ? (
        <Alert
          type="error"
          showIcon
          title={t('registry.historyFailed')}
          description={history.error.message}
          action={
            <Button size="small" onClick={() => void history.refetch()}>
              {t('table.retry')}
            </Button>
          }
        />
      ) : (
        <Timeline
          data-testid="registry-history"
          items={versions
            .map((v, i) => {
              const before = versions[i - 1];
              const changes = before === undefined ? [] : changedFields(def.fields, before, v);
              const isShown = v.validFrom === shown.validFrom;
              return {
                key: v.validFrom,
                color: covers(v, asOf) ? 'blue' : 'gray',
                content: (
                  <div>
                    <Space size={4} wrap>
                      <Typography.Text strong={isShown}>{t('registry.version', { n: i + 1 })}</Typography.Text>
                      <Typography.Text type="secondary">{validityText(v.validFrom, v.validTo, t, lang)}</Typography.Text>
                      {covers(v, asOf) && <Tag color="blue">{t('registry.current')}</Tag>}
                      {isShown && versions.length > 1 && <Tag>{t('registry.viewing')}</Tag>}
                    </Space>
                    <div style={{ marginTop: 4 }}>
                      {before === undefined ? (
                        <Typography.Text type="secondary">{t('registry.firstVersion')}</Typography.Text>
                      ) : changes.length === 0 ? (
                        <Typography.Text type="secondary">{t('registry.validityOnly')}</Typography.Text>
                      ) : (
                        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                          {changes.map((f) => (
                            <li key={f.key}>
                              <Typography.Text>
                                {fieldLabel(f, t)}
                                {t('registry.labelSep')}
                              </Typography.Text>
                              <Typography.Text delete type="secondary">
                                {displayText(f, before[f.key], ctx)}
                              </Typography.Text>
                              {' → '}
                              <Typography.Text>{displayText(f, v[f.key], ctx)}</Typography.Text>
                            </li>
                          ))}
                        </ul>
                      )}
                      {!isShown && (
                        <Button
                          type="link"
                          size="small"
                          style={{ paddingInline: 0, marginInlineStart: 12 }}
                          onClick={() => onShow(v.validFrom)}
                        >
                          {t('registry.viewVersion')}
                        </Button>
                      )}
                    </div>
                  </div>
                ),
              };
            })
            .reverse()}
        />
      )}
    </>
  );
};
