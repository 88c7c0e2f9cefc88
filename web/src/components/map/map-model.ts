import type { BBox } from './clip.ts';
import type { BondedZone, Corridor, InlandPort, Port, PortArea } from './registry-data.ts';

/**
 * What the cluster map places where, worked out from registry data before any drawing: the same
 * model feeds the ECharts series and the map's test hooks (data-ports), so the two cannot differ.
 *
 * The view box holds the Shandong coast, the Bohai and the Yellow Sea and the nearer inland ports
 * (Jinan, Zhengzhou, Xi'an, Taiyuan, Baotou). Inland ports further west (Lanzhou, Xining,
 * Yinchuan, Urumqi: up to 3,000 km away) would shrink the cluster to a few pixels, so they sit on
 * the edge of the view as arrows pointing their way, their corridors drawn to the arrow.
 */
export const VIEW: BBox = [107.5, 33, 126.5, 41.8];
/** How far inside the view edge off-map arrows sit (degrees), so that they and their labels show. */
const EDGE_INSET = 0.45;
/** Least distance between two arrows on one edge (degrees along the edge). */
const EDGE_SPACING = 0.55;
/** East–west squeeze of the plate carrée at the cluster's latitude (cos 37°); ECharts geo aspectScale. */
export const ASPECT = Math.cos((37 * Math.PI) / 180);

export type LonLat = [number, number];

export type ClusterData = {
  ports: Port[];
  areas: PortArea[];
  inlandPorts: InlandPort[];
  bondedZones: BondedZone[];
  corridors: Corridor[];
};

export type OffMapInland = {
  inland: InlandPort;
  /** Where the arrow sits, on the edge of the view. */
  at: LonLat;
  /** Rotation of an upward-pointing arrow (degrees, counter-clockwise) so it points at the real place. */
  rotate: number;
  /** Great-circle distance from each port with a corridor there (km). */
  distances: { port: Port; km: number }[];
};

export type CorridorLine = { corridor: Corridor; port: Port; inland: InlandPort; from: LonLat; to: LonLat; offMap: boolean };

export type MapModel = {
  ports: (Port & { lon: number; lat: number })[];
  areas: (PortArea & { lon: number; lat: number; port: Port | undefined })[];
  inland: (InlandPort & { lon: number; lat: number })[];
  offMap: OffMapInland[];
  bonded: (BondedZone & { lon: number; lat: number; port: Port | undefined })[];
  corridors: CorridorLine[];
};

const placed = <T extends { lat: number | null; lon: number | null }>(e: T): e is T & { lat: number; lon: number } =>
  typeof e.lat === 'number' && typeof e.lon === 'number' && Number.isFinite(e.lat) && Number.isFinite(e.lon);

export const inBox = ([lon, lat]: LonLat, [minLon, minLat, maxLon, maxLat]: BBox): boolean =>
  lon >= minLon && lon <= maxLon && lat >= minLat && lat <= maxLat;

/** Where the segment from `from` (inside the box) towards `to` (outside) leaves the box. */
export const exitPoint = (from: LonLat, to: LonLat, [minLon, minLat, maxLon, maxLat]: BBox): LonLat => {
  const dx = to[0] - from[0];
  const dy = to[1] - from[1];
  let t = 1;
  if (dx < 0) {
    t = Math.min(t, (minLon - from[0]) / dx);
  }
  if (dx > 0) {
    t = Math.min(t, (maxLon - from[0]) / dx);
  }
  if (dy < 0) {
    t = Math.min(t, (minLat - from[1]) / dy);
  }
  if (dy > 0) {
    t = Math.min(t, (maxLat - from[1]) / dy);
  }
  t = Math.max(0, t);
  return [from[0] + t * dx, from[1] + t * dy];
};

export const greatCircleKm = (a: LonLat, b: LonLat): number => {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
};

/** Rotation for ECharts' upward 'arrow' symbol to point from `from` to `to` on the map. */
export const arrowRotation = (from: LonLat, to: LonLat): number =>
  (Math.atan2(to[1] - from[1], (to[0] - from[0]) * ASPECT) * 180) / Math.PI - 90;

