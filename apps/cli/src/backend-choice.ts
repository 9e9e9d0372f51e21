import { type BackendChoice, initBackend } from '@cnnlab/backend';
import { CliError } from './errors.js';
import type { Output } from './output.js';

let chosen: BackendChoice | undefined;

/**
 * The backend for this run, chosen by initBackend alone (`--backend` reaches it as `force`), once
 * and before any model exists, so that weights live there from the start.
 */
export async function prepareBackend(out: Output, force?: string): Promise<BackendChoice> {
  if (!chosen) {
    try {
      chosen = await initBackend(force ? { force, askedBy: `--backend ${force}` } : {});
    } catch (error) {
      throw new CliError(`backend ${force ?? 'auto'}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    out.info(`backend: ${chosen.id}`);
  }
  return chosen;
}
