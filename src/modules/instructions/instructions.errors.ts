/** Stable error codes of the customs-instructions module (instructions, acknowledgements, gate checks). */
export const InstructionErrorCode = {
  /** No instruction with this id that the caller may see. */
  NOT_FOUND: 'instructions.not-found',
  /** The port call does not exist or the caller may not see it (path /portCallId). */
  CALL_NOT_FOUND: 'instructions.call-not-found',
  /** The declaration named does not exist (path /declarationId). */
  DECLARATION_NOT_FOUND: 'instructions.declaration-not-found',
  /** No box (scope container) or bill (scope bill) of that number on the call (path /subject). */
  SUBJECT_NOT_ON_CALL: 'instructions.subject-not-on-call',
  /** A bill number that is empty or longer than 35 characters (path /subject). */
  INVALID_SUBJECT: 'instructions.invalid-subject',
  /** The container number fails ISO 6346 (path /subject or /containerNumber). */
  BAD_CONTAINER_NUMBER: 'instructions.bad-container-number',
  /** The send time is more than 15 minutes ahead of the server clock (path /sendTime). */
  SEND_TIME_IN_FUTURE: 'instructions.send-time-in-future',
  /** Must-copy rule: an instruction not newer than the one in force for its subject is refused (path /sendTime). */
  OLDER_THAN_IN_FORCE: 'instructions.older-than-in-force',
  /** The instruction was already acknowledged: an acknowledgement is given once. */
  ALREADY_ACKNOWLEDGED: 'instructions.already-acknowledged',
  /** No customs organisation acts for the call's district, so no box event can be sent on its behalf. */
  NO_CUSTOMS_ORGANISATION: 'instructions.no-customs-organisation',
  /** Gate check: no visit of that box at a call the caller may see (path /containerNumber). */
  CONTAINER_NOT_FOUND: 'instructions.container-not-found',
} as const;
