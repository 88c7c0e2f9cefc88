import type { Assignment, BerthInstance } from '../../optimisation/berth-allocation/index.ts';

/**
 * From port calls and berths to a DBAP instance (pure). Time runs in slots of `slotMinutes` from
 * `origin`. A ship may use a berth only where it fits (length ≥ LOA, depth ≥ draft), the berth handles
 * its cargo, and the berth is under the same canonical regulatory code as the call was declared under
 * (any other berth would need a re-declaration, §3). Handling time is the agent's own declared stay
 * (ETD − ETA): the data holds no berth productivity yet.
 */
export type PlanCall = {
  id: string;
  /** When the ship can be at the berth: ETA, or a carrier's requested berth time if later. */
  readyAt: Date;
  stayMinutes: number;
  loaM: number;
  draftM: number;
  cargoType: string;
  canonicalCode: string;
  weight: number;
};

export type PlanBerth = {
  id: string;
  lengthM: number;
  depthM: number;
  cargoTypes: string[];
  canonicalCode: string;
  /** Occupied (by a ship already alongside) until then. */
  freeFrom: Date | null;
};

export type PlanningWindow = { origin: Date; slotMinutes: number; horizonSlots: number };

/** Why no berth can take a call; `code` for the UI to translate, `message` in English for logs and API users. */
export type UnfitReason = { code: 'no-berths' | 'other-code' | 'too-big' | 'cargo' | 'no-single-berth'; message: string };
export type Unfit = { callId: string; reasons: UnfitReason[] };

const unfitReasons = (c: PlanCall, berths: PlanBerth[]): UnfitReason[] => {
  if (berths.length === 0) {
    return [{ code: 'no-berths', message: 'no berths in the plan' }];
  }
  const reasons: UnfitReason[] = [];
  if (!berths.some((b) => b.canonicalCode === c.canonicalCode)) {
    reasons.push({ code: 'other-code', message: `no berth under the declared code ${c.canonicalCode}` });
  }
  if (!berths.some((b) => b.lengthM >= c.loaM && b.depthM >= c.draftM)) {
    reasons.push({ code: 'too-big', message: `no berth long and deep enough (LOA ${c.loaM} m, draft ${c.draftM} m)` });
  }
  if (!berths.some((b) => b.cargoTypes.includes(c.cargoType))) {
    reasons.push({ code: 'cargo', message: `no berth handles ${c.cargoType}` });
  }
  return reasons.length > 0 ? reasons : [{ code: 'no-single-berth', message: 'no berth satisfies every condition at once' }];
};

const slots = (ms: number, w: PlanningWindow): number => Math.ceil(ms / (w.slotMinutes * 60_000));

/** Calls no berth can take are left out (and listed with the reasons): one of them would make the whole plan infeasible. */
export const buildInstance = (
  all: PlanCall[],
  berths: PlanBerth[],
  w: PlanningWindow,
): { instance: BerthInstance; calls: PlanCall[]; unfit: Unfit[] } => {
  const unfit: Unfit[] = [];
  const rows = all.map((c) =>
    berths.map((b) => {
      const fits = b.lengthM >= c.loaM && b.depthM >= c.draftM && b.cargoTypes.includes(c.cargoType) && b.canonicalCode === c.canonicalCode;
      return fits ? Math.max(1, slots(c.stayMinutes * 60_000, w)) : null;
    }),
  );
  all.forEach((c, i) => {
    if ((rows[i] ?? []).every((h) => h === null)) {
      unfit.push({ callId: c.id, reasons: unfitReasons(c, berths) });
    }
  });
  const keep = all.map((_, i) => (rows[i] ?? []).some((h) => h !== null));
  const calls = all.filter((_, i) => keep[i]);
  const handling = rows.filter((_, i) => keep[i]);
  return {
    calls,
    instance: {
      ships: calls.map((c) => ({
        arrival: Math.max(0, slots(c.readyAt.getTime() - w.origin.getTime(), w)),
        latestDeparture: w.horizonSlots,
        weight: c.weight,
      })),
      berths: berths.map((b) => ({
        opens: b.freeFrom === null ? 0 : Math.max(0, slots(b.freeFrom.getTime() - w.origin.getTime(), w)),
        closes: w.horizonSlots,
      })),
      handling,
    },
    unfit,
  };
};

/** An assignment back in wall-clock time. */
export const toWindow = (a: Assignment, handlingSlots: number, w: PlanningWindow): { start: Date; end: Date } => ({
  start: new Date(w.origin.getTime() + a.start * w.slotMinutes * 60_000),
  end: new Date(w.origin.getTime() + (a.start + handlingSlots) * w.slotMinutes * 60_000),
});
