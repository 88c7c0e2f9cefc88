/**
 * Customs → terminal instruction codes (the "MT0102" CustomInstruction field of a Navis N4
 * integration). Source: /work/shared/reference/domain.md §1.3 [S: GitHub file id 14205217189],
 * precedence rule §16.3. Which moves each code permits follows §2.3 ("after release, customs sends
 * code 2, or 1 'may load' for exports; the terminal releases the box at the gate or loads it") and
 * §12 (I: release for direct movement port → zone, then gate-out to the zone). Kept as one table so that a change by the
 * authority is a change of data here, not of the rules that read it.
 *
 * - `permits`: the terminal moves this code allows while it is the instruction in force;
 * - `box`: what it does to the box's customs flags (a container event of that kind is recorded):
 *   `release` → customs-release, `hold` → customs-hold, `none` → no flag changes;
 * - `direction`: the usual I/E side, used when a request names neither direction nor a box.
 */
export const INSTRUCTION_CODES = {
  '1': {
    meaningZh: '可装载',
    meaningEn: 'may load',
    permits: ['load'],
    box: 'release',
    direction: 'export',
  },
  '2': {
    meaningZh: '可放行',
    meaningEn: 'released',
    permits: ['gate-out'],
    box: 'release',
    direction: 'import',
  },
  '7': {
    meaningZh: '施封出场',
    meaningEn: 'seal and exit',
    permits: ['gate-out'],
    box: 'release',
    direction: 'import',
  },
  '8': {
    meaningZh: '验封进场',
    meaningEn: 'verify seal on entry',
    permits: [],
    box: 'none',
    direction: 'export',
  },
  '9': {
    meaningZh: '退运可出场',
    meaningEn: 'return shipment may exit',
    permits: ['gate-out', 'load'],
    box: 'release',
    direction: 'import',
  },
  I: {
    meaningZh: '区港联动－放行[可入区]',
    meaningEn: 'zone–port linkage release (may enter the zone)',
    permits: ['gate-out'],
    box: 'release',
    direction: 'import',
  },
  A: {
    meaningZh: '查验指令[人工检查]',
    meaningEn: 'inspection order, manual',
    permits: [],
    box: 'hold',
    direction: 'import',
  },
  B: {
    meaningZh: '查验指令[机检检查]',
    meaningEn: 'inspection order, machine scan',
    permits: [],
    box: 'hold',
    direction: 'import',
  },
} as const satisfies Record<
  string,
  {
    meaningZh: string;
    meaningEn: string;
    permits: readonly GateMove[];
    box: 'release' | 'hold' | 'none';
    direction: 'import' | 'export';
  }
>;

export type GateMove = 'gate-out' | 'load';
export const GATE_MOVES = ['gate-out', 'load'] as const satisfies readonly GateMove[];

export type InstructionCode = keyof typeof INSTRUCTION_CODES;
export const INSTRUCTION_CODE_NAMES = Object.keys(INSTRUCTION_CODES) as InstructionCode[];

export const isInstructionCode = (s: string): s is InstructionCode => Object.hasOwn(INSTRUCTION_CODES, s);

export const codePermits = (code: InstructionCode, move: GateMove): boolean =>
  (INSTRUCTION_CODES[code].permits as readonly GateMove[]).includes(move);

/** Why a move is allowed or refused (the gate check's `reason`, the interlock alarm's detail). */
export type GateReason =
  'instruction-permits' | 'instruction-holds' | 'instruction-does-not-permit' | 'customs-released' | 'customs-hold' | 'not-released';

export type GateDecision = {
  allowed: boolean;
  reason: GateReason;
  instruction: { code: InstructionCode; sendTime: Date } | null;
};

/**
 * The release rule shared by the gate check and the interlock: the instruction in force for the
 * box (its own or its bill's, whichever was sent last) must permit the move, and no later customs
 * hold may stand; a box without any instruction falls back to the cargo flags (released by
 * customs' own container events and not on hold).
 */
export const decideMove = (
  move: GateMove,
  instruction: { code: InstructionCode; sendTime: Date } | null,
  flags: { customsReleased: boolean; onHold: boolean },
): GateDecision => {
  if (instruction !== null) {
    if (codePermits(instruction.code, move)) {
      // Permitting codes record a release at their send time, so a hold that still counts was sent
      // after the instruction (customs' own container event): it stops the box too.
      return flags.onHold
        ? { allowed: false, reason: 'customs-hold', instruction }
        : { allowed: true, reason: 'instruction-permits', instruction };
    }
    const reason = INSTRUCTION_CODES[instruction.code].box === 'hold' ? 'instruction-holds' : 'instruction-does-not-permit';
    return { allowed: false, reason, instruction };
  }
  if (flags.onHold) {
    return { allowed: false, reason: 'customs-hold', instruction: null };
  }
  return flags.customsReleased
    ? { allowed: true, reason: 'customs-released', instruction: null }
    : { allowed: false, reason: 'not-released', instruction: null };
};
