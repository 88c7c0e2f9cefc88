// The registry's public face: everything other code may use.
export { berthCode, resolveCode, sameCanonicalCode, type BerthCode, type CodePair, type Resolution } from './code-resolution.ts';
export { createEntity } from './commands/create-entity.ts';
export { versionEntity } from './commands/version-entity.ts';
export { findHsCode, importHsCodes, importHsCsv, isKnownHsCode, parseHsCsv, type HsRow } from './hs-import.ts';
export { columnOf, ENTITIES, ENTITY_NAMES, entitySpec, type EntityName, type EntitySpec } from './registry.entities.ts';
export { RegistryErrorCode } from './registry.errors.ts';
export { validAt } from './registry.repository.ts';
export { registryRoutes } from './registry.routes.ts';
