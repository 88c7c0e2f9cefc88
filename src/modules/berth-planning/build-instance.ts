import type { Assignment, BerthInstance } from '../../optimisation/berth-allocation/index.ts';

/**
 * From port calls and berths to a DBAP instance (pure). Time runs in slots of `slotMinutes` from
 * `origin`. A ship may use a berth only where it fits (length ≥ LOA, depth ≥ draft), the berth handles
 * its cargo, and the berth is under the same canonical regulatory code as the call was declared under
 * (any other berth would need a re-declaration, §3). Handling time is the agent's own declared stay
 * (ETD − ETA): the data holds no berth productivity yet. A berth with closures becomes one DBAP berth
 * per open stretch between them (`berthOf` maps them back): a ship's stay cannot span a closure.
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
  /** Maintenance windows and other closures: no ship may be alongside during one. */
  closures: { start: Date; end: Date }[];
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
): { instance: BerthInstance; calls: PlanCall[]; unfit: Unfit[]; berthOf: number[] } => {
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
  const segments = berths.flatMap((b, k) => openStretches(b, w).map((seg) => ({ ...seg, k })));
  const handling = rows.filter((_, i) => keep[i]).map((row) => segments.map((seg) => row[seg.k] ?? null));
  return {
    calls,
    berthOf: segments.map((seg) => seg.k),
    instance: {
      ships: calls.map((c) => ({
        arrival: Math.max(0, slots(c.readyAt.getTime() - w.origin.getTime(), w)),
        latestDeparture: w.horizonSlots,
        weight: c.weight,
      })),
      berths: segments.map(({ opens, closes }) => ({ opens, closes })),
      handling,
    },
    unfit,
  };
};

/** The stretches of the window a berth is open: from when it is free, between its closures (slot-rounded outwards). */
const openStretches = (b: PlanBerth, w: PlanningWindow): { opens: number; closes: number }[] => {
  const at = (d: Date, round: (x: number) => number): number =>
    Math.min(w.horizonSlots, Math.max(0, round((d.getTime() - w.origin.getTime()) / (w.slotMinutes * 60_000))));
  const closed = b.closures
    .map((c) => ({ from: at(c.start, Math.floor), to: at(c.end, Math.ceil) }))
    .filter((c) => c.to > c.from)
    .sort((x, y) => x.from - y.from);
  const out: { opens: number; closes: number }[] = [];
  let opens = b.freeFrom === null ? 0 : at(b.freeFrom, Math.ceil);
  for (const c of closed) {
    if (c.from > opens) {
      out.push({ opens, closes: c.from });
    }
    opens = Math.max(opens, c.to);
  }
  if (opens < w.horizonSlots) {
    out.push({ opens, closes: w.horizonSlots });
  }
  return out;
};

/** An assignment back in wall-clock time. */
export const toWindow = (a: Assignment, handlingSlots: number, w: PlanningWindow): { start: Date; end: Date } => ({
  start: new Date(w.origin.getTime() + a.start * w.slotMinutes * 60_000),
  end: new Date(w.origin.getTime() + (a.start + handlingSlots) * w.slotMinutes * 60_000),
});
