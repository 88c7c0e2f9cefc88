/** Stable error codes of the cargo module. */
export const CargoErrorCode = {
  INVALID_FIELD: 'cargo.invalid-field',
  INVALID_EVENT: 'cargo.invalid-event',
  BAD_CONTAINER_NUMBER: 'cargo.bad-container-number',
  UNKNOWN_CONTAINER: 'cargo.unknown-container',
  UNKNOWN_HS_CODE: 'cargo.unknown-hs-code',
  UNKNOWN_CALL: 'cargo.unknown-port-call',
  NOT_YOUR_EVENT: 'cargo.not-your-event',
  EVENT_ID_REUSED: 'cargo.event-id-reused',
  MANIFEST_NOT_FOUND: 'cargo.manifest-not-found',
  CONTAINER_NOT_FOUND: 'cargo.container-not-found',
  DUPLICATE_DOCUMENT: 'cargo.duplicate-document',
  STALE_VERSION: 'cargo.stale-version',
  TOO_LATE_TO_DELETE: 'cargo.too-late-to-delete',
  MANIFEST_DELETED: 'cargo.manifest-deleted',
  NOT_FILER: 'cargo.not-filer',
  EDIFACT_REJECTED: 'cargo.edifact-rejected',
} as const;
