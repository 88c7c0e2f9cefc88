import type { QuarantineMode } from './quarantine.rules.ts';

/**
 * Entry quarantine's machine file (domain.md §4): DECLARED → RISK_ASSESSED (one step: the rules
 * run as the declaration is stored) → MODE_ASSIGNED → (REMOTE_SESSION → PASSED | ESCALATED →
 * BOARDING) → CERTIFICATE_ISSUED + PRATIQUE_GRANTED (one step). Some moves depend on the mode.
 */
export const QUARANTINE_STATES = ['assessed', 'mode-assigned', 'remote-session', 'boarding', 'pratique-granted'] as const;
export type QuarantineState = (typeof QUARANTINE_STATES)[number];

export const QUARANTINE_COMMANDS = [
  'assign-mode',
  'start-remote-session',
  'record-findings',
  'escalate',
  'start-boarding',
  'grant-pratique',
] as const;
export type QuarantineCommand = (typeof QUARANTINE_COMMANDS)[number];

type Move = { from: QuarantineState; modes?: readonly QuarantineMode[]; to: QuarantineState };

export const QUARANTINE_MACHINE: Record<QuarantineCommand, readonly Move[]> = {
  'assign-mode': [
    { from: 'assessed', to: 'mode-assigned' },
    // a decision may be revised until the quarantine itself starts (telecom starts at once)
    { from: 'mode-assigned', modes: ['smart-remote', 'berth', 'onboard', 'anchorage'], to: 'mode-assigned' },
  ],
  'start-remote-session': [{ from: 'mode-assigned', modes: ['smart-remote'], to: 'remote-session' }],
  'record-findings': [{ from: 'remote-session', to: 'remote-session' }],
  escalate: [{ from: 'remote-session', to: 'boarding' }],
  'start-boarding': [{ from: 'mode-assigned', modes: ['berth', 'onboard', 'anchorage'], to: 'boarding' }],
  'grant-pratique': [
    { from: 'mode-assigned', modes: ['telecom'], to: 'pratique-granted' },
    { from: 'remote-session', to: 'pratique-granted' },
    { from: 'boarding', to: 'pratique-granted' },
  ],
};

export const nextQuarantineState = (
  state: QuarantineState,
  command: QuarantineCommand,
  mode: QuarantineMode | null,
): QuarantineState | null => {
  const move = QUARANTINE_MACHINE[command].find(
    (m) => m.from === state && (m.modes === undefined || (mode !== null && m.modes.includes(mode))),
  );
  return move?.to ?? null;
};
