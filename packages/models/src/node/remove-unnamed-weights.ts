import { lstat, readdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { folderKey } from './confine.js';
import { isSavedWeightsName } from './folder-layout.js';
import { namedWeightFiles } from './read-model-json.js';

/**
 * Removes the weights files of the folder that the model.json now at `jsonPath` does not name:
 * those `earlier` lists (what the model.json replaced named) and any file under a save's weights
 * name. Nothing is removed while that model.json cannot be read, nothing outside the folder, and
 * no file with a second link: a save in progress keeps one on its new weights until it commits.
 */
export async function removeUnnamedWeights(
  jsonPath: string,
  earlier: ReadonlySet<string> = new Set(),
): Promise<void> {
  const dir = dirname(jsonPath);
  const named = await namedWeightFiles(jsonPath);
  if (named === undefined) return;
  const entries = await readdir(dir).catch(() => [] as string[]);
  const candidates = new Set([
    ...earlier,
    ...entries.filter((name) => isSavedWeightsName(basename(jsonPath), name)),
  ]);
  for (const key of candidates) {
    if (named.has(folderKey(key))) continue;
    const path = join(dir, key);
    const stats = await lstat(path).catch(() => undefined);
    if (!stats || !(stats.isFile() || stats.isSymbolicLink())) continue;
    if (stats.isFile() && stats.nlink > 1) continue;
    await unlink(path).catch(() => {});
  }
}
