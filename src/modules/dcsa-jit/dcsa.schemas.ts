import { Type, type TSchema } from 'typebox';

/**
 * Our TypeBox mirror of the DCSA Port Call (JIT) 2.0.0 schemas (dcsa-jit-2.0.0.yaml,
 * #/components/schemas): request bodies are strict (unknown fields are a 400), responses are what
 * the serialiser writes. Rules the spec states in prose (REQ only by a consumer, which event codes
 * go with which service type…) are checked in dcsa.commands.ts.
 */
const NO_EDGE_SPACE = '^\\S(?:.*\\S)?$';
const text = (maxLength: number, pattern?: string) => Type.String({ maxLength, ...(pattern !== undefined ? { pattern } : {}) });
const oneOf = <const T extends readonly string[]>(values: T) => Type.Enum(values);
const strict = <T extends Record<string, TSchema>>(props: T) => Type.Object(props, { additionalProperties: false });

export const ZUuid = Type.String({ format: 'uuid' });
export const ZUnLocode = Type.String({ pattern: '^[A-Z]{2}[A-Z2-9]{3}$', minLength: 5, maxLength: 5 });
const ZUniversalVoyage = Type.String({ pattern: '^\\d{2}[0-9A-Z]{2}[NEWSR]$', minLength: 5, maxLength: 5 });
const ZUniversalService = Type.String({ pattern: '^SR\\d{5}[A-Z]$', minLength: 8, maxLength: 8 });
export const ZImo = Type.String({ pattern: '^\\d{7,8}$', minLength: 7, maxLength: 8 });
export const ZMmsi = Type.String({ pattern: '^\\d{9}$', minLength: 9, maxLength: 9 });

export const SERVICE_EVENT_CODES = ['STRT', 'CMPL', 'ARRI', 'DEPA'] as const;
export const CLASSIFIER_CODES = ['ACT', 'EST', 'PLN', 'REQ'] as const;
const DIMENSION_UNITS = ['MTR', 'FOT'] as const;
const VESSEL_TYPES = ['GCGO', 'CONT', 'RORO', 'CARC', 'PASS', 'FERY', 'BULK', 'TANK', 'LGTK', 'ASSI', 'PILO'] as const;

const ZFacility = strict({
  facilityCode: text(6, NO_EDGE_SPACE),
  facilityCodeListProvider: oneOf(['BIC', 'SMDG']),
  subFacility: Type.Optional(text(100, NO_EDGE_SPACE)),
});
const ZGeoCoordinate = strict({ latitude: text(10), longitude: text(11) });
const locationProps = {
  locationName: Type.Optional(text(100, NO_EDGE_SPACE)),
  facility: Type.Optional(ZFacility),
  geoCoordinate: Type.Optional(ZGeoCoordinate),
};
/** PortCallServiceLocation and PortCallServiceLocationTimestamp: UNLocationCode required. */
export const ZServiceLocation = strict({ ...locationProps, UNLocationCode: ZUnLocode });
const ZVesselPosition = strict({ ...locationProps, UNLocationCode: Type.Optional(ZUnLocode) });

export const ZVessel = strict({
  vesselIMONumber: Type.Optional(ZImo),
  MMSINumber: Type.Optional(ZMmsi),
  name: Type.Optional(text(50, NO_EDGE_SPACE)),
  lengthOverall: Type.Optional(Type.Number()),
  width: Type.Optional(Type.Number()),
  dimensionUnit: Type.Optional(oneOf(DIMENSION_UNITS)),
  callSign: Type.Optional(text(10, NO_EDGE_SPACE)),
  typeCode: Type.Optional(oneOf(VESSEL_TYPES)),
});

// readOnly fields (omitted, cancelled, declined) may be echoed back by a client that round-trips
// what it read; they are accepted and ignored. isFYI is writeOnly: stored, never returned.
const ZFyi = { isFYI: Type.Optional(Type.Boolean()) };

const portCallProps = {
  portCallID: ZUuid,
  portVisitReference: Type.Optional(text(50)),
  UNLocationCode: ZUnLocode,
  vessel: ZVessel,
};
export const ZPortCallBody = strict({ ...portCallProps, omitted: Type.Optional(Type.Boolean()), ...ZFyi });
export const ZPortCall = Type.Object({ ...portCallProps, omitted: Type.Boolean() });

const terminalCallProps = {
  terminalCallID: ZUuid,
  portCallID: ZUuid,
  terminalCallReference: Type.Optional(text(100)),
  terminalCallSequenceNumber: Type.Optional(Type.Integer({ minimum: -2147483648, maximum: 2147483647 })),
  carrierServiceName: text(50, NO_EDGE_SPACE),
  carrierServiceCode: text(11, NO_EDGE_SPACE),
  universalServiceReference: Type.Optional(ZUniversalService),
  carrierImportVoyageNumber: Type.Optional(text(50, NO_EDGE_SPACE)),
  carrierExportVoyageNumber: Type.Optional(text(50, NO_EDGE_SPACE)),
  universalImportVoyageReference: Type.Optional(ZUniversalVoyage),
  universalExportVoyageReference: Type.Optional(ZUniversalVoyage),
};
export const ZTerminalCallBody = strict({ ...terminalCallProps, omitted: Type.Optional(Type.Boolean()), ...ZFyi });
export const ZTerminalCall = Type.Object({ ...terminalCallProps, omitted: Type.Boolean() });

