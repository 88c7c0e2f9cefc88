import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Dropdown, Layout, Menu, Select, Skeleton, Space, Tag, Typography, theme } from 'antd';
import { Suspense, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { useSession } from '../auth/session.tsx';
import { usePrefs } from '../lib/prefs-context.tsx';
import { TIME_ZONES, type Lang } from '../lib/prefs.ts';
import { buildMenu } from './menu.ts';
import { PAGES } from './pages.tsx';

const { Header, Sider, Content } = Layout;

/** The frame around every signed-in page: menu from the user's role, header with who and where. */
export const Shell = () => {
  const { t, i18n } = useTranslation();
  const { me, signOut } = useSession();
  const { lang, setLang, timeZone, setTimeZone } = usePrefs();
  const location = useLocation();
  const { token } = theme.useToken();

  const items = useMemo(() => {
    const icons = new Map<string, ReactNode>(PAGES.map((p) => [p.path, p.icon]));
    const entries = buildMenu(PAGES, new Set(me?.allowedRoutes ?? []));
    return entries.map((e) =>
      e.kind === 'page'
        ? { key: e.page.path, icon: icons.get(e.page.path), label: <Link to={e.page.path}>{t(e.page.labelKey)}</Link> }
        : {
            key: `group:${e.group.key}`,
            label: t(e.group.labelKey),
            type: 'group' as const,
            children: e.group.pages.map((p) => ({ key: p.path, icon: icons.get(p.path), label: <Link to={p.path}>{t(p.labelKey)}</Link> })),
          },
    );
    // i18n.language is a dependency so labels follow a language switch
  }, [me, t, i18n.language]);

  const selected = PAGES.filter((p) => p.path === location.pathname || (p.path !== '/' && location.pathname.startsWith(`${p.path}/`))).map(
    (p) => p.path,
  );
  const orgName = me === null ? '' : lang === 'zh-CN' ? me.organisation.nameZh : me.organisation.nameEn;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider
        width={232}
        theme="light"
        breakpoint="lg"
        collapsedWidth={0}
        style={{ borderRight: `1px solid ${token.colorBorderSecondary}` }}
      >
        <div style={{ padding: '16px 20px', fontWeight: 600, fontSize: 16, color: token.colorPrimary }} data-testid="brand">
          {t('app.short')}
          <div style={{ fontSize: 12, fontWeight: 400, color: token.colorTextSecondary }}>{t('app.name')}</div>
        </div>
        <Menu mode="inline" items={items} selectedKeys={selected} data-testid="main-menu" style={{ borderInlineEnd: 'none' }} />
      </Sider>
      <Layout>
        <Header
          style={{
            background: token.colorBgContainer,
            padding: '0 24px',
            display: 'flex',
            justifyContent: 'flex-end',
            alignItems: 'center',
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
          }}
        >
          <Space size="middle" wrap>
            {me !== null && (
              <Space data-testid="who">
                <Typography.Text strong>{orgName}</Typography.Text>
                <Tag color="blue" data-testid="role-tag">
                  {t(`role.${me.role}`)}
                </Tag>
              </Space>
            )}
            <Select<Lang>
              aria-label={t('header.language')}
              value={lang}
              onChange={setLang}
              style={{ width: 110 }}
              options={[
                { value: 'zh-CN', label: '中文' },
                { value: 'en-US', label: 'English' },
              ]}
              data-testid="lang-select"
            />
            <Select
              aria-label={t('header.timeZone')}
              value={timeZone}
              onChange={setTimeZone}
              style={{ width: 170 }}
              options={TIME_ZONES.map((z) => ({ value: z, label: z }))}
            />
            <Dropdown
              menu={{ items: [{ key: 'out', icon: <LogoutOutlined />, label: t('header.signOut'), onClick: signOut }] }}
              trigger={['click']}
            >
              <Button icon={<UserOutlined />} data-testid="user-menu">
                {me?.username ?? ''}
              </Button>
            </Dropdown>
          </Space>
        </Header>
        <Content style={{ margin: 24 }}>
          <Suspense fallback={<Skeleton active paragraph={{ rows: 8 }} />}>
            <Outlet />
          </Suspense>
        </Content>
      </Layout>
    </Layout>
  );
};
