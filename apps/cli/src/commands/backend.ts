import { initBackend } from '@cnnlab/backend';
import { Option } from 'commander';
import { examples, type Register } from '../command.js';
import { CliError } from '../errors.js';
import { BACKENDS, backendOption } from '../options.js';
import type { Output } from '../output.js';

export const registerBackend: Register = (parent, run) =>
  parent
    .command('backend')
    .description('which tfjs backend initBackend chooses here, and why')
    .addOption(new Option('--prefer <id>', 'try this one first').choices(BACKENDS))
    .addOption(backendOption('this one or an error saying why'))
    .addHelpText(
      'after',
      examples(['cnnlab backend', 'cnnlab backend --prefer wasm', 'cnnlab backend --json']),
    )
    .action(async (opts, cmd) => {
      await run((out) => backendCommand({ prefer: opts.prefer, force: opts.backend }, out), cmd);
    });

export async function backendCommand(
  options: { prefer?: string; force?: string },
  out: Output,
): Promise<void> {
  let choice: Awaited<ReturnType<typeof initBackend>>;
  try {
    choice = await initBackend(
      options.force
        ? { force: options.force, askedBy: `--backend ${options.force}` }
        : options.prefer
          ? { prefer: options.prefer, askedBy: `--prefer ${options.prefer}` }
          : {},
    );
  } catch (error) {
    throw new CliError(`backend ${options.force}: ${(error as Error).message}`, { cause: error });
  }
  const lines = [
    `chosen: ${choice.id} (tfjs backend '${choice.backend}')`,
    `why: ${choice.reason}`,
    'tried:',
    ...choice.tried.map((t) => `  ${t.ok ? '✓' : '✗'} ${t.id}: ${t.reason}`),
  ];
  out.result(choice, lines.join('\n'));
}
