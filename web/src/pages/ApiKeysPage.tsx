import { Card } from 'antd';
import { useTranslation } from 'react-i18next';

// Placeholder until the API keys page lands (issue 3, item 2).
const ApiKeysPage = () => {
  const { t } = useTranslation();
  return <Card title={t('nav.apiKeys')} />;
};
export default ApiKeysPage;
