import { useMutation } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, DatePicker, Divider, Drawer, Form, Input, InputNumber, Select, Space, Switch } from 'antd';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, post, put } from '../../api/client.ts';
import { usePrefs } from '../../lib/prefs-context.tsx';
import { CARGO_TYPES, type EntityDef, type FieldDef, type RegistryRecord } from './entities.ts';
import { DATE_FORMAT, initialValues, isRequired, toBody, type FormMode, type Values } from './form-values.ts';
import { recordLabel, type RefData } from './refs.ts';
import { mapServerErrors } from './server-errors.ts';
import { enumLabel, fieldLabel, unitLabel, validityText } from './values.tsx';

const MONO = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' };

type Props = {
  def: EntityDef;
  mode: FormMode | null;
  refs: RefData;
  onClose: () => void;
  onSaved: (record: RegistryRecord, mode: FormMode['kind']) => void;
};

/** Create a record, or record a new version of one from a date on. Server errors land on their fields. */
export const RecordForm = ({ def, mode, refs, onClose, onSaved }: Props) => {
  // Keep the last form on screen while the drawer slides out.
  const [last, setLast] = useState<FormMode | null>(mode);
  const [opened, setOpened] = useState(0);
  if (mode !== null && mode !== last) {
    setLast(mode);
    setOpened((n) => n + 1);
  }
  const shown = mode ?? last;
  return <RecordFormDrawer key={opened} def={def} mode={shown} open={mode !== null} refs={refs} onClose={onClose} onSaved={onSaved} />;
};

const RecordFormDrawer = ({ def, mode, open, refs, onClose, onSaved }: Props & { open: boolean }) => {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [general, setGeneral] = useState<string[]>([]);
  const kind = mode?.kind ?? 'create';
  const known = useMemo(() => new Set([...def.fields.map((f) => f.key), 'validFrom', 'validTo']), [def]);
  const formId = `registry-form-${def.name}`;

  const mutation = useMutation({
    mutationFn: (body: Values) =>
      mode?.kind === 'version'
        ? put<RegistryRecord>(`/api/v1/${def.name}/${encodeURIComponent(mode.record.id)}`, body)
        : post<RegistryRecord>(`/api/v1/${def.name}`, body),
    onSuccess: (record) => {
      const name = recordLabel(def, record, lang);
      void message.success(kind === 'create' ? t('registry.created', { name }) : t('registry.versioned', { name }));
      onSaved(record, kind);
    },
    onError: (err) => {
      if (err instanceof ApiError && err.details.length > 0) {
        const mapped = mapServerErrors(err.details, known, t);
        form.setFields(mapped.fields.map((f) => ({ name: f.name, errors: f.errors })));
        setGeneral(mapped.general);
        const first = mapped.fields[0];
        if (first !== undefined) {
          form.scrollToField(first.name, { block: 'center' });
          form.focusField(first.name);
          void message.error(t('registry.fixFields'));
        }
        return;
      }
      setGeneral([t('registry.saveFailed', { message: err instanceof Error ? err.message : String(err) })]);
    },
  });

  const firstKey = def.fields[0]?.key;
  const title =
    mode?.kind === 'version'
      ? t('registry.newVersionTitle', { name: recordLabel(def, mode.record, lang) })
      : t('registry.new', { entity: t(`entities.${def.name}.one`) });

  const control = (f: FieldDef): ReactNode => {
    const label = fieldLabel(f, t);
    switch (f.type) {
      case 'code':
        return <Input style={MONO} placeholder={f.example} autoComplete="off" maxLength={64} />;
      case 'text':
        return <Input maxLength={200} autoComplete="off" />;
      case 'textarea':
        return <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={1000} showCount />;
      case 'number':
      case 'integer':
        return <InputNumber style={{ width: '100%' }} suffix={unitLabel(f, t) ?? undefined} keyboard />;
      case 'enum':
        return (
          <Select
            allowClear={f.nullable === true}
            placeholder={t('registry.select')}
            options={(f.values ?? []).map((v) => ({ value: v, label: enumLabel(f, v, t) }))}
          />
        );
      case 'cargoTypes':
        return <Checkbox.Group options={CARGO_TYPES.map((c) => ({ value: c, label: t(`enums.cargoType.${c}`) }))} />;
      case 'boolean':
        return <Switch checkedChildren={t('registry.yes')} unCheckedChildren={t('registry.no')} aria-label={label} />;
      case 'ref':
      case 'customs':
      case 'org': {
        const index =
          f.type === 'ref' ? (f.ref === undefined ? null : refs.entity(f.ref)) : f.type === 'customs' ? refs.customs : refs.orgs;
        return (
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            allowClear={f.nullable === true}
            placeholder={t('registry.select')}
            loading={index?.loading === true}
            options={index?.options ?? []}
            popupMatchSelectWidth={false}
          />
        );
      }
    }
  };

  const wide = (f: FieldDef): boolean => f.type === 'textarea' || f.type === 'cargoTypes';

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={title}
      size={640}
      destroyOnHidden
      afterOpenChange={(isOpen) => {
        if (isOpen && firstKey !== undefined) {
          form.focusField(firstKey);
        }
      }}
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={mutation.isPending} onClick={() => form.submit()} data-testid="registry-form-submit">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {mode?.kind === 'version' && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('registry.currentValidity', { validity: validityText(mode.record.validFrom, mode.record.validTo, t, lang) })}
        />
      )}
      {general.length > 0 && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} title={general.join('；')} data-testid="registry-form-error" />
      )}
      <Form<Values>
        form={form}
        name={formId}
        layout="vertical"
        requiredMark
        initialValues={mode === null ? {} : initialValues(def, mode)}
        onFinish={(values) => {
          setGeneral([]);
          mutation.mutate(toBody(def, values, kind));
        }}
        onFinishFailed={({ errorFields }) => {
          const first = errorFields[0];
          if (first !== undefined) {
            form.focusField(first.name);
          }
        }}
        data-testid="registry-form"
      >
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', columnGap: 16 }}>
          {def.fields.map((f) => (
            <Form.Item
              key={f.key}
              name={f.key}
              label={fieldLabel(f, t)}
              style={wide(f) ? { gridColumn: 'span 2' } : undefined}
              valuePropName={f.type === 'boolean' ? 'checked' : 'value'}
              normalize={f.upper === true ? (v: unknown) => (typeof v === 'string' ? v.toUpperCase() : v) : undefined}
              rules={isRequired(f) ? [{ required: true, message: t('registry.required', { field: fieldLabel(f, t) }) }] : []}
            >
              {control(f)}
            </Form.Item>
          ))}
        </div>
        <Divider titlePlacement="start" plain style={{ marginTop: 0 }}>
          {t('registry.validity')}
        </Divider>
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', columnGap: 16 }}>
          <Form.Item
            name="validFrom"
            label={t('registry.validFrom')}
            extra={kind === 'version' ? t('registry.validFromEditHelp') : t('registry.validFromCreateHelp')}
            rules={kind === 'version' ? [{ required: true, message: t('registry.required', { field: t('registry.validFrom') }) }] : []}
          >
            <DatePicker style={{ width: '100%' }} format={DATE_FORMAT} />
          </Form.Item>
          <Form.Item name="validTo" label={t('registry.validTo')} extra={t('registry.validToHelp')}>
            <DatePicker style={{ width: '100%' }} format={DATE_FORMAT} />
          </Form.Item>
        </div>
        {/* Enter in any field submits, as in any form. */}
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Drawer>
  );
};
