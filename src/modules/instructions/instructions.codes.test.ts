import { describe, expect, it } from 'vitest';
import { decideMove, INSTRUCTION_CODE_NAMES, INSTRUCTION_CODES, isInstructionCode } from './instructions.codes.ts';

const free = { customsReleased: false, onHold: false };
const sendTime = new Date('2026-11-01T06:00:00Z');

describe('instruction code table', () => {
  it('holds the eight MT0102 codes with their moves written out', () => {
    expect(INSTRUCTION_CODE_NAMES).toEqual(['1', '2', '7', '8', '9', 'I', 'A', 'B']);
    const moves = Object.fromEntries(INSTRUCTION_CODE_NAMES.map((c) => [c, [...INSTRUCTION_CODES[c].permits]]));
    expect(moves).toEqual({ 1: ['load'], 2: ['gate-out'], 7: ['gate-out'], 8: [], 9: ['gate-out', 'load'], I: ['gate-out'], A: [], B: [] });
    expect(INSTRUCTION_CODE_NAMES.filter((c) => INSTRUCTION_CODES[c].box === 'hold')).toEqual(['A', 'B']);
    expect(INSTRUCTION_CODE_NAMES.filter((c) => INSTRUCTION_CODES[c].box === 'none')).toEqual(['8']);
    expect([isInstructionCode('I'), isInstructionCode('i'), isInstructionCode('toString')]).toEqual([true, false, false]);
  });
});

describe('decideMove', () => {
  it('follows the instruction in force when there is one, whatever the flags say of releases', () => {
    expect(decideMove('gate-out', { code: '2', sendTime }, free)).toMatchObject({ allowed: true, reason: 'instruction-permits' });
    expect(decideMove('load', { code: '2', sendTime }, { customsReleased: true, onHold: false })).toMatchObject({
      allowed: false,
      reason: 'instruction-does-not-permit',
    });
    expect(decideMove('gate-out', { code: 'B', sendTime }, { customsReleased: true, onHold: false })).toMatchObject({
      allowed: false,
      reason: 'instruction-holds',
      instruction: { code: 'B', sendTime },
    });
  });

  it('lets a standing customs hold stop a box even when the instruction permits the move', () => {
    expect(decideMove('load', { code: '9', sendTime }, { customsReleased: false, onHold: true })).toEqual({
      allowed: false,
      reason: 'customs-hold',
      instruction: { code: '9', sendTime },
    });
  });

  it('falls back to the flags without an instruction', () => {
    expect(decideMove('gate-out', null, free)).toEqual({ allowed: false, reason: 'not-released', instruction: null });
    expect(decideMove('load', null, { customsReleased: true, onHold: false })).toEqual({
      allowed: true,
      reason: 'customs-released',
      instruction: null,
    });
    expect(decideMove('gate-out', null, { customsReleased: false, onHold: true })).toEqual({
      allowed: false,
      reason: 'customs-hold',
      instruction: null,
    });
  });
});
