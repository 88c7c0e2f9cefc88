export { riskRoutes } from './risk.routes.ts';
