import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** `../shared/data` from the repository root, as docs/router.md describes. */
export const DEFAULT_DATA_DIR = '../shared/data';

export class MissingDataError extends Error {}

/** The data folder as an absolute path; throws naming the folder when it (or a needed file) is missing. */
export function resolveDataDir(dir: string = DEFAULT_DATA_DIR, needs: readonly string[] = []): string {
  const root = resolve(dir);
  if (!existsSync(root)) throw new MissingDataError(`routing data folder not found: ${root} (pass --data <dir>; see docs/router.md)`);
  for (const file of needs) {
    if (!existsSync(join(root, file))) throw new MissingDataError(`routing data file not found: ${join(root, file)} (see docs/router.md)`);
  }
  return root;
}

export function readJsonl<T>(root: string, file: string): T[] {
  const path = join(root, file);
  if (!existsSync(path)) throw new MissingDataError(`routing data file not found: ${path} (see docs/router.md)`);
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}
