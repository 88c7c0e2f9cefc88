import { DownloadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Flex, Form, Input, InputNumber, Modal, Radio, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { useSession } from '../../auth/session.tsx';
import { actOn, fetchCusres, withdrawDeclaration, type ActBody } from './api.ts';
import { DeclarationFormDrawer, type FormMode } from './DeclarationFormDrawer.tsx';
import {
  actionInputs,
  DANGEROUS,
  declarantActions,
  defaultMethod,
  officerActions,
  type InspectionMethod,
  type OfficerCommand,
} from './model.ts';
import type { Declaration } from './types.ts';

type ActValues = { reason?: string; method?: InspectionMethod; outcome?: 'clear' | 'discrepancy'; amountCny?: number | null };

/** What a failed action says: a 409 means someone else acted first or the page is stale, so it reloads. */
const useActionErrors = (reload: () => void) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return (err: unknown): string[] => {
    if (err instanceof ApiError && err.status === 409) {
      void message.warning(t('declarations.conflict'));
      reload();
      return [t('declarations.conflict'), err.message];
    }
    if (err instanceof ApiError) {
      return [err.message, ...err.details.map((d) => (d.path === '' ? d.message : `${d.path}: ${d.message}`))];
    }
    return [err instanceof Error ? err.message : String(err)];
  };
};

