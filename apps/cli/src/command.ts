import type { Command } from 'commander';
import type { Interrupt } from './interrupt.js';
import type { Output } from './output.js';

/** A command's work: it writes through `out` and may be stopped through `interrupt`. */
export type Work = (out: Output, interrupt: Interrupt) => Promise<unknown>;

/** Runs a command's work with the global flags applied, so that main reports errors once. */
export type Run = (work: Work, cmd: Command) => Promise<void>;

/**
 * One CLI command: it adds itself to `parent` with its options, help and action (its options are
 * declared beside the code that reads them), and hands its work to `run`.
 */
export type Register = (parent: Command, run: Run) => Command;

/** The "Examples:" block every command's help ends with. */
export function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}
