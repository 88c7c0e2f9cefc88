import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Screenshots, downloads and the server log of the last run (git-ignored). */
export const ARTIFACTS = path.join(ROOT, 'e2e-artifacts');
/** The built UI the server under test serves (src/http/web.routes.ts). */
export const WEB_INDEX = path.join(ROOT, 'web', 'dist', 'index.html');
