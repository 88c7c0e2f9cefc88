import { Card, Table } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { get, type Page } from '../../api/client.ts';

// Minimal list until the shared DataTable lands (issue 3, item 5).
export const RegistryPage = ({ entity }: { entity: string }) => {
  const q = useQuery({
    queryKey: ['registry', entity],
    queryFn: () => get<Page<Record<string, unknown>>>(`/api/v1/${entity}`, { limit: 100 }),
  });
  const first = q.data?.items[0];
  const columns = first === undefined ? [] : Object.keys(first).map((k) => ({ key: k, dataIndex: k, title: k }));
  return (
    <Card>
      <Table rowKey="id" loading={q.isPending} dataSource={q.data?.items ?? []} columns={columns} size="small" />
    </Card>
  );
};
