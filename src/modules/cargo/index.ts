// The cargo module's public face (C4, cargo half): manifests, bills, box visits, terminal events.
export { CargoErrorCode } from './cargo.errors.ts';
export { cargoRoutes } from './cargo.routes.ts';
export {
  CONTAINER_EVENT_KINDS,
  CONTAINER_EVENT_KIND_NAMES,
  ingestContainerEvents,
  MAX_BATCH_EVENTS,
  type ContainerEventInput,
  type ContainerEventKind,
  type IngestResult,
} from './container-events.ts';
export {
  amendManifest,
  deleteManifest,
  fileManifest,
  knownHeadings,
  MANIFEST_KINDS,
  MANIFEST_KIND_NAMES,
  type FileManifestInput,
  type ManifestDocument,
  type ManifestKind,
} from './manifest.commands.ts';
export { deadlineRulesProblems, MANIFEST_DEADLINES_POLICY, type DeadlineRules } from './manifest-deadlines.ts';
export { containerFlags, findContainer, findManifest, listContainers, listManifests } from './cargo.queries.ts';
export {
  containerIftsta,
  findInterchange,
  importInterchange,
  IFTSTA_STATUS_CODES,
  listInterchanges,
  MAX_EDIFACT_BYTES,
  type InterchangeResult,
} from './edifact-import.ts';
