// Customs instructions to terminals (MT0102), their acknowledgements, the gate check and the
// interlock alarm raised by the cargo ingest.
export {
  decideMove,
  GATE_MOVES,
  INSTRUCTION_CODE_NAMES,
  INSTRUCTION_CODES,
  type GateDecision,
  type GateMove,
  type GateReason,
  type InstructionCode,
} from './instructions.codes.ts';
export {
  acknowledgeInstruction,
  checkGate,
  directionFor,
  issueInstruction,
  issueInstructions,
  raiseInterlockAlarms,
  withdrawInterlockAlarms,
  INTERLOCK_WITHDRAWN,
  type GateCheckView,
  type InstructionOrder,
  type InterlockMove,
  type IssueInstructionInput,
} from './instructions.commands.ts';
export { InstructionErrorCode } from './instructions.errors.ts';
export { findInstruction, instructionInForce, listInstructions, releaseStates, type InstructionView } from './instructions.queries.ts';
export { instructionRoutes } from './instructions.routes.ts';
