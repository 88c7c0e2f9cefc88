import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

// Placeholder until the page is built (issue 6).
export default function Page() {
  const { t } = useTranslation();
  return <Typography.Title level={3}>{t('declarations.nav.declarations')}</Typography.Title>;
}
