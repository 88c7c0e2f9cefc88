/**
 * CODECO (container gate-in/gate-out report) → terminal events, one per EQD group (D95B SG5,
 * D00B SG10). The kind comes from BGM 1001, or from the box's own TDT when BGM does not say it.
 */
import { component, type Message, type Segment } from '../interchange.ts';
import {
  mapTerminalEvents,
  type MapResult,
  type TerminalEventKind,
  type TerminalEventOptions,
  type TerminalEventRecord,
} from './common.ts';

// BGM 1001 codes of the SMDG CODECO MIG: 34 gate-in report, 36 gate-out report.
const CODECO_KINDS = { '34': 'gate-in', '36': 'gate-out' } as const;

// Per box, TDT 8051 transport stage (UNTDID): 10 pre-carriage (the box arrives at the terminal),
// 30 on-carriage (it leaves). Used only when BGM carries another code.
function kindOfBox(_own: Segment[], transport: Segment[]): TerminalEventKind | null {
  const stage = transport.find((s) => s.tag === 'TDT')?.elements[0]?.[0]?.trim();
  return stage === '10' ? 'gate-in' : stage === '30' ? 'gate-out' : null;
}

/** Maps a CODECO to one gate-in/gate-out event per container, for the terminal event log. */
export function mapCodeco(msg: Message, options: TerminalEventOptions): MapResult<TerminalEventRecord[]> {
  const bgmCode = msg.segments.find((s) => s.tag === 'BGM');
  const known = bgmCode !== undefined && component(bgmCode, 0, 0).trim() in CODECO_KINDS;
  return mapTerminalEvents(
    msg,
    {
      type: 'CODECO',
      kinds: CODECO_KINDS,
      kindOfBox: known ? () => null : kindOfBox,
      // 2005: 7 effective date/time (gate move), 203 execution, 178 actual arrival, 186 departure.
      eventDates: ['7', '203', '178', '186'],
    },
    options,
  );
}
