import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { changeLanguage } from '../i18n/index.ts';
import { loadLang, loadTimeZone, saveLang, saveTimeZone, type Lang } from './prefs.ts';

type Prefs = { lang: Lang; timeZone: string; setLang: (lang: Lang) => void; setTimeZone: (tz: string) => void };

const PrefsContext = createContext<Prefs | null>(null);

export const PrefsProvider = ({ children }: { children: ReactNode }) => {
  const [lang, setLangState] = useState<Lang>(loadLang);
  const [timeZone, setTz] = useState<string>(loadTimeZone);
  const setLang = useCallback((l: Lang) => {
    saveLang(l);
    setLangState(l);
    void changeLanguage(l);
  }, []);
  const setTimeZone = useCallback((tz: string) => {
    saveTimeZone(tz);
    setTz(tz);
  }, []);
  const value = useMemo(() => ({ lang, timeZone, setLang, setTimeZone }), [lang, timeZone, setLang, setTimeZone]);
  return <PrefsContext.Provider value={value}>{children}</PrefsContext.Provider>;
};

export const usePrefs = (): Prefs => {
  const p = useContext(PrefsContext);
  if (p === null) {
    throw new Error('usePrefs outside PrefsProvider');
  }
  return p;
};
