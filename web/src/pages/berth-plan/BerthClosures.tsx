import { DeleteOutlined, ToolOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Form, Input, Select, Table } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ApiError, del, post } from '../../api/client.ts';
import { formatDateTime } from '../../lib/format.ts';
import { usePrefs } from '../../lib/prefs-context.tsx';

type Closure = { id: string; berthId: string; berthCode: string; startsAt: string; endsAt: string; reason: string };
type Values = { berthId: string; window: [Dayjs, Dayjs]; reason: string };

/** Maintenance windows of the planner's berths: listed, added and removed; berth plans keep ships off them. */
const BerthClosures = ({
  berths,
  closures,
  onChange,
}: {
  portLocode: string;
  berths: { id: string; code: string }[];
  closures: Closure[];
  onChange: () => void;
}) => {
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const [form] = Form.useForm<Values>();
  const add = useMutation({
    mutationFn: (v: Values) =>
      post<Closure>('/api/v1/berth-closures', {
        berthId: v.berthId,
        startsAt: v.window[0].toISOString(),
        endsAt: v.window[1].toISOString(),
        reason: v.reason,
      }),
    onSuccess: () => {
      form.resetFields();
      onChange();
    },
    onError: (e) => {
      if (e instanceof ApiError) {
        const field = (path: string): keyof Values => {
          const first = path.replace(/^\//, '').split('/')[0];
          return first === 'berthId' || first === 'reason' ? first : 'window';
        };
        form.setFields(e.details.map((d) => ({ name: field(d.path), errors: [d.message] })));
      }
    },
  });
  const remove = useMutation({ mutationFn: (id: string) => del(`/api/v1/berth-closures/${id}`), onSuccess: onChange });
  const time = (iso: string) => formatDateTime(iso, lang, timeZone);

  return (
    <Card title={t('berthPlan.closures.title')} size="small" data-testid="berth-closures">
      <Form form={form} layout="inline" onFinish={(v) => add.mutate(v)} style={{ marginBottom: 12, rowGap: 8 }}>
        <Form.Item
          name="berthId"
          label={t('berthPlan.closures.berth')}
          rules={[{ required: true, message: t('berthPlan.closures.required') }]}
        >
          <Select
            style={{ width: 160 }}
            options={berths.map((b) => ({ value: b.id, label: b.code }))}
            showSearch
            optionFilterProp="label"
          />
        </Form.Item>
        <Form.Item
          name="window"
          label={t('berthPlan.closures.window')}
          rules={[{ required: true, message: t('berthPlan.closures.required') }]}
        >
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('berthPlan.closures.reason')}
          rules={[{ required: true, message: t('berthPlan.closures.required') }]}
        >
          <Input style={{ width: 220 }} maxLength={500} />
        </Form.Item>
        <Form.Item>
          <Button htmlType="submit" icon={<ToolOutlined />} loading={add.isPending}>
            {t('berthPlan.closures.add')}
          </Button>
        </Form.Item>
      </Form>
      {add.error !== null && !(add.error instanceof ApiError && add.error.details.length > 0) && (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} title={add.error.message} />
      )}
      <Table<Closure>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={closures}
        locale={{ emptyText: t('berthPlan.closures.none') }}
        columns={[
          { key: 'berth', title: t('berthPlan.closures.berth'), dataIndex: 'berthCode', width: 120 },
          { key: 'window', title: t('berthPlan.closures.window'), render: (_, c) => `${time(c.startsAt)} → ${time(c.endsAt)}` },
          { key: 'reason', title: t('berthPlan.closures.reason'), dataIndex: 'reason' },
          {
            key: 'remove',
            title: '',
            width: 100,
            render: (_, c) => (
              <Button
                size="small"
                icon={<DeleteOutlined />}
                loading={remove.isPending && remove.variables === c.id}
                onClick={() => remove.mutate(c.id)}
              >
                {t('berthPlan.closures.remove')}
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
};

export default BerthClosures;
