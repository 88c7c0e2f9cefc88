export { instructionRoutes } from './instructions.routes.ts';
