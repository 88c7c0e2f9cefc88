import { describe, expect, it } from 'vitest';
import {
  ACTIONS,
  actionRoute,
  availableActions,
  cursorPager,
  fieldOfPath,
  isoToWall,
  latestCodeCheck,
  placeErrors,
  stepBar,
  timelineItems,
  wallToIso,
} from './model.ts';
import type { DomainEvent, PortCall } from './types.ts';

const call = (over: Partial<PortCall> = {}): PortCall =>
  ({
    id: 'pc_1',
    state: 'pre-reported',
    confirmedAt: null,
    cargoOpsStartedAt: null,
    cargoOpsCompletedAt: null,
    ...over,
  }) as PortCall;

const routesOf = (...paths: string[]) => new Set(paths.map((p) => `POST /api/v1/port-calls/:id/${p}`));
const AGENT = routesOf('confirmation', 'arrival', 'departure-report', 'departure', 'cancellation');
const TERMINAL = routesOf(
  'arrival',
  'berth-plan',
  'berthing',
  'berth-shifts',
  'cargo-operations/start',
  'cargo-operations/complete',
  'departure',
);
const keys = (c: PortCall, allowed: Set<string>) => availableActions(c, (r) => allowed.has(r)).map((a) => a.key);

describe('availableActions', () => {
  it("offers the agent the pre-arrival steps and the terminal the berth plan, each only in the machine's states", () => {
    expect(keys(call(), AGENT)).toEqual(['confirmation', 'arrival', 'cancellation']);
    expect(keys(call(), TERMINAL)).toEqual(['arrival', 'berth-plan']);
    expect(keys(call({ state: 'arrived' }), TERMINAL)).toEqual(['berth-plan', 'berthing']);
    expect(keys(call({ state: 'arrived' }), AGENT)).toEqual([]);
    expect(keys(call({ state: 'departure-reported' }), AGENT)).toEqual(['departure']);
    expect(keys(call({ state: 'departed' }), new Set(ACTIONS.map(actionRoute)))).toEqual([]);
    expect(keys(call({ state: 'cancelled' }), new Set(ACTIONS.map(actionRoute)))).toEqual([]);
  });

  it('offers cargo start at the berth even before pratique (the server refuses and raises the alarm), then completion', () => {
    expect(keys(call({ state: 'berthed' }), TERMINAL)).toEqual(['berth-plan', 'berth-shifts', 'cargo-start']);
    expect(keys(call({ state: 'berthed', cargoOpsStartedAt: '2026-01-01T00:00:00Z' }), TERMINAL)).toEqual([
      'berth-plan',
      'berth-shifts',
      'cargo-complete',
    ]);
    expect(keys(call({ state: 'berthed' }), AGENT)).toEqual(['departure-report']);
  });

  it('offers nothing to a role without the routes (customs reads only)', () => {
    expect(keys(call({ state: 'berthed' }), new Set(['GET /api/v1/port-calls/:id']))).toEqual([]);
  });
});

describe('stepBar', () => {
  it('walks the six steps and stops a cancelled call in red', () => {
    expect(stepBar(call())).toEqual({ current: 0, status: 'process' });
    expect(stepBar(call({ state: 'berthed' }))).toEqual({ current: 3, status: 'process' });
    expect(stepBar(call({ state: 'departed' }))).toEqual({ current: 5, status: 'finish' });
    expect(stepBar(call({ state: 'cancelled' }))).toEqual({ current: 1, status: 'error' });
    expect(stepBar(call({ state: 'cancelled', confirmedAt: '2026-01-01T00:00:00Z' }))).toEqual({ current: 2, status: 'error' });
  });
});

const ev = (seq: number, type: string, payload: unknown = {}, aggregateType = 'port-call'): DomainEvent => ({
  seq,
  id: `ev_${seq}`,
  type,
  aggregateType,
  aggregateId: aggregateType === 'port-call' ? 'pc_1' : 'qc_1',
  actorType: 'user',
  actorId: 'u1',
  occurredAt: `2026-11-27T0${seq}:00:00.000Z`,
  payload,
});

