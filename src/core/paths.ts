import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's root folder, found by walking up to our package.json, so data files resolve the
 * same from src/ (tests, tsx) and from the bundle in dist/.
 */
const findRoot = (): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'portcluster') {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error('cannot find the portcluster package root');
    }
    dir = parent;
  }
};

export const PROJECT_ROOT = findRoot();
