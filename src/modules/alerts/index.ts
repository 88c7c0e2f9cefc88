export { alertRoutes } from './alerts.routes.ts';
