import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { get, post, setToken, setUnauthorizedHandler, type Me } from '../api/client.ts';

/**
 * The signed-in session. The token lives in memory and in sessionStorage (this tab only, gone
 * when the tab closes; never localStorage), and is dropped at its expiry or on the first 401.
 */
type Stored = { token: string; expiresAt: string };
const KEY = 'portcluster.session';

const readStored = (): Stored | null => {
  try {
    const raw = window.sessionStorage.getItem(KEY);
    const s = raw === null ? null : (JSON.parse(raw) as Stored);
    return s !== null && new Date(s.expiresAt).getTime() > Date.now() ? s : null;
  } catch {
    return null;
  }
};

type Session = {
  me: Me | null;
  loading: boolean;
  /** Why the user was sent to sign in, if it was not their own choice. */
  reason: 'expired' | null;
  signIn: (username: string, password: string) => Promise<void>;
  signOut: () => void;
  can: (route: string) => boolean;
};

const SessionContext = createContext<Session | null>(null);

export const SessionProvider = ({ children }: { children: ReactNode }) => {
  const queryClient = useQueryClient();
  const [stored, setStored] = useState<Stored | null>(() => {
    const s = readStored();
    setToken(s?.token ?? null);
    return s;
  });
  const [reason, setReason] = useState<'expired' | null>(null);

  const drop = useCallback(
    (why: 'expired' | null) => {
      window.sessionStorage.removeItem(KEY);
      setToken(null);
      setStored(null);
      setReason(why);
      queryClient.clear();
    },
    [queryClient],
  );

  useEffect(() => {
    setUnauthorizedHandler(() => drop('expired'));
    return () => setUnauthorizedHandler(null);
  }, [drop]);

  // Leave at the expiry even if no request notices it first.
  useEffect(() => {
    if (stored === null) {
      return undefined;
    }
    const ms = new Date(stored.expiresAt).getTime() - Date.now();
    const timer = window.setTimeout(() => drop('expired'), Math.max(0, ms));
    return () => window.clearTimeout(timer);
  }, [stored, drop]);

  const meQuery = useQuery({
    queryKey: ['me', stored?.token],
    queryFn: () => get<Me>('/api/v1/me'),
    enabled: stored !== null,
    staleTime: 60_000,
  });

  const signIn = useCallback(async (username: string, password: string) => {
    const res = await post<{ token: string; expiresAt: string }>('/api/v1/auth/login', { username, password });
    const s = { token: res.token, expiresAt: res.expiresAt };
    window.sessionStorage.setItem(KEY, JSON.stringify(s));
    setToken(s.token);
    setReason(null);
    setStored(s);
  }, []);

  const value = useMemo<Session>(() => {
    const me = stored === null ? null : (meQuery.data ?? null);
    const allowed = new Set(me?.allowedRoutes ?? []);
    return {
      me,
      loading: stored !== null && meQuery.isPending,
      reason,
      signIn,
      signOut: () => drop(null),
      can: (route: string) => allowed.has(route),
    };
  }, [stored, meQuery.data, meQuery.isPending, reason, signIn, drop]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
};

export const useSession = (): Session => {
  const s = useContext(SessionContext);
  if (s === null) {
    throw new Error('useSession outside SessionProvider');
  }
  return s;
};
