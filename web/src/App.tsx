import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, Button, ConfigProvider, Result, Skeleton } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { Suspense, lazy, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { SessionProvider, useSession } from './auth/session.tsx';
import { PAGES } from './app/pages.tsx';
import { isPageAllowed } from './app/menu.ts';
import { Shell } from './app/Shell.tsx';
import { PrefsProvider, usePrefs } from './lib/prefs-context.tsx';

const LoginPage = lazy(() => import('./pages/LoginPage.tsx'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: (count, err) => count < 2 && !(err instanceof Error && 'status' in err && (err as { status: number }).status < 500) },
  },
});

/** Signed-in pages only: anyone else goes to sign in, and comes back here afterwards. */
const RequireSession = ({ children }: { children: ReactNode }) => {
  const { me, loading } = useSession();
  const location = useLocation();
  if (loading) {
    return <Skeleton active style={{ padding: 48 }} />;
  }
  if (me === null) {
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  }
  return children;
};

const Guarded = ({ page }: { page: (typeof PAGES)[number] }) => {
  const { me } = useSession();
  const { t } = useTranslation();
  if (!isPageAllowed(page, new Set(me?.allowedRoutes ?? []))) {
    return <Result status="403" title="403" subTitle={t('common.forbidden')} extra={<Link to="/">{t('common.backHome')}</Link>} />;
  }
  const Page = page.element;
  return <Page />;
};

const NotFound = () => {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title="404"
      subTitle={t('common.notFound')}
      extra={
        <Link to="/">
          <Button type="primary">{t('common.backHome')}</Button>
        </Link>
      }
    />
  );
};

const Localised = ({ children }: { children: ReactNode }) => {
  const { lang } = usePrefs();
  dayjs.locale(lang === 'zh-CN' ? 'zh-cn' : 'en');
  return (
    <ConfigProvider locale={lang === 'zh-CN' ? zhCN : enUS} theme={{ token: { colorPrimary: '#1160b7', borderRadius: 6 } }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
};

export const App = () => (
  <QueryClientProvider client={queryClient}>
    <PrefsProvider>
      <Localised>
        <BrowserRouter>
          <SessionProvider>
            <Suspense fallback={<Skeleton active style={{ padding: 48 }} />}>
              <Routes>
                <Route path="/login" element={<LoginPage />} />
                <Route
                  element={
                    <RequireSession>
                      <Shell />
                    </RequireSession>
                  }
                >
                  {PAGES.map((p) => (
                    <Route key={p.path} path={p.path} element={<Guarded page={p} />} />
                  ))}
                  <Route path="*" element={<NotFound />} />
                </Route>
              </Routes>
            </Suspense>
          </SessionProvider>
        </BrowserRouter>
      </Localised>
    </PrefsProvider>
  </QueryClientProvider>
);
