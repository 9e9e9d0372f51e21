import * as tf from '@tensorflow/tfjs-core';
import { BackendError } from './errors.js';

/** One backend initBackend can try: how to make it available, and the tfjs name it registers. */
export interface Candidate {
  /** The name `CNNLAB_BACKEND` and `prefer` use. */
  id: string;
  /** The tfjs backend name it registers. */
  backend: string;
  /** Makes the backend available; resolves to a line describing it, throws with the reason why not. */
  prepare: () => Promise<string>;
}

/** What was tried and why it was or was not taken. */
export interface Attempt {
  id: string;
  ok: boolean;
  reason: string;
}

/** The backend initBackend chose, and why. */
export interface BackendChoice {
  /** The id of the chosen candidate (`native`, `wasm`, `cpu`, …). */
  id: string;
  /** The tfjs backend name now active (`tf.getBackend()`). */
  backend: string;
  /** One line for people: what runs and why it was chosen. */
  reason: string;
  /** Every candidate looked at, in order. */
  tried: Attempt[];
}

export interface InitBackendOptions {
  /** Ids to try first, in order (e.g. 'wasm', or ['native', 'cpu']). */
  prefer?: string | readonly string[];
  /** Print the choice once per process with this function (e.g. console.log). */
  log?: (line: string) => void;
}

let logged = false;

/** Turns any thrown value into the one-line reason reported for a candidate. */
export function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].trim();
}

/**
 * Tries the candidates in order (those named by `CNNLAB_BACKEND` or `prefer` first) and activates
 * the first that works. `CNNLAB_BACKEND` forces one: if it fails, initBackend throws saying why.
 */
export async function chooseBackend(
  candidates: readonly Candidate[],
  options: InitBackendOptions,
  forced: string | undefined,
): Promise<BackendChoice> {
  const known = candidates.map((c) => c.id);
  const wanted = forced
    ? [forced]
    : typeof options.prefer === 'string'
      ? [options.prefer]
      : [...(options.prefer ?? [])];
  for (const id of wanted) {
    if (!known.includes(id)) {
      const source = forced ? `CNNLAB_BACKEND=${forced}` : `prefer: ${JSON.stringify(id)}`;
      throw new BackendError(
        `${source} names an unknown backend; expected one of ${known.join(', ')}`,
      );
    }
  }
  const order = forced
    ? candidates.filter((c) => c.id === forced)
    : [
        ...wanted.map((id) => candidates.find((c) => c.id === id) as Candidate),
        ...candidates.filter((c) => !wanted.includes(c.id)),
      ];
  const tried: Attempt[] = [];
  for (const candidate of order) {
    try {
      const description = await candidate.prepare();
      if (!(await tf.setBackend(candidate.backend))) {
        throw new BackendError(`tf.setBackend('${candidate.backend}') failed`);
      }
      await tf.ready();
      tried.push({ id: candidate.id, ok: true, reason: description });
      const skipped = tried.filter((t) => !t.ok).map((t) => `${t.id}: ${t.reason}`);
      const why = forced
        ? 'forced by CNNLAB_BACKEND'
        : skipped.length === 0
          ? 'first choice'
          : `skipped ${skipped.join('; ')}`;
      const choice = {
        id: candidate.id,
        backend: candidate.backend,
        reason: `${description} (${why})`,
        tried,
      };
      if (options.log && !logged) {
        logged = true;
        options.log(`backend: ${choice.id} — ${choice.reason}`);
      }
      return choice;
    } catch (error) {
      tried.push({ id: candidate.id, ok: false, reason: reasonOf(error) });
    }
  }
  const summary = tried.map((t) => `${t.id}: ${t.reason}`).join('; ');
  throw new BackendError(
    forced
      ? `CNNLAB_BACKEND=${forced} could not be used: ${summary}`
      : `no backend could be initialised: ${summary}`,
  );
}
