import { CommanderError } from 'commander';
import { describeCliError } from './io';
import type { CliOutput } from './output';
import { processOutput } from './output';
import { buildProgram } from './program';

/**
 * Runs one CLI invocation and returns its exit code: 0 ok / no changes, 2 the plan has changes, 1 error.
 * Parsing, help and usage errors are commander's (shared/cli/program.ts); a command's own failure is printed as
 * one `Error: …` line with its exit code (CliError, PolicyError), never a stack trace.
 */
export async function runCli(argv: readonly string[], io: CliOutput = processOutput()): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  if (argv.length === 0) {
    io.out(program.helpInformation());
    return 0;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    // Commander has printed its one line already (help and --version end here too, with exit code 0).
    if (error instanceof CommanderError) return error.exitCode;
    const { message, exitCode } = describeCliError(error);
    io.err(`Error: ${message}\n`);
    return exitCode;
  }
}
