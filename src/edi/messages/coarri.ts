/**
 * COARRI (container discharge/loading report) → terminal events, one per EQD group (D95B SG3,
 * D00B SG6). The kind comes from BGM 1001.
 */
import { type Message } from '../interchange.ts';
import { mapTerminalEvents, type MapResult, type TerminalEventOptions, type TerminalEventRecord } from './common.ts';

// BGM 1001 codes. SMDG COARRI 2.0 MIG (as published by SARS, tools.sars.gov.za/EDI_Downloads/MIGS/COARRI_2_0_HTML):
// 98 unload container from vessel, 270 load container onto vessel. SMDG COARRI 1.x (D95B, e.g. ITG13
// files as in php-edifact's tests/files/D95BCOARRI.edi): 44 discharge report, 46 loading report.
const COARRI_KINDS = { '98': 'discharge', '270': 'load', '44': 'discharge', '46': 'load' } as const;

/** Maps a COARRI to one discharge/load event per container, for the terminal event log. */
export function mapCoarri(msg: Message, options: TerminalEventOptions): MapResult<TerminalEventRecord[]> {
  return mapTerminalEvents(
    msg,
    {
      type: 'COARRI',
      kinds: COARRI_KINDS,
      kindOfBox: () => null,
      // 2005: 203 execution date/time (SMDG "container discharge/loading date"), 178 actual arrival, 186 departure.
      eventDates: ['203', '178', '186'],
    },
    options,
  );
}
