import { describe, expect, it } from 'vitest';
import { arrowRotation, buildMapModel, exitPoint, greatCircleKm, inBox, labelSides, labelWidth, VIEW } from './map-model.ts';
import type { Corridor, InlandPort, Port } from './registry-data.ts';

const v = { validFrom: '2000-01-01', validTo: null };
const port = (id: string, locode: string, lon: number | null, lat: number | null): Port => ({
  ...v,
  id,
  locode,
  nameZh: locode,
  nameEn: locode,
  kind: 'seaport',
  province: 'Shandong',
  lon,
  lat,
  customsCode: '4200',
});
const inland = (id: string, lon: number, lat: number): InlandPort => ({
  ...v,
  id,
  code: id,
  nameZh: id,
  nameEn: id,
  province: 'X',
  locode: null,
  lon,
  lat,
  customsCode: '9000',
});
const corridor = (id: string, portId: string, inlandPortId: string): Corridor => ({
  ...v,
  id,
  code: id,
  nameZh: id,
  nameEn: id,
  mode: 'sea-rail',
  portId,
  inlandPortId,
});

describe('exitPoint', () => {
  it('finds where a segment leaves the box', () => {
    expect(exitPoint([5, 5], [-5, 5], [0, 0, 10, 10])).toEqual([0, 5]);
    expect(exitPoint([5, 5], [15, 15], [0, 0, 10, 10])).toEqual([10, 10]);
    expect(exitPoint([2, 2], [2, 20], [0, 0, 10, 10])).toEqual([2, 10]);
  });
});

describe('arrowRotation', () => {
  it('turns the upward arrow to point west, east or north', () => {
    expect(arrowRotation([0, 0], [-1, 0])).toBeCloseTo(90);
    expect(arrowRotation([0, 0], [1, 0])).toBeCloseTo(-90);
    expect(arrowRotation([0, 0], [0, 1])).toBeCloseTo(0);
  });
});

describe('greatCircleKm', () => {
  it('measures Qingdao to Urumqi at roughly 2,900 km', () => {
    expect(greatCircleKm([120.2167, 36.05], [87.6, 43.75])).toBeGreaterThan(2800);
    expect(greatCircleKm([120.2167, 36.05], [87.6, 43.75])).toBeLessThan(3000);
  });
});

describe('buildMapModel', () => {
  const qingdao = port('p1', 'CNTAO', 120.2167, 36.05);
  const rizhao = port('p2', 'CNRZH', 119.5333, 35.3833);
  const nowhere = port('p3', 'CNXXX', null, null);
  const xian = inland('i1', 108.95, 34.2833);
  const urumqi = inland('i2', 87.6, 43.75);
  const lanzhou = inland('i3', 103.85, 36.0667);
  const xining = inland('i4', 101.8, 36.6333);
  const model = buildMapModel({
    ports: [qingdao, rizhao, nowhere],
    areas: [],
    bondedZones: [],
    inlandPorts: [xian, urumqi, lanzhou, xining],
    corridors: [
      corridor('c1', 'p1', 'i1'),
      corridor('c2', 'p1', 'i2'),
      corridor('c3', 'p2', 'i1'),
      corridor('c4', 'p1', 'i3'),
      corridor('c5', 'p1', 'i4'),
    ],
  });

  it('places the ports that have coordinates, and only those', () => {
    expect(model.ports.map((p) => p.locode)).toEqual(['CNTAO', 'CNRZH']);
  });

  it("keeps Xi'an on the map and puts the far west on its edge", () => {
    expect(inBox([108.95, 34.2833], VIEW)).toBe(true);
    expect(model.inland.map((i) => i.id)).toEqual(['i1']);
    expect(model.offMap.map((o) => o.inland.id)).toEqual(['i2', 'i3', 'i4']);
    for (const o of model.offMap) {
      expect(inBox(o.at, VIEW)).toBe(true);
      expect(o.at[0]).toBeLessThan(VIEW[0] + 1);
    }
  });

  it('keeps arrows on one edge apart', () => {
    const lats = model.offMap.map((o) => o.at[1]).sort((a, b) => a - b);
    for (let i = 1; i < lats.length; i += 1) {
      expect((lats[i] ?? 0) - (lats[i - 1] ?? 0)).toBeGreaterThanOrEqual(0.5);
    }
  });

  it('draws corridors from the port to the inland port, or to its arrow', () => {
    const byId = new Map(model.corridors.map((c) => [c.corridor.id, c]));
    expect(byId.get('c1')).toMatchObject({ from: [120.2167, 36.05], to: [108.95, 34.2833], offMap: false });
    expect(byId.get('c2')?.offMap).toBe(true);
    expect(byId.get('c2')?.to).toEqual(model.offMap.find((o) => o.inland.id === 'i2')?.at);
    expect(model.offMap.find((o) => o.inland.id === 'i2')?.distances.map((d) => d.port.locode)).toEqual(['CNTAO']);
  });
});

describe('labelSides', () => {
  const opts = { pxPerDeg: 45, fontSize: 14, marker: 15, gap: 7 };

  it('keeps labels on the right when there is room', () => {
    expect(
      labelSides(
        [
          { lon: 120.2, lat: 36.05, label: '青岛港' },
          { lon: 119.53, lat: 35.38, label: '日照港' },
        ],
        opts,
      ),
    ).toEqual(['right', 'right']);
  });

  it('moves labels off neighbouring markers (Longkou, Yantai, Weihai)', () => {
    const sides = labelSides(
      [
        { lon: 120.35, lat: 37.65, label: '龙口港' },
        { lon: 121.4167, lat: 37.55, label: '烟台港' },
        { lon: 122.1667, lat: 37.5, label: '威海港' },
      ],
      opts,
    );
    expect(sides[0]).toBe('left');
    expect(sides[1]).not.toBe('right');
    expect(sides[2]).toBe('right');
  });

  it('never puts a label over a marker when another side only grazes a label (all seven ports, English)', () => {
    const ports: [string, number, number][] = [
      ['Qingdao', 120.2167, 36.05],
      ['Rizhao', 119.5333, 35.3833],
      ['Yantai', 121.4167, 37.55],
      ['Weihai', 122.1667, 37.5],
      ['Longkou', 120.35, 37.65],
      ['Dongying', 118.6833, 37.4167],
      ['Weifang', 119.1, 36.7167],
    ];
    const sides = labelSides(
      ports.map(([label, lon, lat]) => ({ label, lon, lat })),
      opts,
    );
    expect(sides[2]).toBe('bottom');
    expect(sides[3]).not.toBe('left');
  });

  it('measures CJK labels wider than Latin ones', () => {
    expect(labelWidth('烟台港', 14)).toBe(42);
    expect(labelWidth('Yantai', 14)).toBeCloseTo(47.04);
  });
});