type Side = 'west' | 'east' | 'south' | 'north';
const sideOf = ([lon, lat]: LonLat, [minLon, minLat, maxLon, maxLat]: BBox): Side => {
  const d: [Side, number][] = [
    ['west', Math.abs(lon - minLon)],
    ['east', Math.abs(lon - maxLon)],
    ['south', Math.abs(lat - minLat)],
    ['north', Math.abs(lat - maxLat)],
  ];
  return d.reduce((best, cur) => (cur[1] < best[1] ? cur : best))[0];
};

/** Pushes arrows on one edge apart so that no two are closer than EDGE_SPACING, keeping their order. */
const spread = (points: LonLat[], inner: BBox): LonLat[] => {
  const out = points.map((p): LonLat => [p[0], p[1]]);
  for (const side of ['west', 'east', 'south', 'north'] as const) {
    const axis = side === 'west' || side === 'east' ? 1 : 0;
    const onSide = out.filter((p) => sideOf(p, inner) === side).sort((a, b) => a[axis] - b[axis]);
    for (let i = 1; i < onSide.length; i += 1) {
      const prev = onSide[i - 1];
      const cur = onSide[i];
      if (prev !== undefined && cur !== undefined && cur[axis] - prev[axis] < EDGE_SPACING) {
        cur[axis] = prev[axis] + EDGE_SPACING;
      }
    }
  }
  return out;
};

export const buildMapModel = (data: ClusterData): MapModel => {
  const ports = data.ports.filter(placed);
  const portById = new Map(data.ports.map((p) => [p.id, p]));
  const placedPortById = new Map(ports.map((p) => [p.id, p]));
  const areas = data.areas.filter(placed).map((a) => ({ ...a, port: portById.get(a.portId) }));
  const bonded = data.bondedZones.filter(placed).map((b) => ({ ...b, port: b.portId === null ? undefined : portById.get(b.portId) }));
  const inlandAll = data.inlandPorts.filter(placed);
  const inland = inlandAll.filter((i) => inBox([i.lon, i.lat], VIEW));
  const far = inlandAll.filter((i) => !inBox([i.lon, i.lat], VIEW));

  const inner: BBox = [VIEW[0] + EDGE_INSET, VIEW[1] + EDGE_INSET, VIEW[2] - EDGE_INSET, VIEW[3] - EDGE_INSET];
  const centroid = (ps: { lon: number; lat: number }[]): LonLat =>
    ps.length === 0
      ? [(VIEW[0] + VIEW[2]) / 2, (VIEW[1] + VIEW[3]) / 2]
      : [ps.reduce((s, p) => s + p.lon, 0) / ps.length, ps.reduce((s, p) => s + p.lat, 0) / ps.length];
  const corridorPortsOf = (i: InlandPort): (Port & { lon: number; lat: number })[] => {
    const ids = new Set(data.corridors.filter((c) => c.inlandPortId === i.id).map((c) => c.portId));
    return [...ids].map((id) => placedPortById.get(id)).filter((p): p is Port & { lon: number; lat: number } => p !== undefined);
  };

  const origins = far.map((i) => {
    const via = corridorPortsOf(i);
    return { via, origin: centroid(via.length > 0 ? via : ports) };
  });
  const edgePoints = spread(
    far.map((i, k) => exitPoint(origins[k]?.origin ?? centroid(ports), [i.lon, i.lat], inner)),
    inner,
  );
  const offMap: OffMapInland[] = far.map((i, k) => {
    const at = edgePoints[k] ?? [inner[0], inner[1]];
    return {
      inland: i,
      at,
      rotate: arrowRotation(at, [i.lon, i.lat]),
      distances: (origins[k]?.via ?? []).map((p) => ({ port: p, km: Math.round(greatCircleKm([p.lon, p.lat], [i.lon, i.lat])) })),
    };
  });
  const offMapById = new Map(offMap.map((o) => [o.inland.id, o]));
  const inlandById = new Map(inlandAll.map((i) => [i.id, i]));

  const corridors: CorridorLine[] = [];
  for (const c of data.corridors) {
    const port = placedPortById.get(c.portId);
    const target = inlandById.get(c.inlandPortId);
    if (port === undefined || target === undefined) {
      continue;
    }
    const off = offMapById.get(target.id);
    corridors.push({
      corridor: c,
      port,
      inland: target,
      from: [port.lon, port.lat],
      to: off === undefined ? [target.lon, target.lat] : off.at,
      offMap: off !== undefined,
    });
  }

  return { ports, areas, inland, offMap, bonded, corridors };
};

