/**
 * Dispatch of an interchange's messages to the mappers by UNH message type, and `importEdifact`,
 * which reads and maps a whole file: the single entry point for EDIFACT coming in.
 */
import { readInterchange, type Interchange, type Message } from '../interchange.ts';
import { mapBaplie, type StowagePlan } from './baplie.ts';
import { mapCoarri } from './coarri.ts';
import { mapCodeco } from './codeco.ts';
import { issue, type MapResult, type MappingError, type TerminalEventRecord } from './common.ts';
import { mapCuscar, type CargoReport } from './cuscar.ts';
import { mapIftsta, type ContainerStatusRecord } from './iftsta.ts';

export type MappedValue =
  | { kind: 'cargo-report'; value: CargoReport | null }
  | { kind: 'stowage'; value: StowagePlan | null }
  | { kind: 'terminal-events'; value: TerminalEventRecord[] | null }
  | { kind: 'statuses'; value: ContainerStatusRecord[] | null }
  | { kind: 'unsupported'; value: null };

export type MappedMessage = {
  ref: string;
  type: string;
  /** UNH 0052:0054, e.g. `D:95B`. */
  version: string;
  /** UNH to UNT inclusive, as read. */
  segmentCount: number;
  ok: boolean;
  errors: MappingError[];
  warnings: MappingError[];
  /** Distinct equipment numbers in the mapped value (0 when the message failed). */
  equipmentCount: number;
} & MappedValue;

export interface ImportResult {
  /** True when the interchange is sound and every message mapped. */
  ok: boolean;
  /** Interchange-level errors from the reader (envelope, counts, syntax). */
  errors: MappingError[];
  /** UNB 0020 when an envelope was read, else null. */
  controlRef: string | null;
  messages: MappedMessage[];
}

export const SUPPORTED_MESSAGE_TYPES = ['CUSCAR', 'BAPLIE', 'COARRI', 'CODECO', 'IFTSTA'] as const;

type Outcome = Pick<MappedMessage, 'ok' | 'errors' | 'warnings' | 'equipmentCount'> & MappedValue;

function outcome<T>(result: MapResult<T>, wrap: (value: T | null) => MappedValue, equipment: (value: T) => string[]): Outcome {
  if (!result.ok) {
    return { ...wrap(null), ok: false, errors: result.errors, warnings: [], equipmentCount: 0 };
  }
  return { ...wrap(result.value), ok: true, errors: [], warnings: result.warnings, equipmentCount: new Set(equipment(result.value)).size };
}

function mapOne(msg: Message, controlRef: string): Outcome {
  switch (msg.type) {
    case 'CUSCAR':
      return outcome(
        mapCuscar(msg),
        (value) => ({ kind: 'cargo-report', value }),
        (v) => v.bills.flatMap((b) => b.equipment.map((e) => e.number)),
      );
    case 'BAPLIE':
      return outcome(
        mapBaplie(msg),
        (value) => ({ kind: 'stowage', value }),
        (v) => v.equipment.map((e) => e.number),
      );
    case 'COARRI':
    case 'CODECO':
      return outcome(
        msg.type === 'COARRI' ? mapCoarri(msg, { controlRef }) : mapCodeco(msg, { controlRef }),
        (value) => ({ kind: 'terminal-events', value }),
        (v) => v.map((e) => e.containerNumber),
      );
    case 'IFTSTA':
      return outcome(
        mapIftsta(msg),
        (value) => ({ kind: 'statuses', value }),
        (v) => v.map((e) => e.containerNumber),
      );
    default: {
      const text = `message type ${JSON.stringify(msg.type)} is not supported (supported: ${SUPPORTED_MESSAGE_TYPES.join(', ')})`;
      const error = issue('edi.unsupported-message', msg.segments[0] ?? null, text);
      return { kind: 'unsupported', value: null, ok: false, errors: [error], warnings: [], equipmentCount: 0 };
    }
  }
}

/** Maps every message of a read interchange; never throws (a mapper failure becomes `edi.internal`). */
export function mapInterchange(interchange: Interchange, options: { controlRef: string }): MappedMessage[] {
  return interchange.messages.map((msg) => {
    const base = { ref: msg.ref, type: msg.type, version: `${msg.version}:${msg.release}`, segmentCount: msg.segments.length };
    try {
      return { ...base, ...mapOne(msg, options.controlRef) };
    } catch (e) {
      // Defensive: the mappers are written not to throw; should one, the message fails and the rest go on.
      const error = issue('edi.internal', msg.segments[0] ?? null, `internal mapping error: ${String(e)}`);
      return { ...base, kind: 'unsupported', value: null, ok: false, errors: [error], warnings: [], equipmentCount: 0 };
    }
  });
}

/**
 * Reads and maps an EDIFACT file. When the interchange itself is defective, the messages that could be
 * read are still mapped (for diagnosis) but none is ok, and the reader's errors are returned.
 */
export function importEdifact(input: string | Buffer): ImportResult {
  const read = readInterchange(input);
  if (read.ok) {
    const messages = mapInterchange(read.interchange, { controlRef: read.interchange.controlRef });
    return { ok: messages.every((m) => m.ok), errors: [], controlRef: read.interchange.controlRef || null, messages };
  }
  const partial = read.partial;
  const messages = partial === undefined ? [] : mapInterchange(partial, { controlRef: partial.controlRef });
  const rejected = issue('edi.interchange-invalid', null, 'the interchange has errors, so no message in it is accepted');
  return {
    ok: false,
    errors: read.errors,
    controlRef: partial?.controlRef || null,
    messages: messages.map((m) => ({ ...m, ok: false, errors: [...m.errors, rejected] })),
  };
}
