import { get, post, type Page } from '../../api/client.ts';
import { cursorPager } from '../port-calls/model.ts';
import type { AckStatus, GateCheck, GateMove, Instruction, IssueInstruction } from './types.ts';

const enc = encodeURIComponent;

export const fetchInstructionsPage = cursorPager<Instruction>((query, limit, cursor) =>
  get<Page<Instruction>>('/api/v1/customs-instructions', { ...query, limit, cursor }),
);

export const issueInstruction = (body: IssueInstruction): Promise<Instruction> => post<Instruction>('/api/v1/customs-instructions', body);

export const acknowledgeInstruction = (id: string, body: { status: AckStatus; note?: string }): Promise<Instruction> =>
  post<Instruction>(`/api/v1/customs-instructions/${enc(id)}/acknowledgement`, body);

export const checkGate = (body: { containerNumber: string; move: GateMove; portCallId?: string }): Promise<GateCheck> =>
  post<GateCheck>('/api/v1/gate-checks', body);
