import { open } from 'node:fs/promises';

/**
 * Writes `data` to the new file `path` (which must not exist) and flushes it to the disk before
 * resolving, so that a rename after it cannot publish an empty or torn file.
 */
export async function writeDurable(path: string, data: string | Uint8Array): Promise<void> {
  const file = await open(path, 'wx');
  try {
    await file.writeFile(data);
    await file.datasync();
  } finally {
    await file.close();
  }
}

/**
 * Flushes the folder's entries (the renames into it) to the disk. Where folders cannot be opened
 * or flushed (Windows, some network file systems) this does nothing.
 */
export async function syncFolder(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Not supported here: the renames still happened, only their durability is the OS's.
  } finally {
    await handle?.close().catch(() => {});
  }
}
