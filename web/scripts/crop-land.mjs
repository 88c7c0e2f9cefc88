#!/usr/bin/env node
/**
 * Produces web/src/components/map/cluster-land.geo.json, the land outline under the cluster map:
 * Natural Earth 1:10m land (public domain) from the world-atlas package, cropped to the Shandong /
 * Bohai / Yellow Sea region plus a margin, coordinates rounded. Run it again after upgrading
 * world-atlas or changing the box:
 *
 *   node web/scripts/crop-land.mjs            (writes the file)
 *   node web/scripts/crop-land.mjs --check    (fails if the committed file differs)
 *
 * The clipping itself is web/src/components/map/clip.ts (unit-tested there); tsx loads it here.
 * Type-checked as JavaScript (web/scripts/tsconfig.json, `npx tsc -p web/scripts`).
 */
import console from 'node:console';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';
import { feature } from 'topojson-client';
import { tsImport } from 'tsx/esm/api';

/** @typedef {import('../src/components/map/clip.ts').Ring} Ring */
/** @typedef {import('../src/components/map/clip.ts').BBox} BBox */
/** @typedef {import('topojson-specification').Topology<{ land: import('topojson-specification').GeometryCollection }>} LandTopology */

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
/** @type {unknown} */
const clipModule = await tsImport('../src/components/map/clip.ts', import.meta.url);
const { clipMultiPolygon, roundRing, signedArea2, simplifyRing } = /** @type {typeof import('../src/components/map/clip.ts')} */ (
  clipModule
);

/**
 * [minLon, minLat, maxLon, maxLat]. Wider than the map's view (map-view.ts) so that the land
 * still reaches the edge of the canvas when the map is wider or taller than the view box, or is
 * panned a little; any wider only costs bytes.
 * @type {BBox}
 */
const CROP = [103, 30, 130, 45];
/** ~100 m at this latitude: plenty for a map showing 2,000 km across. */
const DIGITS = 3;
/**
 * Douglas–Peucker tolerance in degrees (~500 m): under a pixel at the map's closest zoom. It halves
 * the points, which matters because Prettier (npm run check) lays the file out one point a line.
 */
const EPSILON = 0.005;
/** Islets smaller than this (square degrees, ~1.5 km² here) are left out; specks at any zoom we allow. */
const MIN_AREA = 0.00015;

/** @type {(file: string) => unknown} */
const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

const atlasDir = path.dirname(require.resolve('world-atlas/package.json'));
const atlasVersion = /** @type {{ version: string }} */ (readJson(path.join(atlasDir, 'package.json'))).version;
const topology = /** @type {LandTopology} */ (readJson(path.join(atlasDir, 'land-10m.json')));
const land = feature(topology, topology.objects.land);

/** @type {(g: import('geojson').Geometry | null) => Ring[][]} */
const polygonsOf = (g) =>
  g === null
    ? []
    : g.type === 'Polygon'
      ? [/** @type {Ring[]} */ (g.coordinates)]
      : g.type === 'MultiPolygon'
        ? /** @type {Ring[][]} */ (g.coordinates)
        : [];

const clipped = clipMultiPolygon(
  land.features.flatMap((f) => polygonsOf(f.geometry)),
  CROP,
);

/** @type {(ring: Ring | null) => ring is Ring} */
const bigEnough = (ring) => ring !== null && Math.abs(signedArea2(ring)) / 2 >= MIN_AREA;

let dropped = 0;
/** @type {Ring[][]} */
const polygons = [];
for (const rings of clipped) {
  const [outer, ...holes] = rings.map((r) => {
    const simple = simplifyRing(r, EPSILON);
    return simple === null ? null : roundRing(simple, DIGITS);
  });
  if (outer === undefined || !bigEnough(outer)) {
    dropped += 1;
    continue;
  }
  polygons.push([outer, ...holes.filter(bigEnough)]);
}

const out = {
  type: 'FeatureCollection',
  // Not GeoJSON members; ECharts ignores them. They say where this came from.
  source: `Natural Earth 1:10m land via world-atlas@${atlasVersion} (land-10m.json), public domain`,
  bbox: CROP,
  features: [{ type: 'Feature', properties: { name: 'land' }, geometry: { type: 'MultiPolygon', coordinates: polygons } }],
};
const target = path.join(here, '..', 'src', 'components', 'map', 'cluster-land.geo.json');
// Laid out as Prettier would, so `prettier --check` passes on the committed file.
const text = await prettier.format(JSON.stringify(out), { ...(await prettier.resolveConfig(target)), filepath: target });

if (process.argv.includes('--check')) {
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  if (current !== text) {
    console.error(`${path.relative(process.cwd(), target)} is out of date; run node web/scripts/crop-land.mjs`);
    process.exit(1);
  }
  console.log('cluster-land.geo.json is up to date');
} else {
  fs.writeFileSync(target, text);
  const points = polygons.flat().reduce((n, r) => n + r.length, 0);
  console.log(
    `wrote ${path.relative(process.cwd(), target)}: ${polygons.length} polygons (${dropped} islets dropped), ${points} points, ${(text.length / 1024).toFixed(1)} KB`,
  );
}
