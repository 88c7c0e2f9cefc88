/** The customs-instructions API's shapes (src/modules/instructions/instructions.routes.ts), as the UI reads them. */

/** The codes the API accepts (MT0102 CustomInstruction); their meanings come with each instruction. */
export const INSTRUCTION_CODES = ['1', '2', '7', '8', '9', 'I', 'A', 'B'] as const;
export type InstructionCode = (typeof INSTRUCTION_CODES)[number];

export const GATE_MOVES = ['gate-out', 'load'] as const;
export type GateMove = (typeof GATE_MOVES)[number];

export type AckStatus = 'applied' | 'rejected';

export type Instruction = {
  id: string;
  scope: 'container' | 'bill';
  subject: string;
  portCallId: string;
  direction: 'import' | 'export';
  code: InstructionCode;
  meaning: { zh: string; en: string };
  permits: GateMove[];
  sendTime: string;
  declarationId: string | null;
  districtCode: string;
  terminalOrgIds: string[];
  issuedBy: string | null;
  receivedAt: string;
  inForce: boolean;
  acknowledgement: { status: AckStatus; note: string | null; at: string; by: string | null } | null;
};

export type IssueInstruction = {
  scope: 'container' | 'bill';
  subject: string;
  portCallId: string;
  code: InstructionCode;
  sendTime: string;
  direction?: 'import' | 'export';
  declarationId?: string | null;
};

export type GateReason =
  'instruction-permits' | 'instruction-holds' | 'instruction-does-not-permit' | 'customs-released' | 'customs-hold' | 'not-released';

export type GateCheck = {
  allowed: boolean;
  move: GateMove;
  reason: GateReason;
  instruction: { code: InstructionCode; sendTime: string } | null;
  container: {
    id: string;
    number: string;
    portCallId: string;
    direction: string;
    bills: string[];
    flags: { customsReleased: boolean; onHold: boolean; discharged: boolean; gatedOut: boolean; loaded: boolean };
  };
};
