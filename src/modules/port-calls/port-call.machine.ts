/**
 * The port call's machine file (domain.md §3: CSM002 pre-report … CSM007 departure). One table
 * of which command may move a call from which state to which; commands consult it and nothing
 * else decides legality. Berth shifts and cargo operations happen inside `berthed`.
 */
export const PORT_CALL_STATES = ['pre-reported', 'confirmed', 'arrived', 'berthed', 'departure-reported', 'departed', 'cancelled'] as const;
export type PortCallState = (typeof PORT_CALL_STATES)[number];

export const PORT_CALL_COMMANDS = [
  'confirm',
  'arrive',
  'plan-berth',
  'berth',
  'shift-berth',
  'start-cargo-operations',
  'complete-cargo-operations',
  'report-departure',
  'depart',
  'cancel',
] as const;
export type PortCallCommand = (typeof PORT_CALL_COMMANDS)[number];

type Transition = { from: readonly PortCallState[]; to: PortCallState | 'same' };

export const PORT_CALL_MACHINE: Record<PortCallCommand, Transition> = {
  confirm: { from: ['pre-reported'], to: 'confirmed' },
  arrive: { from: ['pre-reported', 'confirmed'], to: 'arrived' },
  // a plan may be made or changed any time before departure is reported
  'plan-berth': { from: ['pre-reported', 'confirmed', 'arrived', 'berthed'], to: 'same' },
  berth: { from: ['arrived'], to: 'berthed' },
  'shift-berth': { from: ['berthed'], to: 'same' },
  'start-cargo-operations': { from: ['berthed'], to: 'same' },
  'complete-cargo-operations': { from: ['berthed'], to: 'same' },
  'report-departure': { from: ['berthed'], to: 'departure-reported' },
  depart: { from: ['departure-reported'], to: 'departed' },
  cancel: { from: ['pre-reported', 'confirmed'], to: 'cancelled' },
};

/** The state after `command`, or null when the machine does not allow it from `state`. */
export const nextState = (state: PortCallState, command: PortCallCommand): PortCallState | null => {
  const t = PORT_CALL_MACHINE[command];
  if (!t.from.includes(state)) {
    return null;
  }
  return t.to === 'same' ? state : t.to;
};
