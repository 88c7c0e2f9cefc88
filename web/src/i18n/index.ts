import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { loadLang, type Lang } from '../lib/prefs.ts';
import enBerthPlan from './locales/en-US/berthPlan.json';
import enCargo from './locales/en-US/cargo.json';
import enCommon from './locales/en-US/common.json';
import enOverview from './locales/en-US/overview.json';
import enPortCalls from './locales/en-US/portCalls.json';
import enQuarantine from './locales/en-US/quarantine.json';
import enRegistry from './locales/en-US/registry.json';
import enDeclarations from './locales/en-US/declarations.json';
import enRisk from './locales/en-US/risk.json';
import enTerminal from './locales/en-US/terminal.json';
import enAlerts from './locales/en-US/alerts.json';
import zhDeclarations from './locales/zh-CN/declarations.json';
import zhRisk from './locales/zh-CN/risk.json';
import zhTerminal from './locales/zh-CN/terminal.json';
import zhAlerts from './locales/zh-CN/alerts.json';
import zhBerthPlan from './locales/zh-CN/berthPlan.json';
import zhCargo from './locales/zh-CN/cargo.json';
import zhCommon from './locales/zh-CN/common.json';
import zhOverview from './locales/zh-CN/overview.json';
import zhPortCalls from './locales/zh-CN/portCalls.json';
import zhQuarantine from './locales/zh-CN/quarantine.json';
import zhRegistry from './locales/zh-CN/registry.json';

/** One catalogue per language, assembled from one file per area of the app (each owns its top-level keys). */
export const CATALOGUES = {
  'zh-CN': {
    ...zhCommon,
    ...zhRegistry,
    ...zhOverview,
    ...zhPortCalls,
    ...zhQuarantine,
    ...zhBerthPlan,
    ...zhCargo,
    ...zhDeclarations,
    ...zhRisk,
    ...zhTerminal,
    ...zhAlerts,
  },
  'en-US': {
    ...enCommon,
    ...enRegistry,
    ...enOverview,
    ...enPortCalls,
    ...enQuarantine,
    ...enBerthPlan,
    ...enCargo,
    ...enDeclarations,
    ...enRisk,
    ...enTerminal,
    ...enAlerts,
  },
} as const;

// Every string goes through here; a key missing in either catalogue fails i18n.test.ts.
void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: CATALOGUES['zh-CN'] }, 'en-US': { translation: CATALOGUES['en-US'] } },
  lng: loadLang(),
  fallbackLng: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

// The page's lang attribute follows the stored choice from the first render, not only on a switch.
if (typeof document !== 'undefined') {
  document.documentElement.lang = loadLang();
}

export const changeLanguage = async (lang: Lang): Promise<void> => {
  await i18n.changeLanguage(lang);
  document.documentElement.lang = lang;
};

export default i18n;
