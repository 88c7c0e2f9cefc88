import { Card, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

// Placeholder until the cluster map lands (issue 3, item 4).
const OverviewPage = () => {
  const { t } = useTranslation();
  return (
    <Card>
      <Typography.Title level={4}>{t('nav.overview')}</Typography.Title>
    </Card>
  );
};
export default OverviewPage;
