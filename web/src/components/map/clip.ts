/**
 * Polygon clipping to a longitude/latitude box, for cropping the Natural Earth land outline to the
 * part of the world the cluster map shows (web/scripts/crop-land.mjs runs this at build time; the
 * browser never does). Sutherland–Hodgman, one box edge at a time, per ring: correct for any ring
 * against a convex window. A concave ring that leaves and re-enters the box comes back as one ring
 * with zero-width seams along the box edge; filled, they are invisible.
 */
export type Position = [number, number];
export type Ring = Position[];
/** [minLon, minLat, maxLon, maxLat] */
export type BBox = [number, number, number, number];

type Edge = { inside: (p: Position) => boolean; cross: (a: Position, b: Position) => Position };

const atX = (a: Position, b: Position, x: number): Position => [x, a[1] + ((b[1] - a[1]) * (x - a[0])) / (b[0] - a[0])];
const atY = (a: Position, b: Position, y: number): Position => [a[0] + ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]), y];

const edgesOf = ([minX, minY, maxX, maxY]: BBox): Edge[] => [
  { inside: (p) => p[0] >= minX, cross: (a, b) => atX(a, b, minX) },
  { inside: (p) => p[0] <= maxX, cross: (a, b) => atX(a, b, maxX) },
  { inside: (p) => p[1] >= minY, cross: (a, b) => atY(a, b, minY) },
  { inside: (p) => p[1] <= maxY, cross: (a, b) => atY(a, b, maxY) },
];

/** The ring without its closing point (GeoJSON repeats the first point last). */
const open = (ring: Ring): Ring => {
  const first = ring[0];
  const last = ring[ring.length - 1];
  return ring.length > 1 && first !== undefined && last !== undefined && first[0] === last[0] && first[1] === last[1]
    ? ring.slice(0, -1)
    : ring;
};

const close = (ring: Ring): Ring => {
  const first = ring[0];
  return first === undefined ? ring : [...ring, [first[0], first[1]]];
};

const clipAgainst = (points: Ring, edge: Edge): Ring => {
  const out: Ring = [];
  let prev = points[points.length - 1];
  for (const cur of points) {
    if (prev === undefined) {
      break;
    }
    const curIn = edge.inside(cur);
    const prevIn = edge.inside(prev);
    if (curIn) {
      if (!prevIn) {
        out.push(edge.cross(prev, cur));
      }
      out.push(cur);
    } else if (prevIn) {
      out.push(edge.cross(prev, cur));
    }
    prev = cur;
  }
  return out;
};

/** Drop repeated consecutive points (the closing point too), e.g. after rounding. */
export const dedupe = (points: Ring): Ring => {
  const out: Ring = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (last === undefined || last[0] !== p[0] || last[1] !== p[1]) {
      out.push(p);
    }
  }
  const first = out[0];
  const last = out[out.length - 1];
  if (out.length > 1 && first !== undefined && last !== undefined && first[0] === last[0] && first[1] === last[1]) {
    out.pop();
  }
  return out;
};

/** Twice the signed area (positive when counter-clockwise). */
export const signedArea2 = (ring: Ring): number => {
  const pts = open(ring);
  let sum = 0;
  for (let i = 0; i < pts.length; i += 1) {
    const a = pts[i];
    const b = pts[(i + 1) % pts.length];
    if (a !== undefined && b !== undefined) {
      sum += a[0] * b[1] - b[0] * a[1];
    }
  }
  return sum;
};

/**
 * One ring clipped to the box, closed as GeoJSON wants it, or null when nothing of it (with some
 * area) is left inside.
 */
export const clipRing = (ring: Ring, bbox: BBox): Ring | null => {
  let pts = open(ring);
  for (const edge of edgesOf(bbox)) {
    if (pts.length === 0) {
      break;
    }
    pts = clipAgainst(pts, edge);
  }
  pts = dedupe(pts);
  return pts.length < 3 || signedArea2(pts) === 0 ? null : close(pts);
};

/** A polygon (outer ring, then holes) clipped to the box; null when its outer ring is gone. */
export const clipPolygon = (rings: Ring[], bbox: BBox): Ring[] | null => {
  const [outer, ...holes] = rings;
  const clippedOuter = outer === undefined ? null : clipRing(outer, bbox);
  if (clippedOuter === null) {
    return null;
  }
  const keptHoles = holes.map((h) => clipRing(h, bbox)).filter((h): h is Ring => h !== null);
  return [clippedOuter, ...keptHoles];
};

export const clipMultiPolygon = (polygons: Ring[][], bbox: BBox): Ring[][] =>
  polygons.map((p) => clipPolygon(p, bbox)).filter((p): p is Ring[] => p !== null);

/** Coordinates rounded to `digits` decimals, repeated points removed; null when it collapses. */
export const roundRing = (ring: Ring, digits: number): Ring | null => {
  const f = 10 ** digits;
  const pts = dedupe(open(ring).map(([x, y]): Position => [Math.round(x * f) / f, Math.round(y * f) / f]));
  return pts.length < 3 || signedArea2(pts) === 0 ? null : close(pts);
};

const segmentDistance = (p: Position, a: Position, b: Position): number => {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
};

/**
 * Douglas–Peucker: the fewest points of the ring that keep every dropped point within `epsilon`
 * (degrees) of the simplified outline. The ring stays closed; null when it collapses.
 */
export const simplifyRing = (ring: Ring, epsilon: number): Ring | null => {
  const pts = close(open(ring));
  if (pts.length <= 4) {
    return pts.length < 4 ? null : pts;
  }
  const keep = new Array<boolean>(pts.length).fill(false);
  keep[0] = true;
  keep[pts.length - 1] = true;
  const stack: [number, number][] = [[0, pts.length - 1]];
  while (stack.length > 0) {
    const [from, to] = stack.pop() ?? [0, 0];
    const a = pts[from];
    const b = pts[to];
    if (a === undefined || b === undefined) {
      continue;
    }
    let worst = -1;
    let worstAt = -1;
    for (let i = from + 1; i < to; i += 1) {
      const p = pts[i];
      const d = p === undefined ? 0 : segmentDistance(p, a, b);
      if (d > worst) {
        worst = d;
        worstAt = i;
      }
    }
    if (worstAt > 0 && worst > epsilon) {
      keep[worstAt] = true;
      stack.push([from, worstAt], [worstAt, to]);
    }
  }
  const out = pts.filter((_, i) => keep[i] === true);
  return out.length < 4 || signedArea2(out) === 0 ? null : out;
};
