import { expect, test } from 'vitest';
import {
  ackState,
  addCheck,
  fieldErrors,
  isoToWallSeconds,
  loadChecks,
  meaningIn,
  normaliseBox,
  saveChecks,
  wallSecondsToIso,
  type CheckEntry,
} from './model.ts';
import type { GateCheck } from './types.ts';

test('meaningIn puts the user language first', () => {
  expect(meaningIn({ zh: '可放行', en: 'released' }, 'zh-CN')).toEqual({ main: '可放行', other: 'released' });
  expect(meaningIn({ zh: '可放行', en: 'released' }, 'en-US')).toEqual({ main: 'released', other: '可放行' });
});

test('ackState reads the acknowledgement', () => {
  expect(ackState({ acknowledgement: null })).toBe('pending');
  expect(ackState({ acknowledgement: { status: 'rejected', note: 'no box', at: '2026-11-27T00:00:00Z', by: null } })).toBe('rejected');
});

test('fieldErrors puts /sendTime on its field and the rest in general', () => {
  const r = fieldErrors(
    [
      { path: '/sendTime', message: 'not newer than the instruction in force (2026-11-27T08:00:00.000Z)' },
      { path: '/subject', message: 'no box MSCU1234565 on this call' },
      { path: '/subject', message: 'second' },
      { path: '/x/y', message: 'odd' },
      { path: '', message: 'whole body' },
    ],
    ['sendTime', 'subject'],
  );
  expect(r.fields).toEqual([
    { name: 'sendTime', errors: ['not newer than the instruction in force (2026-11-27T08:00:00.000Z)'] },
    { name: 'subject', errors: ['no box MSCU1234565 on this call', 'second'] },
  ]);
  expect(r.general).toEqual(['/x/y: odd', 'whole body']);
});

test('normaliseBox drops spaces and hyphens and upper-cases', () => {
  expect(normaliseBox(' mscu 123456-5 ')).toBe('MSCU1234565');
});

const check = (n: string): CheckEntry => ({
  at: '2026-11-27T09:00:00Z',
  result: {
    allowed: false,
    move: 'gate-out',
    reason: 'not-released',
    instruction: null,
    container: {
      id: n,
      number: n,
      portCallId: 'c',
      direction: 'import',
      bills: [],
      flags: { customsReleased: false, onHold: false, discharged: true, gatedOut: false, loaded: false },
    },
  } satisfies GateCheck,
});

test('addCheck keeps the newest first and at most max', () => {
  let list: CheckEntry[] = [];
  for (let i = 0; i < 5; i += 1) {
    list = addCheck(list, check(`B${i}`), 3);
  }
  expect(list.map((c) => c.result.container.number)).toEqual(['B4', 'B3', 'B2']);
});

test('checks survive a round trip through storage; a broken entry reads as none', () => {
  const store = new Map<string, string>();
  const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
  saveChecks(storage, [check('B1')]);
  expect(loadChecks(storage).map((c) => c.result.container.number)).toEqual(['B1']);
  store.set('portcluster.gate-checks', '{not json');
  expect(loadChecks(storage)).toEqual([]);
  expect(loadChecks(undefined)).toEqual([]);
});

test('send times keep their seconds through the picker, in the user time zone', () => {
  expect(wallSecondsToIso('2026-11-27T17:05:42', 'Asia/Shanghai')).toBe('2026-11-27T09:05:42.000Z');
  expect(isoToWallSeconds('2026-11-27T09:05:42.000Z', 'Asia/Shanghai')).toBe('2026-11-27T17:05:42');
  expect(wallSecondsToIso('2026-11-27T17:05', 'Asia/Shanghai')).toBe('2026-11-27T09:05:00.000Z');
});
