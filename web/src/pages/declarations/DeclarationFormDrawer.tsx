import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Col, Divider, Drawer, Form, Input, InputNumber, Radio, Row, Select, Space, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type FieldError } from '../../api/client.ts';
import { useSession } from '../../auth/session.tsx';
import { fetchAll, nameOf, todayIn, type CustomsOffice } from '../../components/map/registry-data.ts';
import { usePrefs } from '../../lib/prefs-context.tsx';
import { translateServerMessage } from '../registry/server-errors.ts';
import { amendDeclaration, completeDeclaration, createDeclaration } from './api.ts';
import { declarationBody, formProblems, formValuesOf, placeDetails, type FormValues } from './model.ts';
import { DIRECTIONS, PROCEDURES, TRANSACTION_TERMS, type Declaration, type DeclarationInput } from './types.ts';

type Enterprise = { id: string; customsRegCode: string; nameZh: string; nameEn: string; customsCreditClass: string };

export type FormMode = 'new' | 'amend' | 'complete';

const NEW_VALUES: FormValues = {
  direction: 'import',
  procedure: 'standard',
  transport: { mode: '2', containerNumbers: [] },
  tradeMode: '0110',
  transactionTerms: 'CIF',
  currency: 'USD',
  packageType: 'CT',
  items: [{ unit: 'KG' }],
  summary: { prohibitedOrRestricted: false, statutoryInspection: false, taxable: false },
};

/** Details as antd field data (names come from fieldOfPath, which only yields the form's own fields). */
const fieldData = (fields: { name: (string | number)[]; errors: string[] }[]) =>
  fields.map((f) => ({ name: f.name, errors: f.errors })) as unknown as Parameters<FormInstance<FormValues>['setFields']>[0];

/**
 * The declaration form (entry head and items, domain.md §1.3) in a drawer: a new declaration, an
 * amendment, or the complete declaration after a two-step summary. The checks across fields run
 * before sending (same rules and paths as the server); the server's refusals land on the same fields.
 */
