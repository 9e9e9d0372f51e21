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
  /**
   * Said once (through `warn`) when this candidate is taken without being asked for: a fallback
   * so slow that the user must hear of it, and how to get a better one.
   */
  warning?: string;
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
  /**
   * The one id to use: initBackend throws, saying why, if it cannot run. In Node the
   * `CNNLAB_BACKEND` variable does the same and wins over this.
   */
  force?: string;
  /** Who asked for `prefer` or `force`, for the reason line (e.g. '--backend'). */
  askedBy?: string;
  /** Print the choice once per process with this function (e.g. console.log). */
  log?: (line: string) => void;
  /** Where a candidate's `warning` goes (default console.warn), once per process. */
  warn?: (line: string) => void;
}

let logged = false;
let warned = false;

/** Turns any thrown value into the one-line reason reported for a candidate. */
export function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].trim();
}

/**
 * Tries the candidates in order (those named by `prefer` first) and activates the first that
 * works. A forced one (`CNNLAB_BACKEND`, passed here as `fromEnv`, or `options.force`) is the
 * only one tried: if it fails, this throws saying why.
 */
export async function chooseBackend(
  candidates: readonly Candidate[],
  options: InitBackendOptions,
  fromEnv: string | undefined,
): Promise<BackendChoice> {
  const known = candidates.map((c) => c.id);
  const forced = fromEnv ?? options.force;
  // Who asked, as the reason line and the errors say it.
  const forcedBy = fromEnv
    ? `CNNLAB_BACKEND=${fromEnv}`
    : (options.askedBy ?? `force: ${JSON.stringify(options.force)}`);
  const wanted = forced
    ? [forced]
    : typeof options.prefer === 'string'
      ? [options.prefer]
      : [...(options.prefer ?? [])];
  for (const id of wanted) {
    if (!known.includes(id)) {
      const source = forced ? forcedBy : (options.askedBy ?? `prefer: ${JSON.stringify(id)}`);
      throw new BackendError(
        `${source} names an unknown backend '${id}'; expected one of ${known.join(', ')}`,
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
      const asked = wanted.includes(candidate.id);
      const why = forced
        ? `forced by ${forcedBy}`
        : asked
          ? `preferred by ${options.askedBy ?? 'prefer'}`
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
      if (candidate.warning && !asked && !warned) {
        warned = true;
        (options.warn ?? console.warn)(`${candidate.warning} (${why})`);
      }
      return choice;
    } catch (error) {
      tried.push({ id: candidate.id, ok: false, reason: reasonOf(error) });
    }
  }
  const summary = tried.map((t) => `${t.id}: ${t.reason}`).join('; ');
  throw new BackendError(
    forced
      ? `${forcedBy} could not be used: ${summary}`
      : `no backend could be initialised: ${summary}`,
  );
}
