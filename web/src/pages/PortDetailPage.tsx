import { Card } from 'antd';
import { useParams } from 'react-router';

// Placeholder until the port page lands (issue 3, item 4).
const PortDetailPage = () => {
  const { id } = useParams();
  return <Card title={id} />;
};
export default PortDetailPage;
