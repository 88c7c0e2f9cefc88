import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useSearchParams } from 'react-router';
import { ApiError } from '../api/client.ts';
import { useSession } from '../auth/session.tsx';
import { usePrefs } from '../lib/prefs-context.tsx';
import type { Lang } from '../lib/prefs.ts';

/** Only paths inside the app: an attacker-supplied ?next= must not send the user elsewhere. */
const safeNext = (next: string | null): string => (next !== null && next.startsWith('/') && !next.startsWith('//') ? next : '/');

const LoginPage = () => {
  const { t } = useTranslation();
  const { me, signIn, reason } = useSession();
  const { lang, setLang } = usePrefs();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (me !== null) {
    return <Navigate to={safeNext(params.get('next'))} replace />;
  }

  const onFinish = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await signIn(v.username.trim(), v.password);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 401 ? t('login.failed') : t('common.error'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'grid',
        placeItems: 'center',
        background: 'linear-gradient(160deg, #0b4f8a 0%, #1677ff 55%, #e6f4ff 100%)',
      }}
    >
      <Card style={{ width: 380 }} data-testid="login-card">
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <div>
            <Typography.Title level={3} style={{ marginBottom: 0 }}>
              {t('app.name')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
          </div>
          {reason === 'expired' && <Alert type="warning" showIcon title={t('login.expired')} />}
          {error !== null && <Alert type="error" showIcon title={error} data-testid="login-error" />}
          <Form layout="vertical" onFinish={(v: { username: string; password: string }) => void onFinish(v)} requiredMark={false}>
            <Form.Item
              name="username"
              label={t('login.username')}
              rules={[{ required: true, message: t('login.required', { field: t('login.username') }) }]}
            >
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('login.password')}
              rules={[{ required: true, message: t('login.required', { field: t('login.password') }) }]}
            >
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('login.submit')}
            </Button>
          </Form>
          <Space style={{ justifyContent: 'space-between', width: '100%' }}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('login.demoHint')}
            </Typography.Text>
            <Select<Lang>
              size="small"
              value={lang}
              onChange={setLang}
              aria-label="language"
              options={[
                { value: 'zh-CN', label: '中文' },
                { value: 'en-US', label: 'English' },
              ]}
            />
          </Space>
        </Space>
      </Card>
    </div>
  );
};

export default LoginPage;