export const DeclarationFormDrawer = ({
  open,
  mode,
  declaration,
  onClose,
  onDone,
  onConflict,
}: {
  open: boolean;
  mode: FormMode;
  declaration?: Declaration;
  onClose: () => void;
  onDone: (d: Declaration) => void;
  onConflict?: () => void;
}) => {
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const { can } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [general, setGeneral] = useState<string[]>([]);
  const procedure = Form.useWatch('procedure', form);
  const taxable = Form.useWatch<boolean | undefined>(['summary', 'taxable'], form);
  const asOf = todayIn(timeZone);

  const enterprisesQ = useQuery({
    queryKey: ['declarations', 'enterprises', asOf],
    queryFn: () => fetchAll<Enterprise>('enterprises', { asOf }),
    enabled: open && can('GET /api/v1/enterprises'),
    staleTime: 300_000,
  });
  const officesQ = useQuery({
    queryKey: ['cluster', 'customs-offices', asOf],
    queryFn: () => fetchAll<CustomsOffice>('customs-offices', { asOf }),
    enabled: open && can('GET /api/v1/customs-offices'),
    staleTime: 300_000,
  });
  const enterpriseOptions = useMemo(
    () =>
      (enterprisesQ.data ?? [])
        .map((e) => ({ value: e.customsRegCode, label: `${e.customsRegCode} · ${nameOf(e, lang)}` }))
        .sort((a, b) => a.value.localeCompare(b.value)),
    [enterprisesQ.data, lang],
  );
  const officeOptions = useMemo(
    () =>
      (officesQ.data ?? [])
        .map((o) => ({ value: o.code, label: `${o.code} · ${nameOf(o, lang)}` }))
        .sort((a, b) => a.value.localeCompare(b.value)),
    [officesQ.data, lang],
  );

  const initial = useMemo<FormValues>(() => {
    if (declaration === undefined || mode === 'new') {
      return NEW_VALUES;
    }
    return formValuesOf(declaration.document);
  }, [declaration, mode]);

  const showErrors = (details: FieldError[]) => {
    const placed = placeDetails(details);
    form.setFields(fieldData(placed.fields));
    setGeneral(placed.general);
    const first = placed.fields[0];
    if (first !== undefined) {
      form.scrollToField(first.name, { block: 'center' });
      void message.error(t('declarations.form.fixFields'));
    }
  };

  const mutation = useMutation({
    mutationFn: (body: DeclarationInput) => {
      if (mode === 'new' || declaration === undefined) {
        return createDeclaration(body);
      }
      return mode === 'amend'
        ? amendDeclaration(declaration.id, declaration.version, body)
        : completeDeclaration(declaration.id, declaration.version, body);
    },
    onSuccess: (d) => {
      void message.success(t(`declarations.form.done.${mode}`, { entry: d.entryId ?? d.id }));
      setGeneral([]);
      onDone(d);
    },
    onError: (err) => {
      if (err instanceof ApiError && err.status === 409) {
        void message.warning(t('declarations.conflict'));
        setGeneral([err.message]);
        onConflict?.();
        return;
      }
      if (err instanceof ApiError && err.details.length > 0) {
        showErrors(err.details.map((d) => ({ path: d.path, message: translateServerMessage(d.message, t) })));
        if (placeDetails(err.details).general.length > 0) {
          setGeneral((g) => [err.message, ...g]);
        }
        return;
      }
      setGeneral([err instanceof Error ? err.message : String(err)]);
    },
  });

  const submit = (v: FormValues) => {
    setGeneral([]);
    const body = declarationBody(v);
    const problems = formProblems(body);
    if (problems.length > 0) {
      showErrors(problems.map((p) => ({ path: p.path, message: t(p.key, p.params) })));
      return;
    }
    mutation.mutate(body);
  };

  const required = (label: string) => [{ required: true, message: t('declarations.form.required', { field: label }) }];
  const pattern = (re: RegExp, key: string) => [{ pattern: re, message: t(key) }];
  const f = (k: string) => t(`declarations.f.${k}`);
  const twoStep = procedure === 'two-step';

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t(`declarations.form.title.${mode}`, { entry: declaration?.entryId ?? '' })}
      size={880}
      destroyOnHidden
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" htmlType="submit" form="declaration-form" loading={mutation.isPending} data-testid="decl-submit">
            {t(`declarations.form.submit.${mode}`)}
          </Button>
        </Space>
      }
      data-testid="declaration-drawer"
    >
      <Typography.Paragraph type="secondary">{t(`declarations.form.hint.${mode}`)}</Typography.Paragraph>
      {general.length > 0 && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} title={general.join('；')} data-testid="decl-error" />
      )}
      <Form<FormValues> id="declaration-form" form={form} layout="vertical" initialValues={initial} onFinish={submit} scrollToFirstError>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="direction" label={f('direction')} rules={required(f('direction'))}>
              <Radio.Group
                disabled={mode === 'complete'}
                optionType="button"
                options={DIRECTIONS.map((d) => ({ value: d, label: t(`declarations.direction.${d}`) }))}
                data-testid="decl-direction"
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="procedure" label={f('procedure')} rules={required(f('procedure'))}>
              <Select
                disabled={mode === 'complete'}
                options={PROCEDURES.map((p) => ({ value: p, label: t(`declarations.procedure.${p}`) }))}
                data-testid="decl-procedure"
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="customsCode"
              label={f('customsCode')}
              rules={[...required(f('customsCode')), ...pattern(/^\d{4}$/, 'declarations.check.customsCode')]}
            >
              {officeOptions.length > 0 ? (
                <Select showSearch={{ optionFilterProp: 'label' }} options={officeOptions} data-testid="decl-customsCode" />
              ) : (
                <Input maxLength={4} data-testid="decl-customsCode" />
              )}
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item
              name="enterpriseCode"
              label={f('enterpriseCode')}
              rules={[...required(f('enterpriseCode')), ...pattern(/^[0-9A-Za-z]{10}$/, 'declarations.check.enterpriseCode')]}
            >
              {enterpriseOptions.length > 0 ? (
                <Select showSearch={{ optionFilterProp: 'label' }} options={enterpriseOptions} data-testid="decl-enterpriseCode" />
              ) : (
                <Input maxLength={10} data-testid="decl-enterpriseCode" />
              )}
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="ieCustomsCode"
              label={f('ieCustomsCode')}
              tooltip={t('declarations.form.ieCustomsCodeHint')}
              rules={pattern(/^\d{4}$/, 'declarations.check.customsCode')}
            >
              <Input maxLength={4} data-testid="decl-ieCustomsCode" />
            </Form.Item>
          </Col>
        </Row>

        {twoStep && (
          <>
            <Divider titlePlacement="start" plain>
              {t('declarations.form.summary')}
            </Divider>
            <Typography.Paragraph type="secondary">{t('declarations.form.summaryHint')}</Typography.Paragraph>
            <Row gutter={16} data-testid="decl-summary">
              {(['prohibitedOrRestricted', 'statutoryInspection', 'taxable'] as const).map((k) => (
                <Col span={8} key={k}>
                  <Form.Item name={['summary', k]} valuePropName="checked">
                    <Checkbox data-testid={`decl-summary-${k}`}>{f(`summary.${k}`)}</Checkbox>
                  </Form.Item>
                </Col>
              ))}
            </Row>
            {taxable === true && (
              <Row gutter={16} data-testid="decl-guarantee">
                <Col span={6}>
                  <Form.Item name={['guarantee', 'number']} label={f('guarantee.number')} rules={required(f('guarantee.number'))}>
                    <Input maxLength={35} data-testid="decl-guarantee-number" />
                  </Form.Item>
                </Col>
                <Col span={6}>
                  <Form.Item name={['guarantee', 'amount']} label={f('guarantee.amount')} rules={required(f('guarantee.amount'))}>
                    <InputNumber min={0.01} style={{ width: '100%' }} data-testid="decl-guarantee-amount" />
                  </Form.Item>
                </Col>
                <Col span={4}>
                  <Form.Item
                    name={['guarantee', 'currency']}
                    label={f('guarantee.currency')}
                    initialValue="CNY"
                    rules={[...required(f('guarantee.currency')), ...pattern(/^[A-Za-z]{3}$/, 'declarations.check.currency')]}
                  >
                    <Input maxLength={3} data-testid="decl-guarantee-currency" />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item name={['guarantee', 'issuer']} label={f('guarantee.issuer')} rules={required(f('guarantee.issuer'))}>
                    <Input maxLength={100} data-testid="decl-guarantee-issuer" />
                  </Form.Item>
                </Col>
              </Row>
            )}
          </>
        )}

        <Divider titlePlacement="start" plain>
          {t('declarations.form.transport')}
        </Divider>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name={['transport', 'billNumber']} label={f('billNumber')} rules={required(f('billNumber'))}>
              <Input maxLength={35} data-testid="decl-billNumber" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={['transport', 'vesselName']} label={f('vesselName')}>
              <Input maxLength={70} data-testid="decl-vesselName" />
            </Form.Item>
          </Col>
          <Col span={4}>
            <Form.Item name={['transport', 'voyage']} label={f('voyage')}>
              <Input maxLength={35} data-testid="decl-voyage" />
            </Form.Item>
          </Col>
          <Col span={4}>
            <Form.Item
              name={['transport', 'mode']}
              label={f('transportMode')}
              tooltip={t('declarations.form.transportModeHint')}
              rules={[...required(f('transportMode')), ...pattern(/^[0-9A-Za-z]$/, 'declarations.check.transportMode')]}
            >
              <Input maxLength={1} data-testid="decl-transportMode" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name={['transport', 'containerNumbers']} label={f('containerNumbers')} extra={t('declarations.form.containersHint')}>
              <Select mode="tags" tokenSeparators={[',', ' ']} data-testid="decl-containerNumbers" />
            </Form.Item>
          </Col>
        </Row>

        <Divider titlePlacement="start" plain>
          {t('declarations.form.goods')}
        </Divider>
        <Row gutter={16}>
          <Col span={6}>
            <Form.Item
              name="tradeMode"
              label={f('tradeMode')}
              rules={[...required(f('tradeMode')), ...pattern(/^\d{4}$/, 'declarations.check.tradeMode')]}
            >
              <Input maxLength={4} data-testid="decl-tradeMode" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="transactionTerms" label={f('transactionTerms')} rules={required(f('transactionTerms'))}>
              <Select options={TRANSACTION_TERMS.map((x) => ({ value: x, label: x }))} data-testid="decl-transactionTerms" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item
              name="tradeCountry"
              label={f('tradeCountry')}
              rules={[...required(f('tradeCountry')), ...pattern(/^[A-Za-z]{2}$/, 'declarations.check.country')]}
            >
              <Input maxLength={2} data-testid="decl-tradeCountry" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item
              name="currency"
              label={f('currency')}
              rules={[...required(f('currency')), ...pattern(/^[A-Za-z]{3}$/, 'declarations.check.currency')]}
            >
              <Input maxLength={3} data-testid="decl-currency" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="packages" label={f('packages')} rules={required(f('packages'))}>
              <InputNumber min={1} precision={0} style={{ width: '100%' }} data-testid="decl-packages" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="packageType" label={f('packageType')} rules={required(f('packageType'))}>
              <Input maxLength={8} data-testid="decl-packageType" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="grossKg" label={f('grossKg')} rules={required(f('grossKg'))}>
              <InputNumber min={0} style={{ width: '100%' }} data-testid="decl-grossKg" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="netKg" label={f('netKg')} rules={required(f('netKg'))} extra={t('declarations.form.netHint')}>
              <InputNumber min={0} style={{ width: '100%' }} data-testid="decl-netKg" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="licenceNumber" label={f('licenceNumber')}>
              <Input maxLength={35} data-testid="decl-licenceNumber" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="rebate" valuePropName="checked" label={f('rebate')}>
              <Checkbox data-testid="decl-rebate">{t('declarations.form.rebateHint')}</Checkbox>
            </Form.Item>
          </Col>
        </Row>

        <Form.List name="items">
          {(fields, { add, remove }) => (
            <div data-testid="decl-items">
              {fields.map((field, k) => (
                <Row gutter={8} key={field.key} align="top" data-testid={`decl-item-${k}`}>
                  <Col span={4}>
                    <Form.Item
                      name={[field.name, 'hsCode']}
                      label={k === 0 ? f('hsCode') : undefined}
                      rules={[...required(f('hsCode')), ...pattern(/^\d{10}$/, 'declarations.check.hsCode')]}
                    >
                      <Input maxLength={10} inputMode="numeric" data-testid={`decl-item-${k}-hsCode`} />
                    </Form.Item>
                  </Col>
                  <Col span={5}>
                    <Form.Item
                      name={[field.name, 'description']}
                      label={k === 0 ? f('description') : undefined}
                      rules={required(f('description'))}
                    >
                      <Input maxLength={250} data-testid={`decl-item-${k}-description`} />
                    </Form.Item>
                  </Col>
                  <Col span={3}>
                    <Form.Item name={[field.name, 'quantity']} label={k === 0 ? f('quantity') : undefined} rules={required(f('quantity'))}>
                      <InputNumber min={0} style={{ width: '100%' }} data-testid={`decl-item-${k}-quantity`} />
                    </Form.Item>
                  </Col>
                  <Col span={2}>
                    <Form.Item name={[field.name, 'unit']} label={k === 0 ? f('unit') : undefined} rules={required(f('unit'))}>
                      <Input maxLength={8} data-testid={`decl-item-${k}-unit`} />
                    </Form.Item>
                  </Col>
                  <Col span={3}>
                    <Form.Item name={[field.name, 'netKg']} label={k === 0 ? f('itemNetKg') : undefined} rules={required(f('itemNetKg'))}>
                      <InputNumber min={0} style={{ width: '100%' }} data-testid={`decl-item-${k}-netKg`} />
                    </Form.Item>
                  </Col>
                  <Col span={3}>
                    <Form.Item name={[field.name, 'value']} label={k === 0 ? f('value') : undefined} rules={required(f('value'))}>
                      <InputNumber min={0} style={{ width: '100%' }} data-testid={`decl-item-${k}-value`} />
                    </Form.Item>
                  </Col>
                  <Col span={3}>
                    <Form.Item
                      name={[field.name, 'origin']}
                      label={k === 0 ? f('origin') : undefined}
                      rules={[...required(f('origin')), ...pattern(/^[A-Za-z]{2}$/, 'declarations.check.country')]}
                    >
                      <Input maxLength={2} data-testid={`decl-item-${k}-origin`} />
                    </Form.Item>
                  </Col>
                  <Col span={1} style={{ paddingTop: k === 0 ? 34 : 4 }}>
                    {fields.length > 1 && (
                      <MinusCircleOutlined aria-label={t('declarations.form.removeItem')} onClick={() => remove(field.name)} />
                    )}
                  </Col>
                </Row>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({ unit: 'KG' })}
                disabled={fields.length >= 50}
                data-testid="decl-add-item"
              >
                {t('declarations.form.addItem')}
              </Button>
            </div>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
};
