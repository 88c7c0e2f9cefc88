// Versioned policies: storage and lookup; each owning module validates its documents and routes them.
export { listPolicyVersions, policyInForce, publishPolicy, PolicyErrorCode, type PolicyVersion } from './policies.ts';
export { policyReadRoutes, publishPolicyRoute, ZPolicyVersion } from './policy-routes.ts';
