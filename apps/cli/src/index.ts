export { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './errors.js';
export { buildProgram, main } from './program.js';
