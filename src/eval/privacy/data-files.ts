import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Thrown when a data folder the evaluation needs is absent; the message names it. */
export class MissingDataError extends Error {}

export function requireFolder(dataDir: string, folder: string): string {
  const path = join(dataDir, folder);
  if (!existsSync(path)) {
    throw new MissingDataError(`The privacy evaluation needs the data folder ${path} (${folder}); pass --data <dir> pointing at ../shared/data.`);
  }
  return path;
}

export function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}
