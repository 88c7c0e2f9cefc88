import { useMutation } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Form, Input, Modal, Radio, Select, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { useSession } from '../../auth/session.tsx';
import { nameOf } from '../../components/map/registry-data.ts';
import { formatNumber } from '../../lib/format.ts';
import { usePrefs } from '../../lib/prefs-context.tsx';
import { callStep } from './api.ts';
import { availableActions, type ActionKey } from './model.ts';
import type { PortCall } from './types.ts';
import { DATE_TIME_FORMAT, fieldData, pickedIso, pickerValue, useCluster, useServerErrors, type BerthInfo } from './ui.tsx';

type Values = {
  at?: Dayjs | null;
  eta?: Dayjs | null;
  etd?: Dayjs | null;
  start?: Dayjs | null;
  end?: Dayjs | null;
  place?: string;
  berthId?: string;
  reason?: string;
};

const FIELDS: Record<ActionKey, (keyof Values)[]> = {
  confirmation: ['eta', 'etd'],
  arrival: ['place', 'at'],
  'berth-plan': ['berthId', 'start', 'end'],
  berthing: ['berthId', 'at'],
  'berth-shifts': ['berthId', 'at'],
  'cargo-start': ['at'],
  'cargo-complete': ['at'],
  'departure-report': ['etd'],
  departure: ['at'],
  cancellation: ['reason'],
};
const KNOWN = new Set(['at', 'eta', 'etd', 'start', 'end', 'place', 'berthId', 'reason']);

/** A refused step, shown above the page until the next try: the server's code and its words. */
export type StepError = { action: ActionKey; code: string; message: string };

/** The step buttons the user's role may press in the call's state; each opens a small form. The server decides. */
export const CallActions = ({
  call,
  onDone,
  onRefused,
}: {
  call: PortCall;
  onDone: (c: PortCall) => void;
  onRefused: (e: StepError | null) => void;
}) => {
  const { t } = useTranslation();
  const { can } = useSession();
  const [open, setOpen] = useState<ActionKey | null>(null);
  const actions = availableActions(call, can);
  if (actions.length === 0) {
    return <Typography.Text type="secondary">{t('portCalls.actions.none')}</Typography.Text>;
  }
  return (
    <>
      <Space wrap>
        {actions.map((a) => (
          <Button
            key={a.key}
            type={a.key === 'cancellation' ? 'default' : 'primary'}
            danger={a.key === 'cancellation'}
            ghost={a.key !== 'cancellation'}
            onClick={() => setOpen(a.key)}
            data-testid={`action-${a.key}`}
          >
            {t(`portCalls.action.${a.key}`)}
          </Button>
        ))}
      </Space>
      {open !== null && (
        <StepModal
          key={open}
          call={call}
          action={open}
          path={actions.find((a) => a.key === open)?.path ?? open}
          onClose={() => setOpen(null)}
          onDone={(c) => {
            setOpen(null);
            onRefused(null);
            onDone(c);
          }}
          onRefused={(e) => {
            setOpen(null);
            onRefused(e);
          }}
        />
      )}
    </>
  );
};

