import { MinusCircleOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Col,
  DatePicker,
  Divider,
  Drawer,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get, post, type Page } from '../../api/client.ts';
import { fetchAll, nameOf, todayIn, type RegulatoryCode } from '../../components/map/registry-data.ts';
import { usePrefs } from '../../lib/prefs-context.tsx';
import { CALL_CARGO_TYPES, CALL_PURPOSES, type PortCall } from './types.ts';
import { DATE_TIME_FORMAT, pickedIso, useCluster, fieldData, useServerErrors } from './ui.tsx';

type Vessel = { id: string; imo: string; name: string; flag: string | null; loaM: number | null };

type Values = {
  portLocode?: string;
  declaredCode?: string;
  imo?: string;
  name?: string;
  flag?: string;
  loaM?: number | null;
  draftM?: number | null;
  voyage?: string;
  lastPort?: string;
  lastPortDeparture?: Dayjs | null;
  nextPort?: string;
  portsOfCall?: { locode?: string; departedAt?: Dayjs | null }[];
  eta?: Dayjs | null;
  etd?: Dayjs | null;
  purpose?: string;
  cargoType?: string;
  cargoSummary?: string;
  crewCount?: number | null;
  passengerCount?: number | null;
  dangerousGoods?: boolean;
};

const KNOWN = new Set([
  'portLocode',
  'declaredCode',
  'imo',
  'name',
  'flag',
  'loaM',
  'draftM',
  'voyage',
  'lastPort',
  'lastPortDeparture',
  'nextPort',
  'portsOfCall',
  'eta',
  'etd',
  'purpose',
  'cargoType',
  'cargoSummary',
  'crewCount',
  'passengerCount',
  'dangerousGoods',
]);
const ALIASES = { portCode: 'declaredCode', customsCode: 'declaredCode' };

const upper = (s: string | undefined): string | undefined => (s === undefined || s.trim() === '' ? undefined : s.trim().toUpperCase());

/** The body of POST /api/v1/port-calls from the form (times read in the user's zone). */
export const fileCallBody = (v: Values, timeZone: string): Record<string, unknown> => {
  const [portCode, customsCode] = (v.declaredCode ?? '/').split('/');
  const vessel: Record<string, unknown> = { imo: (v.imo ?? '').trim(), draftM: v.draftM ?? undefined };
  if (v.name !== undefined && v.name.trim() !== '') {
    vessel.name = v.name.trim();
  }
  if (upper(v.flag) !== undefined) {
    vessel.flag = upper(v.flag);
  }
  if (v.loaM !== undefined && v.loaM !== null) {
    vessel.loaM = v.loaM;
  }
  const body: Record<string, unknown> = {
    portLocode: v.portLocode,
    declaredCode: { portCode, customsCode },
    vessel,
    voyage: v.voyage?.trim(),
    lastPort: upper(v.lastPort),
    lastPortDeparture: pickedIso(v.lastPortDeparture, timeZone),
    eta: pickedIso(v.eta, timeZone),
    etd: pickedIso(v.etd, timeZone),
    purpose: v.purpose,
    cargoType: v.cargoType,
    crewCount: v.crewCount ?? undefined,
    dangerousGoods: v.dangerousGoods,
  };
  if (upper(v.nextPort) !== undefined) {
    body.nextPort = upper(v.nextPort);
  }
  const poc = (v.portsOfCall ?? []).filter((p) => upper(p.locode) !== undefined || p.departedAt);
  if (poc.length > 0) {
    body.portsOfCall = poc.map((p) => ({ locode: upper(p.locode), departedAt: pickedIso(p.departedAt, timeZone) }));
  }
  if (v.cargoSummary !== undefined && v.cargoSummary.trim() !== '') {
    body.cargoSummary = v.cargoSummary.trim();
  }
  if (v.passengerCount !== undefined && v.passengerCount !== null) {
    body.passengerCount = v.passengerCount;
  }
  return body;
};

