/** Stable error codes of the port-calls module. */
export const PortCallErrorCode = {
  NOT_FOUND: 'port-call.not-found',
  INVALID_TRANSITION: 'port-call.invalid-transition',
  INVALID_FIELD: 'port-call.invalid-field',
  DUPLICATE_VOYAGE: 'port-call.duplicate-voyage',
  BERTH_UNSUITABLE: 'port-call.berth-unsuitable',
  NOT_YOUR_BERTH: 'port-call.not-your-berth',
  NO_PRATIQUE: 'port-call.no-pratique',
  STALE_VERSION: 'port-call.stale-version',
} as const;
