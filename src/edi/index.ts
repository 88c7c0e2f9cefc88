export {
  readInterchange,
  component,
  isoDateTime,
  DEFAULT_SEPARATORS,
  MAX_ERRORS,
  MAX_COMPONENTS,
  MAX_INTERCHANGE_CHARS,
  MAX_SEGMENTS,
  type EdiError,
  type EdiErrorCode,
  type Group,
  type Interchange,
  type Message,
  type Party,
  type ReadOptions,
  type ReadResult,
  type Segment,
  type Separators,
} from './interchange.ts';
export {
  escapeValue,
  type Envelope,
  type Fullness,
  type MapResult,
  type MappingError,
  type MappingErrorCode,
  type TerminalEventKind,
  type TerminalEventOptions,
  type TerminalEventRecord,
  type Vessel,
} from './messages/common.ts';
export { mapCuscar, type Bill, type CargoEquipment, type CargoReport, type GoodsItem } from './messages/cuscar.ts';
export { mapBaplie, type StowagePlan, type StowedEquipment } from './messages/baplie.ts';
export { mapCoarri } from './messages/coarri.ts';
export { mapCodeco } from './messages/codeco.ts';
export { mapIftsta, writeIftsta, type ContainerStatusRecord } from './messages/iftsta.ts';
export { writeCusres, CUSRES_STATUS_CODES, type DeclarationResponse, type DeclarationStatus } from './messages/cusres.ts';
export {
  importEdifact,
  mapInterchange,
  SUPPORTED_MESSAGE_TYPES,
  type ImportResult,
  type MappedMessage,
  type MappedValue,
} from './messages/map-interchange.ts';