describe('timelineItems', () => {
  it("merges the call's and the case's events by sequence, once each, with alarms, warnings and successes marked", () => {
    const call = [
      ev(1, 'port-call.pre-reported'),
      ev(3, 'port-call.cargo-operations-refused', { alarm: true, reason: 'no pratique' }),
      ev(5, 'port-call.code-mismatch-flagged'),
    ];
    const quarantine = [ev(2, 'quarantine.declared', {}, 'quarantine-case'), ev(4, 'quarantine.pratique-granted', {}, 'quarantine-case')];
    const items = timelineItems(call, quarantine, [call[0] as DomainEvent]);
    expect(items.map((i) => [i.seq, i.tone, i.aggregate])).toEqual([
      [1, 'info', 'port-call'],
      [2, 'info', 'quarantine'],
      [3, 'alarm', 'port-call'],
      [4, 'success', 'quarantine'],
      [5, 'warning', 'port-call'],
    ]);
    expect(items[2]?.labelKey).toBe('portCalls.event.port-call_cargo-operations-refused');
    expect(items[0]?.actor).toBe('user:u1');
  });

  it('reads the latest berth code check from the plan, berthing or shift', () => {
    const code = {
      declared: { portCode: 'CNQWG', customsCode: '4258' },
      berth: { portCode: 'CNQGD', customsCode: '4218' },
      canonical: { portCode: 'CNQGD', customsCode: '4218' },
      sameCanonical: true,
      redeclarationAvoided: true,
    };
    const items = timelineItems([
      ev(1, 'port-call.berth-planned', { berthCode: 'X-01', code: { ...code, sameCanonical: false, redeclarationAvoided: false } }),
      ev(2, 'port-call.berthed', { berthCode: 'QQCT-01', code }),
      ev(3, 'port-call.departed'),
    ]);
    expect(latestCodeCheck(items)).toEqual({ ...code, berthCode: 'QQCT-01', source: 'port-call.berthed' });
    expect(latestCodeCheck(items.slice(0, 1))?.sameCanonical).toBe(false);
    expect(latestCodeCheck([])).toBeNull();
  });
});

describe('cursorPager', () => {
  it('serves offset pages from a cursor-paged list, walking forward and remembering cursors', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => i);
    const calls: (string | null)[] = [];
    const page = cursorPager<number>(async (_q, limit, cursor) => {
      calls.push(cursor);
      const start = cursor === null ? 0 : Number(cursor);
      const items = rows.slice(start, start + limit);
      return { items, nextCursor: start + limit < rows.length ? String(start + limit) : null, total: rows.length };
    });
    expect(await page({ state: 'berthed' }, { offset: 20, limit: 10 })).toEqual({ items: [20, 21, 22, 23, 24], total: 25 });
    expect(calls).toEqual([null, '10', '20']);
    calls.length = 0;
    expect((await page({ state: 'berthed' }, { offset: 10, limit: 10 })).items[0]).toBe(10);
    expect(calls).toEqual(['10']);
    calls.length = 0;
    await page({ state: 'arrived' }, { offset: 10, limit: 10 });
    expect(calls).toEqual([null, '10']);
  });
});

describe('times in the user zone', () => {
  it('reads a wall clock in the chosen zone, not the browser one, and back', () => {
    expect(wallToIso('2026-11-27T08:00', 'Asia/Shanghai')).toBe('2026-11-27T00:00:00.000Z');
    expect(wallToIso('2026-07-01T08:00', 'Europe/Berlin')).toBe('2026-07-01T06:00:00.000Z');
    expect(wallToIso('2026-01-01T08:00', 'Europe/Berlin')).toBe('2026-01-01T07:00:00.000Z');
    expect(isoToWall('2026-11-27T00:00:00.000Z', 'Asia/Shanghai')).toBe('2026-11-27T08:00');
    expect(isoToWall('2026-07-01T06:00:00Z', 'Europe/Berlin')).toBe('2026-07-01T08:00');
  });
});

describe('server errors on fields', () => {
  const known = new Set(['imo', 'eta', 'declaredCode', 'portsOfCall', 'departedAt']);
  it("puts a detail at the field named by its path's last segment, list rows by index, aliases, else in the banner", () => {
    expect(fieldOfPath('/vessel/imo', known)).toBe('imo');
    expect(fieldOfPath('/eta', known)).toBe('eta');
    expect(fieldOfPath('/portsOfCall/2/departedAt', known)).toEqual(['portsOfCall', 2, 'departedAt']);
    expect(fieldOfPath('/declaredCode/customsCode', known, { customsCode: 'declaredCode' })).toBe('declaredCode');
    expect(fieldOfPath('/query/state', known)).toBeNull();
    const placed = placeErrors(
      [
        { path: '/vessel/imo', message: 'bad check digit' },
        { path: '/vessel/imo', message: 'bad check digit' },
        { path: '/other', message: 'nope' },
      ],
      known,
      (m) => m.toUpperCase(),
    );
    expect(placed).toEqual({ fields: [{ name: 'imo', errors: ['BAD CHECK DIGIT'] }], general: ['/other: NOPE'] });
  });
});
