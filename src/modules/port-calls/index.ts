// The port-calls module's public face (C2: vessel calls and berths).
export { PORT_CALL_MACHINE, PORT_CALL_STATES, nextState, type PortCallState } from './port-call.machine.ts';
export { PortCallErrorCode } from './port-call.errors.ts';
export {
  cancelCall,
  completeCargoOperations,
  confirmCall,
  fileCall,
  planBerth,
  recordArrival,
  recordBerthing,
  recordDeparture,
  recordQuarantineOutcome,
  reportDeparture,
  shiftBerth,
  startCargoOperations,
  PRE_ARRIVAL_HOURS,
  PORTS_OF_CALL_DAYS,
  type FileCallInput,
} from './port-call.commands.ts';
export { findCall, listCalls, lockCallById, type PortCallRow } from './port-call.repository.ts';
export { presentCall, type PortCallView } from './port-call.presenter.ts';
export { portCallRoutes } from './port-call.routes.ts';