/** The agent's one pre-arrival report (CSM002): vessel from the registry by IMO, times in the user's zone, server errors at their fields. */
export const FileCallDrawer = ({ open, onClose, onFiled }: { open: boolean; onClose: () => void; onFiled: (c: PortCall) => void }) => {
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [general, setGeneral] = useState<string[]>([]);
  const [lookup, setLookup] = useState<{ imo: string; vessel: Vessel | null } | null>(null);
  const [looking, setLooking] = useState(false);
  const cluster = useCluster();
  const place = useServerErrors();
  const asOf = todayIn(timeZone);
  const codesQ = useQuery({
    queryKey: ['cluster', 'regulatory-codes', asOf],
    queryFn: () => fetchAll<RegulatoryCode>('regulatory-codes', { asOf }),
    enabled: open,
    staleTime: 300_000,
  });

  const portOptions = useMemo(
    () =>
      cluster.ports
        .filter((p) => p.kind === 'seaport')
        .sort((a, b) => a.locode.localeCompare(b.locode))
        .map((p) => ({ value: p.locode, label: `${p.locode} · ${nameOf(p, lang)}` })),
    [cluster.ports, lang],
  );
  const codeOptions = useMemo(
    () =>
      (codesQ.data ?? [])
        .map((c) => ({ value: `${c.portCode}/${c.customsCode}`, label: `${c.portCode}/${c.customsCode} · ${nameOf(c, lang)}` }))
        .sort((a, b) => a.value.localeCompare(b.value)),
    [codesQ.data, lang],
  );

  const lookUpVessel = async () => {
    const imo = (form.getFieldValue('imo') as string | undefined)?.trim() ?? '';
    if (!/^\d{7}$/.test(imo) || lookup?.imo === imo) {
      return;
    }
    setLooking(true);
    try {
      const page = await get<Page<Vessel>>('/api/v1/vessels', { imo, asOf, limit: 1 });
      const vessel = page.items.find((v) => v.imo === imo) ?? null;
      setLookup({ imo, vessel });
      if (vessel !== null) {
        form.setFieldsValue({ name: vessel.name, flag: vessel.flag ?? undefined, loaM: vessel.loaM ?? undefined });
      }
    } catch {
      setLookup({ imo, vessel: null });
    } finally {
      setLooking(false);
    }
  };

  const mutation = useMutation({
    mutationFn: (body: Record<string, unknown>) => post<PortCall>('/api/v1/port-calls', body),
    onSuccess: (call) => {
      void message.success(t('portCalls.file.filed', { vessel: call.vessel.name, voyage: call.voyage }));
      form.resetFields();
      setLookup(null);
      setGeneral([]);
      onFiled(call);
    },
    onError: (err) => {
      if (err instanceof ApiError && err.details.length > 0) {
        const placed = place(err.details, KNOWN, ALIASES);
        form.setFields(fieldData<Values>(placed.fields));
        setGeneral(placed.general.length > 0 ? [err.message, ...placed.general] : []);
        const first = placed.fields[0];
        if (first !== undefined) {
          form.scrollToField(first.name, { block: 'center' });
          void message.error(t('portCalls.fixFields'));
        }
        return;
      }
      setGeneral([err instanceof Error ? err.message : String(err)]);
    },
  });

  const required = (label: string) => [{ required: true, message: t('portCalls.required', { field: label }) }];
  const dt = (name: keyof Values, label: string, isRequired: boolean) => (
    <Form.Item name={name} label={label} rules={isRequired ? required(label) : []}>
      <DatePicker showTime={{ format: 'HH:mm' }} format={DATE_TIME_FORMAT} style={{ width: '100%' }} data-testid={`file-${name}`} />
    </Form.Item>
  );

  const lookupText = () => {
    if (lookup === null) {
      return t('portCalls.file.lookupHint');
    }
    return lookup.vessel === null ? (
      <Typography.Text type="warning" data-testid="file-vessel-unknown">
        {t('portCalls.file.vesselUnknown', { imo: lookup.imo })}
      </Typography.Text>
    ) : (
      <Typography.Text type="success" data-testid="file-vessel-found">
        {t('portCalls.file.vesselFound', { name: lookup.vessel.name })}
      </Typography.Text>
    );
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t('portCalls.file.title')}
      size={720}
      destroyOnHidden
      afterOpenChange={(o) => {
        if (o) {
          form.focusField('portLocode');
        }
      }}
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" htmlType="submit" form="file-call-form" loading={mutation.isPending} data-testid="file-submit">
            {t('portCalls.file.submit')}
          </Button>
        </Space>
      }
      data-testid="file-call-drawer"
    >
      <Typography.Paragraph type="secondary">{t('portCalls.file.hint', { zone: timeZone })}</Typography.Paragraph>
      {general.length > 0 && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} title={general.join('；')} data-testid="file-error" />
      )}
      <Form<Values>
        id="file-call-form"
        form={form}
        layout="vertical"
        initialValues={{ purpose: 'cargo', cargoType: 'container', crewCount: 20, passengerCount: 0 }}
        onFinish={(v) => {
          setGeneral([]);
          mutation.mutate(fileCallBody(v, timeZone));
        }}
        scrollToFirstError
      >
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="portLocode" label={t('portCalls.f.port')} rules={required(t('portCalls.f.port'))}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={portOptions}
                loading={portOptions.length === 0}
                data-testid="file-port"
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="declaredCode"
              label={t('portCalls.f.declaredCode')}
              tooltip={t('portCalls.f.declaredCodeHint')}
              rules={required(t('portCalls.f.declaredCode'))}
            >
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={codeOptions}
                loading={codesQ.isLoading}
                data-testid="file-declaredCode"
              />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start" plain>
          {t('portCalls.file.vessel')}
        </Divider>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="imo" label={t('portCalls.f.imo')} rules={required(t('portCalls.f.imo'))} extra={lookupText()}>
              <Input
                inputMode="numeric"
                maxLength={11}
                onBlur={() => void lookUpVessel()}
                onPressEnter={(e) => {
                  e.preventDefault();
                  void lookUpVessel();
                }}
                suffix={
                  <Button
                    type="text"
                    size="small"
                    icon={<SearchOutlined />}
                    loading={looking}
                    aria-label={t('portCalls.file.lookUp')}
                    onClick={() => void lookUpVessel()}
                    data-testid="file-lookup"
                  />
                }
                data-testid="file-imo"
              />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item name="name" label={t('portCalls.f.vesselName')}>
              <Input maxLength={100} data-testid="file-name" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="flag" label={t('portCalls.f.flag')}>
              <Input maxLength={2} data-testid="file-flag" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="loaM" label={t('portCalls.f.loaM')}>
              <InputNumber min={0} max={500} style={{ width: '100%' }} data-testid="file-loaM" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="draftM" label={t('portCalls.f.draftM')} rules={required(t('portCalls.f.draftM'))}>
              <InputNumber min={0} max={30} step={0.1} style={{ width: '100%' }} data-testid="file-draftM" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="voyage" label={t('portCalls.f.voyage')} rules={required(t('portCalls.f.voyage'))}>
              <Input maxLength={32} data-testid="file-voyage" />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start" plain>
          {t('portCalls.file.voyage')}
        </Divider>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="lastPort" label={t('portCalls.f.lastPort')} rules={required(t('portCalls.f.lastPort'))}>
              <Input maxLength={6} placeholder="SGSIN" data-testid="file-lastPort" />
            </Form.Item>
          </Col>
          <Col span={12}>{dt('lastPortDeparture', t('portCalls.f.lastPortDeparture'), true)}</Col>
          <Col span={12}>{dt('eta', t('portCalls.f.eta'), true)}</Col>
          <Col span={12}>{dt('etd', t('portCalls.f.etd'), true)}</Col>
          <Col span={12}>
            <Form.Item name="nextPort" label={t('portCalls.f.nextPort')}>
              <Input maxLength={6} data-testid="file-nextPort" />
            </Form.Item>
          </Col>
        </Row>
        <Form.List name="portsOfCall">
          {(fields, { add, remove }) => (
            <Form.Item label={t('portCalls.f.portsOfCall')} tooltip={t('portCalls.f.portsOfCallHint')}>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" style={{ display: 'flex' }}>
                  <Form.Item name={[f.name, 'locode']} rules={required(t('portCalls.f.locode'))}>
                    <Input maxLength={6} placeholder={t('portCalls.f.locode')} aria-label={t('portCalls.f.locode')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'departedAt']} rules={required(t('portCalls.f.departedAt'))}>
                    <DatePicker showTime={{ format: 'HH:mm' }} format={DATE_TIME_FORMAT} placeholder={t('portCalls.f.departedAt')} />
                  </Form.Item>
                  <Button type="text" icon={<MinusCircleOutlined />} aria-label={t('portCalls.remove')} onClick={() => remove(f.name)} />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()}>
                {t('portCalls.f.addPortOfCall')}
              </Button>
            </Form.Item>
          )}
        </Form.List>
        <Divider titlePlacement="start" plain>
          {t('portCalls.file.cargo')}
        </Divider>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="purpose" label={t('portCalls.f.purpose')} rules={required(t('portCalls.f.purpose'))}>
              <Select options={CALL_PURPOSES.map((p) => ({ value: p, label: t(`portCalls.purpose.${p}`) }))} data-testid="file-purpose" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="cargoType" label={t('portCalls.f.cargoType')} rules={required(t('portCalls.f.cargoType'))}>
              <Select
                options={CALL_CARGO_TYPES.map((c) => ({ value: c, label: t(`portCalls.cargo.${c}`) }))}
                data-testid="file-cargoType"
              />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="cargoSummary" label={t('portCalls.f.cargoSummary')}>
              <Input.TextArea rows={2} maxLength={500} data-testid="file-cargoSummary" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="crewCount" label={t('portCalls.f.crewCount')} rules={required(t('portCalls.f.crewCount'))}>
              <InputNumber min={0} max={10000} precision={0} style={{ width: '100%' }} data-testid="file-crewCount" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="passengerCount" label={t('portCalls.f.passengerCount')}>
              <InputNumber min={0} max={10000} precision={0} style={{ width: '100%' }} data-testid="file-passengerCount" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="dangerousGoods" label={t('portCalls.f.dangerousGoods')} rules={required(t('portCalls.f.dangerousGoods'))}>
              <Radio.Group
                options={[
                  { value: true, label: t('common.yes') },
                  { value: false, label: t('common.no') },
                ]}
                data-testid="file-dangerousGoods"
              />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Drawer>
  );
};
