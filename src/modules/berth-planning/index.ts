// Cluster berth planning (C2): instances from port calls and berths, optimiser proposals, acceptance.
export { berthPlanningRoutes } from './berth-planning.routes.ts';
export { buildInstance, type PlanBerth, type PlanCall } from './build-instance.ts';
