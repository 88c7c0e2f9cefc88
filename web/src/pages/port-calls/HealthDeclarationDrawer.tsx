import { useMutation } from '@tanstack/react-query';
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
  Space,
  Switch,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, post } from '../../api/client.ts';
import { MDH_QUESTIONS, type MdhQuestion, type PortCall, type QuarantineCase } from './types.ts';
import { fieldData, useServerErrors } from './ui.tsx';

type Values = Partial<Record<MdhQuestion, boolean>> & {
  master?: string;
  remarks?: string;
  hasCertificate?: boolean;
  number?: string;
  issuedOn?: Dayjs | null;
  issuedAt?: string;
  feverCount?: number | null;
  illCount?: number | null;
};

const KNOWN = new Set<string>([...MDH_QUESTIONS, 'master', 'remarks', 'number', 'issuedOn', 'issuedAt', 'feverCount', 'illCount']);
const ALIASES = { sanitationCertificate: 'number', answers: 'deaths' };

/** The body of POST /api/v1/port-calls/:id/quarantine from the form. */
export const declarationBody = (v: Values): Record<string, unknown> => ({
  healthDeclaration: {
    master: v.master?.trim(),
    answers: Object.fromEntries(MDH_QUESTIONS.map((q) => [q, v[q]])),
    ...(v.remarks !== undefined && v.remarks.trim() !== '' ? { remarks: v.remarks.trim() } : {}),
  },
  sanitationCertificate:
    v.hasCertificate === false
      ? null
      : { number: v.number?.trim(), issuedOn: v.issuedOn?.format('YYYY-MM-DD'), issuedAt: v.issuedAt?.trim().toUpperCase() },
  crewHealth: { feverCount: v.feverCount ?? 0, illCount: v.illCount ?? 0 },
});

/**
 * The agent's Maritime Declaration of Health: the nine questions as explicit yes/no choices with
 * none chosen beforehand (an unanswered question is caught, not taken as "no"), the ship
 * sanitation certificate and the crew's health today.
 */
export const HealthDeclarationDrawer = ({
  call,
  open,
  onClose,
  onDeclared,
}: {
  call: PortCall;
  open: boolean;
  onClose: () => void;
  onDeclared: (c: QuarantineCase) => void;
}) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [general, setGeneral] = useState<string[]>([]);
  const place = useServerErrors();
  const hasCertificate = Form.useWatch('hasCertificate', form) !== false;

  const mutation = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      post<QuarantineCase>(`/api/v1/port-calls/${encodeURIComponent(call.id)}/quarantine`, body),
    onSuccess: (c) => {
      void message.success(t('quarantine.declare.done'));
      onDeclared(c);
    },
    onError: (err) => {
      if (err instanceof ApiError && err.details.length > 0) {
        const placed = place(err.details, KNOWN, ALIASES);
        form.setFields(fieldData<Values>(placed.fields));
        setGeneral(placed.general.length > 0 ? [err.message, ...placed.general] : []);
        return;
      }
      setGeneral([err instanceof Error ? err.message : String(err)]);
    },
  });

  const required = (label: string) => [{ required: true, message: t('portCalls.required', { field: label }) }];

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t('quarantine.declare.title', { vessel: call.vessel.name })}
      size={720}
      destroyOnHidden
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" htmlType="submit" form="mdh-form" loading={mutation.isPending} data-testid="mdh-submit">
            {t('quarantine.declare.submit')}
          </Button>
        </Space>
      }
      data-testid="mdh-drawer"
    >
      <Typography.Paragraph type="secondary">{t('quarantine.declare.hint')}</Typography.Paragraph>
      {general.length > 0 && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} title={general.join('；')} data-testid="mdh-error" />
      )}
      <Form<Values>
        id="mdh-form"
        form={form}
        layout="vertical"
        initialValues={{ hasCertificate: true, feverCount: 0, illCount: 0 }}
        onFinish={(v) => {
          setGeneral([]);
          mutation.mutate(declarationBody(v));
        }}
        scrollToFirstError
      >
        <Form.Item name="master" label={t('quarantine.declare.master')} rules={required(t('quarantine.declare.master'))}>
          <Input maxLength={100} data-testid="mdh-master" />
        </Form.Item>
        <Divider titlePlacement="start" plain>
          {t('quarantine.declare.questions')}
        </Divider>
        {MDH_QUESTIONS.map((q, i) => (
          <Form.Item
            key={q}
            name={q}
            label={`${i + 1}. ${t(`quarantine.mdh.${q}`)}`}
            rules={[{ required: true, message: t('quarantine.declare.answerRequired') }]}
          >
            <Radio.Group
              aria-label={t(`quarantine.mdh.${q}`)}
              data-testid={`mdh-${q}`}
              options={[
                { value: true, label: t('common.yes') },
                { value: false, label: t('common.no') },
              ]}
            />
          </Form.Item>
        ))}
        <Form.Item name="remarks" label={t('quarantine.declare.remarks')}>
          <Input.TextArea rows={2} maxLength={1000} data-testid="mdh-remarks" />
        </Form.Item>
        <Divider titlePlacement="start" plain>
          {t('quarantine.declare.certificate')}
        </Divider>
        <Form.Item name="hasCertificate" label={t('quarantine.declare.hasCertificate')} valuePropName="checked">
          <Switch data-testid="mdh-has-certificate" />
        </Form.Item>
        {hasCertificate && (
          <Row gutter={16}>
            <Col span={8}>
              <Form.Item name="number" label={t('quarantine.declare.certNumber')} rules={required(t('quarantine.declare.certNumber'))}>
                <Input maxLength={64} data-testid="mdh-cert-number" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item
                name="issuedOn"
                label={t('quarantine.declare.certIssuedOn')}
                rules={required(t('quarantine.declare.certIssuedOn'))}
              >
                <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} data-testid="mdh-cert-issuedOn" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item
                name="issuedAt"
                label={t('quarantine.declare.certIssuedAt')}
                rules={required(t('quarantine.declare.certIssuedAt'))}
              >
                <Input maxLength={6} placeholder="SGSIN" data-testid="mdh-cert-issuedAt" />
              </Form.Item>
            </Col>
          </Row>
        )}
        <Divider titlePlacement="start" plain>
          {t('quarantine.declare.crewHealth')}
        </Divider>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="feverCount" label={t('quarantine.declare.feverCount')} rules={required(t('quarantine.declare.feverCount'))}>
              <InputNumber min={0} max={10000} precision={0} style={{ width: '100%' }} data-testid="mdh-feverCount" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="illCount" label={t('quarantine.declare.illCount')} rules={required(t('quarantine.declare.illCount'))}>
              <InputNumber min={0} max={10000} precision={0} style={{ width: '100%' }} data-testid="mdh-illCount" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Drawer>
  );
};
