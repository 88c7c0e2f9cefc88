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
  messages: MappedMessage[];
}

export const SUPPORTED_MESSAGE_TYPES = ['CUSCAR', 'BAPLIE', 'COARRI', 'CODECO', 'IFTSTA'] as const;

function distinct(numbers: string[]): number {
  return new Set(numbers).size;
}

function mapOne(msg: Message, controlRef: string): MappedValue & { result: MapResult<unknown> | null; equipment: (v: never) => string[] } {
  switch (msg.type) {
    case 'CUSCAR':
      return {
        kind: 'cargo-report',
        value: null,
        result: mapCuscar(msg),
        equipment: (v: CargoReport) => v.bills.flatMap((b) => b.equipment.map((e) => e.number)),
      };
    case 'BAPLIE':
      return { kind: 'stowage', value: null, result: mapBaplie(msg), equipment: (v: StowagePlan) => v.equipment.map((e) => e.number) };
    case 'COARRI':
    case 'CODECO':
      return {
        kind: 'terminal-events',
        value: null,
        result: msg.type === 'COARRI' ? mapCoarri(msg, { controlRef }) : mapCodeco(msg, { controlRef }),
        equipment: (v: TerminalEventRecord[]) => v.map((e) => e.containerNumber),
      };
    case 'IFTSTA':
      return {
        kind: 'statuses',
        value: null,
        result: mapIftsta(msg),
        equipment: (v: ContainerStatusRecord[]) => v.map((e) => e.containerNumber),
      };
    default:
      return { kind: 'unsupported', value: null, result: null, equipment: () => [] };
  }
}

/** Maps every message of a read interchange; never throws (a mapper failure becomes `edi.internal`). */
export function mapInterchange(interchange: Interchange, options: { controlRef: string }): MappedMessage[] {
  return interchange.messages.map((msg) => {
    const base = { ref: msg.ref, type: msg.type, version: `${msg.version}:${msg.release}`, segmentCount: msg.segments.length };
    const unh = msg.segments[0] ?? null;
    try {
      const { result, equipment, ...kind } = mapOne(msg, options.controlRef);
      if (result === null) {
        const text = `message type ${JSON.stringify(msg.type)} is not supported (supported: ${SUPPORTED_MESSAGE_TYPES.join(', ')})`;
        return { ...base, ...kind, ok: false, errors: [issue('edi.unsupported-message', unh, text)], warnings: [], equipmentCount: 0 };
      }
      if (!result.ok) {
        return { ...base, ...kind, ok: false, errors: result.errors, warnings: [], equipmentCount: 0 };
      }
      const count = distinct(equipment(result.value as never));
      return {
        ...base,
        ...kind,
        value: result.value,
        ok: true,
        errors: [],
        warnings: result.warnings,
        equipmentCount: count,
      } as MappedMessage;
    } catch (e) {
      // Defensive: the mappers are written not to throw; should one, the message fails and the rest go on.
      return {
        ...base,
        kind: 'unsupported',
        value: null,
        ok: false,
        errors: [issue('edi.internal', unh, `internal mapping error: ${String(e)}`)],
        warnings: [],
        equipmentCount: 0,
      };
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
    return { ok: messages.every((m) => m.ok), errors: [], messages };
  }
  const partial = read.partial;
  const messages = partial === undefined ? [] : mapInterchange(partial, { controlRef: partial.controlRef });
  const rejected = issue('edi.interchange-invalid', null, 'the interchange has errors, so no message in it is accepted');
  return {
    ok: false,
    errors: read.errors,
    messages: messages.map((m) => ({ ...m, ok: false, errors: [...m.errors, rejected] })),
  };
}
