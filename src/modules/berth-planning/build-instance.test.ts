import { describe, expect, it } from 'vitest';
import { checkPlan, solve } from '../../optimisation/berth-allocation/index.ts';
import { buildInstance, type PlanBerth, type PlanCall } from './build-instance.ts';

const origin = new Date('2026-11-02T00:00:00Z');
const w = { origin, slotMinutes: 60, horizonSlots: 48 };
const h = (n: number) => new Date(origin.getTime() + n * 3_600_000);
const ship = (id: string, readyH: number, stayH: number, over: Partial<PlanCall> = {}): PlanCall => ({
  id,
  readyAt: h(readyH),
  stayMinutes: stayH * 60,
  loaM: 300,
  draftM: 12,
  cargoType: 'container',
  canonicalCode: 'CNQGD/4218',
  weight: 1,
  ...over,
});
const berth = (id: string, over: Partial<PlanBerth> = {}): PlanBerth => ({
  id,
  lengthM: 350,
  depthM: 15,
  cargoTypes: ['container'],
  canonicalCode: 'CNQGD/4218',
  freeFrom: null,
  closures: [],
  ...over,
});

describe('building a berth-allocation instance from calls and berths', () => {
  it('forbids berths a ship does not fit, handles no cargo of, or that sit under another code, and lists calls no berth takes', () => {
    const { instance, calls, unfit } = buildInstance(
      [ship('a', 0, 10), ship('big', 0, 10, { loaM: 400 }), ship('other', 0, 5, { canonicalCode: 'CNQDG/4202' })],
      [berth('b1'), berth('b2', { cargoTypes: ['bulk'] })],
      w,
    );
    expect(calls.map((c) => c.id)).toEqual(['a']);
    expect(instance.handling).toEqual([[10, null]]);
    expect(unfit.map((u) => [u.callId, u.reasons.map((r) => r.code)])).toEqual([
      ['big', ['too-big']],
      ['other', ['other-code']],
    ]);
  });

  it('splits a berth around its closures, so no stay spans a maintenance window', async () => {
    const closed = berth('b1', { closures: [{ start: h(4), end: h(10) }] });
    const { instance, berthOf } = buildInstance([ship('a', 0, 6), ship('b', 1, 3)], [closed], w);
    expect(instance.berths).toEqual([
      { opens: 0, closes: 4 },
      { opens: 10, closes: 48 },
    ]);
    expect(berthOf).toEqual([0, 0]);
    const r = await solve(instance, { timeLimitSeconds: 2, seed: 1 });
    expect(checkPlan(instance, r.assignments).feasible).toBe(true);
    // b (3 h) fits before the closure at hour 4; a (6 h) must wait for hour 10: 3 + (16 − 0) = 19
    expect(r).toMatchObject({ status: 'optimal', objective: 3 + 16 });
  });

  it('opens a berth with a ship alongside when that ship is due to leave', () => {
    const { instance } = buildInstance([ship('a', 0, 2)], [berth('b1', { freeFrom: h(5) })], w);
    expect(instance.berths).toEqual([{ opens: 5, closes: 48 }]);
  });
});
