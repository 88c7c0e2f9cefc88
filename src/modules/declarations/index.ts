export { declarationRoutes } from './declarations.routes.ts';