/** The officer's actions the status admits, each confirmed in a dialog with what it needs; expectedVersion is the version on screen. */
export const OfficerActions = ({ d, reload }: { d: Declaration; reload: () => void }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useSession();
  const [command, setCommand] = useState<OfficerCommand | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [form] = Form.useForm<ActValues>();
  const explain = useActionErrors(reload);
  const actions = officerActions(d).filter(() => can('POST /api/v1/declarations/:id/actions/:command'));

  const mutation = useMutation({
    mutationFn: ({ c, body }: { c: OfficerCommand; body: ActBody }) => actOn(d.id, c, body),
    onSuccess: (after, { c }) => {
      void message.success(t('declarations.action.done', { action: t(`declarations.command.${c}`), status: after.status }));
      setCommand(null);
      reload();
    },
    onError: (err) => {
      setErrors(explain(err));
      if (err instanceof ApiError && err.status === 409) {
        setCommand(null);
      }
    },
  });

  if (actions.length === 0) {
    return (
      <Typography.Text type="secondary" data-testid="officer-no-actions">
        {t('declarations.action.none')}
      </Typography.Text>
    );
  }
  const needs = command === null ? null : actionInputs(command);
  const open = (c: OfficerCommand) => {
    setErrors([]);
    form.resetFields();
    form.setFieldsValue({ method: defaultMethod(d.channel), outcome: 'clear' });
    setCommand(c);
  };
  const submit = (v: ActValues) => {
    if (command === null || needs === null) {
      return;
    }
    const reason = v.reason?.trim();
    mutation.mutate({
      c: command,
      body: {
        expectedVersion: d.version,
        ...(needs.reason !== 'none' && reason !== undefined && reason !== '' ? { reason } : {}),
        ...(needs.method && v.method !== undefined ? { method: v.method } : {}),
        ...(needs.outcome && v.outcome !== undefined ? { outcome: v.outcome } : {}),
        ...(needs.amount && v.amountCny !== undefined && v.amountCny !== null ? { amountCny: v.amountCny } : {}),
      },
    });
  };

  return (
    <>
      {errors.length > 0 && command === null && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={errors.join('；')} data-testid="action-error" />
      )}
      <Flex gap={8} wrap data-testid="officer-actions">
        {actions.map((c) => (
          <Button
            key={c}
            type={DANGEROUS.includes(c) ? 'default' : 'primary'}
            danger={DANGEROUS.includes(c)}
            onClick={() => open(c)}
            data-testid={`action-${c}`}
          >
            {t(`declarations.command.${c}`)}
          </Button>
        ))}
      </Flex>
      <Modal
        open={command !== null}
        title={command === null ? '' : t(`declarations.command.${command}`)}
        okText={t('declarations.action.confirm')}
        okButtonProps={{ danger: command !== null && DANGEROUS.includes(command), 'data-testid': 'action-confirm' }}
        confirmLoading={mutation.isPending}
        onOk={() => form.submit()}
        onCancel={() => setCommand(null)}
        destroyOnHidden
        data-testid="action-modal"
      >
        {command !== null && (
          <Typography.Paragraph type="secondary">
            {t(`declarations.commandHint.${command}`, { entry: d.entryId ?? d.id, version: d.version })}
          </Typography.Paragraph>
        )}
        {errors.length > 0 && (
          <Alert type="error" showIcon style={{ marginBottom: 12 }} title={errors.join('；')} data-testid="action-error" />
        )}
        <Form<ActValues> form={form} layout="vertical" onFinish={submit}>
          {needs?.method === true && (
            <Form.Item name="method" label={t('declarations.action.method')} rules={[{ required: true }]}>
              <Radio.Group
                optionType="button"
                options={(['machine-scan', 'manual', 'machine-then-manual'] as const).map((m) => ({
                  value: m,
                  label: t(`declarations.method.${m}`),
                }))}
                data-testid="action-method"
              />
            </Form.Item>
          )}
          {needs?.outcome === true && (
            <Form.Item name="outcome" label={t('declarations.action.outcome')} rules={[{ required: true }]}>
              <Radio.Group
                optionType="button"
                options={(['clear', 'discrepancy'] as const).map((o) => ({ value: o, label: t(`declarations.outcome.${o}`) }))}
                data-testid="action-outcome"
              />
            </Form.Item>
          )}
          {needs?.amount === true && (
            <Form.Item
              name="amountCny"
              label={t('declarations.action.amount')}
              rules={[{ required: true, message: t('declarations.form.required', { field: t('declarations.action.amount') }) }]}
            >
              <InputNumber min={0} style={{ width: '100%' }} data-testid="action-amount" />
            </Form.Item>
          )}
          {needs !== null && needs.reason !== 'none' && (
            <Form.Item
              name="reason"
              label={t('declarations.action.reason')}
              rules={
                needs.reason === 'required'
                  ? [
                      {
                        required: true,
                        whitespace: true,
                        message: t('declarations.form.required', { field: t('declarations.action.reason') }),
                      },
                    ]
                  : []
              }
            >
              <Input.TextArea maxLength={500} rows={3} data-testid="action-reason" />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </>
  );
};

/** The declarant's actions: amend or complete (the form, prefilled), withdraw with a reason, and the CUSRES responses as a file. */
export const DeclarantActions = ({ d, reload }: { d: Declaration; reload: () => void }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const [drawer, setDrawer] = useState<FormMode | null>(null);
  const [withdrawing, setWithdrawing] = useState(false);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const [downloading, setDownloading] = useState(false);
  const explain = useActionErrors(reload);
  const actions = declarantActions(d).filter((a) =>
    can(
      a === 'amend'
        ? 'POST /api/v1/declarations/:id/amendments'
        : a === 'complete'
          ? 'POST /api/v1/declarations/:id/complete-declaration'
          : 'POST /api/v1/declarations/:id/withdrawal',
    ),
  );

  const withdraw = useMutation({
    mutationFn: () => withdrawDeclaration(d.id, d.version, reason.trim() === '' ? undefined : reason.trim()),
    onSuccess: () => {
      void message.success(t('declarations.declarant.withdrawn'));
      setWithdrawing(false);
      reload();
    },
    onError: (err) => setErrors(explain(err)),
  });

  const download = async () => {
    setDownloading(true);
    try {
      const text = await fetchCusres(d.id);
      const url = URL.createObjectURL(new Blob([text], { type: 'application/edifact' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `CUSRES-${d.entryId ?? d.id}.edi`;
      a.click();
      // the browser reads the blob after this tick: let it go a little later
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      void message.error(err instanceof Error ? err.message : String(err));
    } finally {
      setDownloading(false);
    }
  };

  return (
    <>
      {errors.length > 0 && !withdrawing && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={errors.join('；')} data-testid="action-error" />
      )}
      <Flex gap={8} wrap data-testid="declarant-actions">
        {actions.includes('amend') && (
          <Button type="primary" onClick={() => setDrawer('amend')} data-testid="action-amend">
            {t('declarations.declarant.amend')}
          </Button>
        )}
        {actions.includes('complete') && (
          <Button type="primary" onClick={() => setDrawer('complete')} data-testid="action-complete">
            {t('declarations.declarant.complete')}
          </Button>
        )}
        {actions.includes('withdraw') && (
          <Button
            danger
            onClick={() => {
              setErrors([]);
              setReason('');
              setWithdrawing(true);
            }}
            data-testid="action-withdraw"
          >
            {t('declarations.declarant.withdraw')}
          </Button>
        )}
        <Button icon={<DownloadOutlined />} loading={downloading} onClick={() => void download()} data-testid="action-cusres">
          {t('declarations.declarant.cusres')}
        </Button>
      </Flex>
      <Modal
        open={withdrawing}
        title={t('declarations.declarant.withdraw')}
        okText={t('declarations.action.confirm')}
        okButtonProps={{ danger: true, 'data-testid': 'withdraw-confirm' }}
        confirmLoading={withdraw.isPending}
        onOk={() => withdraw.mutate()}
        onCancel={() => setWithdrawing(false)}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">
          {t('declarations.declarant.withdrawHint', { entry: d.entryId ?? d.id })}
        </Typography.Paragraph>
        {errors.length > 0 && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={errors.join('；')} />}
        <Input.TextArea
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={500}
          rows={3}
          placeholder={t('declarations.action.reason')}
          data-testid="withdraw-reason"
        />
      </Modal>
      {drawer !== null && (
        <DeclarationFormDrawer
          open
          mode={drawer}
          declaration={d}
          onClose={() => setDrawer(null)}
          onDone={() => {
            setDrawer(null);
            void queryClient.invalidateQueries({ queryKey: ['declarations'] });
            reload();
          }}
          onConflict={() => {
            setDrawer(null);
            reload();
          }}
        />
      )}
    </>
  );
};
