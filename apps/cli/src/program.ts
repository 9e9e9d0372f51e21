import * as tf from '@tensorflow/tfjs-core';
import { Command, CommanderError } from 'commander';
import { examples, type Run } from './command.js';
import { COMMANDS } from './commands/index.js';
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './errors.js';
import { InterruptedError, watchSignals } from './interrupt.js';
import { makeOutput } from './output.js';

const EXIT_HELP = `
Exit codes: 0 ok, 1 failure (bad data, model or file), 2 usage error (unknown command, flag or value).`;

/**
 * The command tree: the global flags here, each command's own options in its file under
 * commands/. `run` receives each command's work so that main reports errors once.
 */
export function buildProgram(run: Run): Command {
  const program = new Command('cnnlab')
    .description('The Keras workshop on convolutional networks, from the command line.')
    .version('0.0.0')
    .option('--json', 'machine-readable output on stdout (people\u2019s lines go to stderr)')
    .option('-q, --quiet', 'no progress or status lines')
    .option('--verbose', 'show the stack of an error')
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      examples([
        'cnnlab workshop --quick --out report',
        'cnnlab train --model cnn --epochs 2 --out models/cnn',
        'cnnlab predict --model-dir models/cnn digit.png',
      ]) + EXIT_HELP,
    );
  for (const register of COMMANDS) register(program, run);
  return program;
}

/** Runs the CLI on `argv` (without node and the script) and resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  let verbose = argv.includes('--verbose');
  // tfjs's own notices (its tfjs-node advert on the cpu backend) are status lines too.
  if (argv.includes('--quiet') || argv.includes('-q')) tf.env().set('PROD', true);
  let code = EXIT_OK;
  const report = (thrown: unknown) => {
    // Whatever a signal made fail (an aborted download, say) is reported as the interruption.
    const error =
      interrupt.caught && !(thrown instanceof InterruptedError)
        ? new InterruptedError(interrupt.caught)
        : thrown;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`cnnlab: ${message.split('\n')[0]}\n`);
    if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    code = error instanceof CliError ? error.exitCode : EXIT_FAILURE;
  };
  const interrupt = watchSignals();
  const program = buildProgram(async (work, cmd) => {
    const opts = cmd.optsWithGlobals();
    verbose = Boolean(opts.verbose);
    await work(makeOutput(opts), interrupt);
  });
  program.exitOverride();
  // Commander's own errors become our one line; help and version go to stdout as usual.
  program.configureOutput({ outputError: () => {} });
  const quietErrors = (command: Command) => {
    command.exitOverride();
    command.configureOutput({ outputError: () => {} });
    command.commands.forEach(quietErrors);
  };
  quietErrors(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.exitCode === 0 ||
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version'
      ) {
        return EXIT_OK;
      }
      if (error.code === 'commander.help') return EXIT_USAGE;
      process.stderr.write(`cnnlab: ${error.message.replace(/^error: /, '')}\n`);
      return EXIT_USAGE;
    }
    report(error);
  } finally {
    interrupt.dispose();
  }
  return code;
}
