export const RegistryErrorCode = {
  /** No such entity (or none valid on the requested date, or not visible to the caller). */
  NOT_FOUND: 'registry.not-found',
  /** A field's value fails its check (e.g. an IMO number with a bad check digit). */
  INVALID_FIELD: 'registry.invalid-field',
  /** A referenced entity, organisation or customs office does not exist on validFrom. */
  UNKNOWN_REFERENCE: 'registry.unknown-reference',
  /** Another entity already holds this code in an overlapping period. */
  DUPLICATE_CODE: 'registry.duplicate-code',
  /** validTo is not after validFrom. */
  INVALID_PERIOD: 'registry.invalid-period',
  /** A code pair that is not registered on the date asked. */
  UNKNOWN_CODE: 'registry.unknown-code',
  /** An HS nomenclature file with bad rows; details list them by line. Nothing was imported. */
  INVALID_HS_FILE: 'registry.invalid-hs-file',
  /** HS code not in the loaded nomenclature. */
  UNKNOWN_HS_CODE: 'registry.unknown-hs-code',
} as const;
