export { alertRoutes } from './alerts.routes.ts';
export { openAlert, type AlertSeverity, type OpenAlertInput } from './alerts.store.ts';