const StepModal = ({
  call,
  action,
  path,
  onClose,
  onDone,
  onRefused,
}: {
  call: PortCall;
  action: ActionKey;
  path: string;
  onClose: () => void;
  onDone: (c: PortCall) => void;
  onRefused: (e: StepError) => void;
}) => {
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [general, setGeneral] = useState<string | null>(null);
  const cluster = useCluster();
  const place = useServerErrors();
  const fields = FIELDS[action];

  // Berths of the port, those that fit the ship (length, depth, cargo) first; the server still checks.
  const fits = (b: BerthInfo) => b.lengthM >= call.vessel.loaM && b.depthM >= call.vessel.draftM && b.cargoTypes.includes(call.cargoType);
  const berths = [...cluster.berthsOfPort(call.portLocode)].sort((a, b) => Number(fits(b)) - Number(fits(a)));
  const berthOptions = berths.map((b) => ({
    value: b.id,
    label: `${b.code} · ${nameOf(b, lang)} · ${formatNumber(b.lengthM, lang)} m / ${formatNumber(b.depthM, lang, 1)} m${fits(b) ? '' : ` · ${t('portCalls.f.berthUnfit')}`}`,
  }));

  const mutation = useMutation({
    mutationFn: (v: Values) => {
      const body: Record<string, unknown> = { expectedVersion: call.version };
      for (const f of fields) {
        const value = v[f];
        if (value === undefined || value === null || value === '') {
          continue;
        }
        body[f] = typeof value === 'string' ? value : pickedIso(value, timeZone);
      }
      return callStep(call.id, path, body);
    },
    onSuccess: (c) => {
      void message.success(t('portCalls.actions.done', { action: t(`portCalls.action.${action}`) }));
      onDone(c);
    },
    onError: (err) => {
      if (err instanceof ApiError) {
        const placed = place(err.details, new Set(fields.filter((f) => KNOWN.has(f))));
        if (placed.fields.length > 0) {
          form.setFields(fieldData<Values>(placed.fields));
          setGeneral(placed.general.length > 0 ? placed.general.join('；') : null);
          return;
        }
        onRefused({ action, code: err.code, message: err.message });
        return;
      }
      setGeneral(err instanceof Error ? err.message : String(err));
    },
  });

  const required = (label: string) => [{ required: true, message: t('portCalls.required', { field: label }) }];
  const dt = (name: keyof Values, label: string, isRequired: boolean, extra?: string) => (
    <Form.Item key={name} name={name} label={label} rules={isRequired ? required(label) : []} extra={extra}>
      <DatePicker showTime={{ format: 'HH:mm' }} format={DATE_TIME_FORMAT} style={{ width: '100%' }} data-testid={`step-${name}`} />
    </Form.Item>
  );

  const control = (f: keyof Values) => {
    switch (f) {
      case 'at':
        return dt('at', t('portCalls.f.at'), false, t('portCalls.f.atHint'));
      case 'eta':
        return dt('eta', t('portCalls.f.eta'), false);
      case 'etd':
        return dt('etd', t('portCalls.f.etd'), action === 'departure-report');
      case 'start':
        return dt('start', t('portCalls.f.berthStart'), true);
      case 'end':
        return dt('end', t('portCalls.f.berthEnd'), true);
      case 'place':
        return (
          <Form.Item key="place" name="place" label={t('portCalls.f.arrivalPlace')} rules={required(t('portCalls.f.arrivalPlace'))}>
            <Radio.Group
              options={[
                { value: 'anchorage', label: t('portCalls.place.anchorage') },
                { value: 'berth', label: t('portCalls.place.berth') },
              ]}
              data-testid="step-place"
            />
          </Form.Item>
        );
      case 'berthId':
        return (
          <Form.Item
            key="berthId"
            name="berthId"
            label={t('portCalls.f.berth')}
            rules={action === 'berthing' ? [] : required(t('portCalls.f.berth'))}
            extra={action === 'berthing' ? t('portCalls.f.berthingHint') : undefined}
          >
            <Select showSearch={{ optionFilterProp: 'label' }} allowClear options={berthOptions} data-testid="step-berthId" />
          </Form.Item>
        );
      case 'reason':
        return (
          <Form.Item key="reason" name="reason" label={t('portCalls.f.reason')} rules={required(t('portCalls.f.reason'))}>
            <Input.TextArea rows={3} maxLength={500} data-testid="step-reason" />
          </Form.Item>
        );
    }
  };

  const initial: Values = {
    ...(action === 'confirmation' ? { eta: pickerValue(call.eta, timeZone), etd: pickerValue(call.etd, timeZone) } : {}),
    ...(action === 'departure-report' ? { etd: pickerValue(call.etd, timeZone) } : {}),
    ...(action === 'berth-plan'
      ? {
          berthId: call.plannedBerth?.berthId,
          start: pickerValue(call.plannedBerth?.start ?? call.eta, timeZone),
          end: pickerValue(call.plannedBerth?.end ?? call.etd, timeZone),
        }
      : {}),
  };

  return (
    <Modal
      open
      title={t(`portCalls.action.${action}`)}
      onCancel={onClose}
      okText={t('portCalls.actions.submit')}
      onOk={() => form.submit()}
      okButtonProps={{ loading: mutation.isPending, 'data-testid': 'step-submit' }}
      destroyOnHidden
      data-testid="step-modal"
    >
      <Typography.Paragraph type="secondary">{t(`portCalls.actionHint.${action}`)}</Typography.Paragraph>
      {general !== null && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={general} data-testid="step-error" />}
      <Form<Values> form={form} layout="vertical" initialValues={initial} onFinish={(v) => mutation.mutate(v)}>
        {fields.map(control)}
      </Form>
    </Modal>
  );
};
