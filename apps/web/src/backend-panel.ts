/** The backend initBackend chose, why, and whether wasm runs threaded: shown on both pages. */
import type { BackendChoice } from '@cnnlab/backend';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { byId } from './canvas';

/** The choice plus what decides wasm's speed here. */
export interface BackendFacts {
  choice: BackendChoice;
  /** The `?backend=` the address asked for, if any. */
  asked: AskedBackend;
  /** globalThis.crossOriginIsolated: only an isolated page gets wasm threads. */
  isolated: boolean;
  /** wasm only: tfjs-backend-wasm loaded its threaded SIMD build (isolated page, SIMD, threads). */
  threadedBuild: boolean | undefined;
  /** wasm only: the threads XNNPACK runs on; tfjs takes half the logical cores, at least 1, at most 8. */
  threads: number | undefined;
}

/** The `?backend=` in the address: `id` when it names one of `known`, else `unknown`. */
export interface AskedBackend {
  id?: string;
  unknown?: string;
  known: readonly string[];
}

/** Reads `?backend=`: tried first, not forced (initBackend's `prefer`); an unknown name is ignored. */
export function askedBackend(known: readonly string[]): AskedBackend {
  const name = new URLSearchParams(location.search).get('backend')?.trim();
  if (!name) return { known };
  return known.includes(name) ? { id: name, known } : { unknown: name, known };
}

/** Call after initBackend: the wasm thread count exists once its backend has initialised. */
export async function backendFacts(
  choice: BackendChoice,
  asked: AskedBackend,
): Promise<BackendFacts> {
  const wasm = choice.backend === 'wasm';
  // The flags tfjs-backend-wasm itself read to pick its binary (evaluated and cached by then).
  const threadedBuild = wasm
    ? Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) &&
      Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'))
    : undefined;
  return {
    choice,
    asked,
    isolated: globalThis.crossOriginIsolated === true,
    threadedBuild,
    threads: wasm ? getThreadsCount() : undefined,
  };
}

/** What follows the backend's id in the summary: whether wasm is threaded, and why. */
export function backendDetails({ isolated, threadedBuild, threads }: BackendFacts): string {
  const page = isolated
    ? 'the page is cross-origin isolated'
    : 'the page is not cross-origin isolated';
  if (threads === undefined) return `; ${page}`;
  const cores = navigator.hardwareConcurrency;
  if (threadedBuild && threads > 1) {
    return `, threaded: ${threads} threads on ${cores} logical cores; ${page}`;
  }
  if (threadedBuild) {
    // tfjs-backend-wasm takes half the logical cores, counting two hyperthreads to a core.
    const why = cores > 1 ? ` (tfjs uses half of the ${cores} logical cores)` : '';
    return `, threaded build on ${threads} thread${why}; ${page}`;
  }
  return isolated
    ? `, single-threaded: this browser gives wasm no threads, though ${page}`
    : `, single-threaded: ${page}, so wasm gets no threads`;
}

/** One line for people: what runs, and whether wasm is threaded. */
export function backendSummary(facts: BackendFacts): string {
  return `${facts.choice.id}${backendDetails(facts)}`;
}

/** Fills the panel (#backend-id, #backend-summary, #backend-reason, #backend-tried), tags <body>. */
export function showBackend(facts: BackendFacts): void {
  const { choice, asked } = facts;
  byId('backend-id').textContent = choice.id;
  byId('backend-summary').textContent = backendDetails(facts);
  let why = choice.reason;
  if (asked.id && asked.id !== choice.id) {
    // The refusal itself is in the reason and in the list below.
    why = `?backend=${asked.id} was tried first and not taken. ${why}`;
  } else if (asked.unknown) {
    why = `?backend=${asked.unknown} names no backend here (expected one of ${asked.known.join(', ')}), so it was ignored. ${why}`;
  }
  byId('backend-reason').textContent = `Why: ${why}`;
  const list = byId<HTMLUListElement>('backend-tried');
  list.replaceChildren(
    ...choice.tried.map((attempt) => {
      const item = document.createElement('li');
      item.textContent = `${attempt.ok ? '✓' : '✗'} ${attempt.id}: ${attempt.reason}`;
      item.className = attempt.ok ? 'ok' : 'refused';
      return item;
    }),
  );
  const { dataset } = document.body;
  dataset.backend = choice.id;
  dataset.isolated = String(facts.isolated);
  if (facts.threads !== undefined) dataset.threads = String(facts.threads);
  if (facts.threadedBuild !== undefined) dataset.threadedBuild = String(facts.threadedBuild);
}