export type LabelSide = 'right' | 'left' | 'top' | 'bottom';
type Rect = { x0: number; y0: number; x1: number; y1: number };
const overlaps = (a: Rect, b: Rect): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** Rough width of a label in pixels: CJK characters are square, Latin ones about half. */
export const labelWidth = (text: string, fontSize: number): number =>
  [...text].reduce((w, ch) => w + ((ch.codePointAt(0) ?? 0) >= 0x2e80 ? fontSize : fontSize * 0.56), 0);

/**
 * A side for each label so that none covers another point's marker or an earlier label, judged at
 * `pxPerDeg` (pixels per degree of latitude; the whole-network view is the tightest the map
 * shows). Tries right, left, top, bottom in turn, west to east; when no side is free, the one that
 * covers no marker and the least of other labels.
 */
export const labelSides = (
  points: { lon: number; lat: number; label: string }[],
  opts: { pxPerDeg: number; fontSize: number; marker: number; gap: number },
): LabelSide[] => {
  const { pxPerDeg, fontSize, marker, gap } = opts;
  const r = marker / 2;
  const h = fontSize + 4;
  const px = points.map((p) => ({ x: p.lon * ASPECT * pxPerDeg, y: -p.lat * pxPerDeg, w: labelWidth(p.label, fontSize) }));
  const markers: Rect[] = px.map((p) => ({ x0: p.x - r, y0: p.y - r, x1: p.x + r, y1: p.y + r }));
  const placedLabels: Rect[] = [];
  const rectFor = (p: { x: number; y: number; w: number }, side: LabelSide): Rect => {
    switch (side) {
      case 'right':
        return { x0: p.x + r + gap, x1: p.x + r + gap + p.w, y0: p.y - h / 2, y1: p.y + h / 2 };
      case 'left':
        return { x0: p.x - r - gap - p.w, x1: p.x - r - gap, y0: p.y - h / 2, y1: p.y + h / 2 };
      case 'top':
        return { x0: p.x - p.w / 2, x1: p.x + p.w / 2, y0: p.y - r - gap - h, y1: p.y - r - gap };
      case 'bottom':
        return { x0: p.x - p.w / 2, x1: p.x + p.w / 2, y0: p.y + r + gap, y1: p.y + r + gap + h };
    }
  };
  const area = (a: Rect, b: Rect): number =>
    Math.max(0, Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0)) * Math.max(0, Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0));
  // Covering a marker costs more than any overlap of labels; among label overlaps, the smaller wins.
  const cost = (rect: Rect, i: number): number =>
    markers.filter((m, j) => j !== i && overlaps(rect, m)).length * 1e6 + placedLabels.reduce((sum, l) => sum + area(rect, l), 0);
  const order = px.map((_, i) => i).sort((a, b) => (px[a]?.x ?? 0) - (px[b]?.x ?? 0));
  const sides: LabelSide[] = points.map(() => 'right');
  for (const i of order) {
    const p = px[i];
    if (p === undefined) {
      continue;
    }
    let best: { side: LabelSide; cost: number } = { side: 'right', cost: Infinity };
    for (const side of ['right', 'left', 'top', 'bottom'] as const) {
      const c = cost(rectFor(p, side), i);
      if (c < best.cost) {
        best = { side, cost: c };
      }
    }
    sides[i] = best.side;
    placedLabels.push(rectFor(p, best.side));
  }
  return sides;
};
