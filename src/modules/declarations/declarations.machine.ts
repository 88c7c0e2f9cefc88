/**
 * The declaration's machine file, in the receipt codes customs sends back (报关单回执, domain.md
 * §1.3): L received → J reviewed → (C inspection | T duty payable) → P released → R closed, and
 * E rejected, Z returned for amendment, D deleted, M re-review, H suspended.
 */
export const DECLARATION_STATUSES = ['L', 'J', 'C', 'T', 'P', 'R', 'E', 'Z', 'D', 'M', 'H'] as const;
export type DeclarationStatus = (typeof DECLARATION_STATUSES)[number];

export const STATUS_NAMES: Record<DeclarationStatus, { zh: string; en: string }> = {
  L: { zh: '海关入库成功', en: 'received' },
  J: { zh: '通关无纸化审结', en: 'reviewed' },
  C: { zh: '查验通知', en: 'inspection ordered' },
  T: { zh: '缴税', en: 'duty payable' },
  P: { zh: '海关已放行', en: 'released' },
  R: { zh: '海关已结关', en: 'closed' },
  E: { zh: '退单/不受理', en: 'rejected' },
  Z: { zh: '退回修改', en: 'returned for amendment' },
  D: { zh: '删除', en: 'deleted' },
  M: { zh: '重审', en: 'under re-review' },
  H: { zh: '挂起', en: 'suspended' },
};

/** Commands and who issues them: customs acts on the declaration, the declarant amends or withdraws it. */
export const DECLARATION_COMMANDS = {
  review: { by: 'customs', from: ['L', 'M'], to: 'J' },
  'order-inspection': { by: 'customs', from: ['J'], to: 'C' },
  'record-inspection': { by: 'customs', from: ['C'], to: 'J' },
  'assess-duty': { by: 'customs', from: ['J'], to: 'T' },
  'record-payment': { by: 'customs', from: ['T'], to: 'J' },
  release: { by: 'customs', from: ['J'], to: 'P' },
  close: { by: 'customs', from: ['P'], to: 'R' },
  return: { by: 'customs', from: ['L', 'J', 'M'], to: 'Z' },
  reject: { by: 'customs', from: ['L', 'M'], to: 'E' },
  suspend: { by: 'customs', from: ['L', 'J', 'C', 'T', 'M'], to: 'H' },
  resume: { by: 'customs', from: ['H'], to: 'M' },
  amend: { by: 'declarant', from: ['L', 'Z', 'M'], to: 'M' },
  withdraw: { by: 'declarant', from: ['L', 'J', 'T', 'Z', 'M'], to: 'D' },
} as const satisfies Record<string, { by: 'customs' | 'declarant'; from: readonly DeclarationStatus[]; to: DeclarationStatus }>;
export type DeclarationCommand = keyof typeof DECLARATION_COMMANDS;
export const CUSTOMS_COMMANDS = (Object.keys(DECLARATION_COMMANDS) as DeclarationCommand[]).filter(
  (c) => DECLARATION_COMMANDS[c].by === 'customs',
);

export const nextStatus = (status: DeclarationStatus, command: DeclarationCommand): DeclarationStatus | null => {
  const move = DECLARATION_COMMANDS[command];
  return (move.from as readonly DeclarationStatus[]).includes(status) ? move.to : null;
};

/** Statuses in which the declaration is still being decided (alerts and queues look at these). */
export const OPEN_STATUSES: readonly DeclarationStatus[] = ['L', 'J', 'C', 'T', 'M', 'H', 'Z'];
