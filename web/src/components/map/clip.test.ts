import { describe, expect, it } from 'vitest';
import { clipMultiPolygon, clipPolygon, clipRing, roundRing, signedArea2, simplifyRing, type BBox, type Ring } from './clip.ts';

const box: BBox = [0, 0, 10, 10];

/** The same ring whichever point it starts from: rotate so the smallest point comes first. */
const canonical = (ring: Ring | null): string[] => {
  if (ring === null) {
    return [];
  }
  const pts = ring.slice(0, -1).map(([x, y]) => `${x},${y}`);
  const start = pts.indexOf([...pts].sort()[0] ?? '');
  return [...pts.slice(start), ...pts.slice(0, start)];
};

describe('clipRing (Sutherland–Hodgman against a box)', () => {
  it('cuts a square overlapping the corner of the box down to the overlap', () => {
    const square: Ring = [
      [5, 5],
      [15, 5],
      [15, 15],
      [5, 15],
      [5, 5],
    ];
    const out = clipRing(square, box);
    expect(canonical(out)).toEqual(['10,10', '5,10', '5,5', '10,5']);
    expect(out?.[0]).toEqual(out?.[out.length - 1]);
    expect(Math.abs(signedArea2(out ?? []))).toBe(2 * 25);
  });

  it('keeps a ring wholly inside as it is', () => {
    const inner: Ring = [
      [1, 1],
      [2, 1],
      [2, 2],
      [1, 1],
    ];
    expect(clipRing(inner, box)).toEqual(inner);
  });

  it('drops a ring wholly outside', () => {
    const outside: Ring = [
      [20, 20],
      [30, 20],
      [30, 30],
      [20, 30],
      [20, 20],
    ];
    expect(clipRing(outside, box)).toBeNull();
  });

  it('drops a ring that only touches the box along an edge (no area inside)', () => {
    const touching: Ring = [
      [10, 2],
      [12, 2],
      [12, 4],
      [10, 4],
      [10, 2],
    ];
    expect(clipRing(touching, box)).toBeNull();
  });

  it('turns a ring that surrounds the box into the box itself', () => {
    const around: Ring = [
      [-5, -5],
      [20, -5],
      [20, 20],
      [-5, 20],
      [-5, -5],
    ];
    expect(canonical(clipRing(around, box))).toEqual(['0,0', '10,0', '10,10', '0,10']);
  });

  it('interpolates where a slanted edge crosses the box', () => {
    const triangle: Ring = [
      [5, 5],
      [15, 5],
      [5, 15],
      [5, 5],
    ];
    // The hypotenuse x + y = 20 meets x = 10 at y = 10, so the corner (10, 10) is the only new point.
    expect(canonical(clipRing(triangle, box))).toEqual(['10,10', '5,10', '5,5', '10,5']);
  });
});

describe('clipPolygon / clipMultiPolygon', () => {
  const outer: Ring = [
    [-5, -5],
    [5, -5],
    [5, 5],
    [-5, 5],
    [-5, -5],
  ];
  const holeInside: Ring = [
    [1, 1],
    [1, 2],
    [2, 2],
    [1, 1],
  ];
  const holeOutside: Ring = [
    [-3, -3],
    [-3, -2],
    [-2, -2],
    [-3, -3],
  ];

  it('keeps holes that are still inside and drops the rest', () => {
    const out = clipPolygon([outer, holeInside, holeOutside], box);
    expect(out).toHaveLength(2);
    expect(canonical(out?.[0] ?? null)).toEqual(['0,0', '5,0', '5,5', '0,5']);
    expect(out?.[1]).toEqual(holeInside);
  });

  it('drops polygons outside the box from a multipolygon', () => {
    const far: Ring = [
      [50, 50],
      [60, 50],
      [60, 60],
      [50, 50],
    ];
    expect(clipMultiPolygon([[outer], [far]], box)).toHaveLength(1);
    expect(clipMultiPolygon([[far]], box)).toEqual([]);
  });
});

describe('roundRing', () => {
  it('rounds to the given decimals and removes points that became the same', () => {
    const ring: Ring = [
      [0.00011, 0.00012],
      [1.00049, 0.0001],
      [1.0004, 0.00014],
      [1, 1],
      [0.00011, 0.00012],
    ];
    expect(roundRing(ring, 3)).toEqual([
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 0],
    ]);
  });

  it('drops a ring that collapses to a line or a point', () => {
    expect(
      roundRing(
        [
          [0.0001, 0],
          [0.0002, 0],
          [0.0003, 0.0001],
          [0.0001, 0],
        ],
        3,
      ),
    ).toBeNull();
  });
});

describe('simplifyRing (Douglas–Peucker)', () => {
  it('drops points closer than epsilon to the outline and keeps the corners', () => {
    const wobbly: Ring = [
      [0, 0],
      [5, 0.001],
      [10, 0],
      [10, 10],
      [5, 10.002],
      [0, 10],
      [0, 0],
    ];
    expect(simplifyRing(wobbly, 0.01)).toEqual([
      [0, 0],
      [10, 0],
      [10, 10],
      [0, 10],
      [0, 0],
    ]);
  });

  it('keeps a point further than epsilon from the outline', () => {
    const notched: Ring = [
      [0, 0],
      [5, 1],
      [10, 0],
      [10, 10],
      [0, 10],
      [0, 0],
    ];
    expect(simplifyRing(notched, 0.5)).toEqual(notched);
  });

  it('drops a sliver that simplifies to nothing', () => {
    expect(
      simplifyRing(
        [
          [0, 0],
          [1, 0.0001],
          [2, 0],
          [1, -0.0001],
          [0, 0],
        ],
        0.01,
      ),
    ).toBeNull();
  });
});