// Moves (spec: Moves, Restows, TotalUnits, SpecificUnits …): a total or a breakdown by size.
const ZCount = Type.Integer({ minimum: 0, maximum: 2147483647 });
const ZBySize = strict({ _20_units: ZCount, _40_units: ZCount, _45_units: ZCount });
const ZUnits = Type.Union([strict({ totalUnits: ZCount }), ZBySize]);
const ZDirection = strict({
  ladenContainerUnits: Type.Optional(ZUnits),
  emptyContainerUnits: Type.Optional(ZUnits),
  reeferPluggedContainerUnits: Type.Optional(ZUnits),
  oogUnits: Type.Optional(ZCount),
});
export const ZMovesItem = strict({
  carrierCode: Type.Optional(Type.String({ maxLength: 4, pattern: '^\\S+$' })),
  carrierCodeListProvider: Type.Optional(oneOf(['SMDG', 'NMFTA'])),
  restows: Type.Optional(Type.Union([strict({ totalRestows: ZCount }), ZBySize])),
  totalUnits: Type.Optional(ZCount),
  loadUnits: Type.Optional(ZDirection),
  dischargeUnits: Type.Optional(ZDirection),
});
const ZMoves = Type.Array(ZMovesItem, { maxItems: 100 });
const serviceProps = {
  terminalCallID: ZUuid,
  portCallServiceID: ZUuid,
  portCallServiceTypeCode: text(50, NO_EDGE_SPACE),
  portCallServiceEventTypeCode: oneOf(SERVICE_EVENT_CODES),
  portCallPhaseTypeCode: Type.Optional(oneOf(['INBD', 'ALGS', 'SHIF', 'OUTB'])),
  facilityTypeCode: Type.Optional(oneOf(['PBPL', 'BRTH', 'ANCH'])),
  portCallServiceLocation: ZServiceLocation,
  moves: Type.Optional(ZMoves),
};
export const ZPortCallServiceBody = strict({
  ...serviceProps,
  cancelled: Type.Optional(Type.Boolean()),
  declined: Type.Optional(Type.Boolean()),
  ...ZFyi,
});
export const ZPortCallService = Type.Object({ ...serviceProps, cancelled: Type.Boolean(), declined: Type.Boolean() });

const timestampProps = {
  timestampID: ZUuid,
  replyToTimestampID: Type.Optional(ZUuid),
  portCallServiceID: ZUuid,
  classifierCode: oneOf(CLASSIFIER_CODES),
  dateTime: Type.String({ format: 'date-time' }),
  portCallServiceLocation: Type.Optional(ZServiceLocation),
  delayReasonCode: Type.Optional(text(3)),
  remark: Type.Optional(text(500)),
};
export const ZTimestampBody = strict({ ...timestampProps, ...ZFyi });
export const ZTimestamp = Type.Object(timestampProps);

const vesselStatusProps = {
  portCallServiceID: ZUuid,
  draft: Type.Optional(Type.Number()),
  airDraft: Type.Optional(Type.Number()),
  aftDraft: Type.Optional(Type.Number()),
  forwardDraft: Type.Optional(Type.Number()),
  dimensionUnit: Type.Optional(oneOf(DIMENSION_UNITS)),
  vesselPosition: Type.Optional(ZVesselPosition),
  milesToDestinationPort: Type.Optional(Type.Number()),
};
export const ZVesselStatusBody = strict({ ...vesselStatusProps, ...ZFyi });
export const ZVesselStatus = Type.Object(vesselStatusProps);

/** Cancel, Decline, OmitPortCall and OmitTerminalCall share one shape. */
export const ZReason = strict({ reason: Type.Optional(text(500)), isFYI: Type.Optional(Type.Boolean()) });

const ZDetailedError = Type.Object({
  errorCode: Type.Optional(Type.Integer({ minimum: 7000, maximum: 9999 })),
  property: Type.Optional(Type.String({ maxLength: 100 })),
  value: Type.Optional(Type.String({ maxLength: 500 })),
  jsonPath: Type.Optional(Type.String({ maxLength: 500 })),
  errorCodeText: Type.String({ maxLength: 100 }),
  errorCodeMessage: Type.String({ maxLength: 5000 }),
});
export const ZErrorResponse = Type.Object({
  httpMethod: oneOf(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']),
  requestUri: Type.String(),
  statusCode: Type.Integer(),
  statusCodeText: Type.String({ maxLength: 50 }),
  statusCodeMessage: Type.Optional(Type.String({ maxLength: 200 })),
  providerCorrelationReference: Type.Optional(Type.String({ maxLength: 100 })),
  errorDateTime: Type.String({ format: 'date-time' }),
  errors: Type.Array(ZDetailedError, { minItems: 1 }),
});

/** The spec's request headers: API-Version carries the major version only, aligned with the URI (v2). */
export const ZHeaders = Type.Object({
  'api-version': Type.Optional(Type.String({ pattern: '^2$', description: 'Major version only: 2' })),
  'request-sending-party': Type.Optional(Type.String({ maxLength: 4096 })),
  'request-receiving-party': Type.Optional(Type.String({ maxLength: 4096 })),
});

export const API_VERSION = '2.0.0';
