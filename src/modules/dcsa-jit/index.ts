// The DCSA Port Call (JIT) 2.0 module's public face: PortCluster as the JIT Service Provider.
export { requestedBerthTimes } from './dcsa.berth-requests.ts';
export { uuidV5 } from './dcsa.derived.ts';
export { DcsaErrorCode } from './dcsa.errors.ts';
export { DCSA_JIT_PREFIX, dcsaJitRoutes } from './dcsa.routes.ts';
