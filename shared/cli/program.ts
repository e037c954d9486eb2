import { Command } from 'commander';
import { version } from '../../package.json';
import { defineCoreCommands } from './commands-core';
import { defineOperationsCommands } from './commands-operations';
import type { CliOutput } from './output';
import { examples, REQUIRED, type Action, type Flags } from './options';

/** What every command's help ends with: the exit codes (the README's table says the same). */
const FOOTER = `
Exit codes: 0 = ok / no changes, 2 = the plan has changes (plan only), 1 = error, usage error,
or an observation with unread partitions (no conclusion). Approvals and the audit log live in --state-dir
(default .peerkeeper/, or PEERKEEPER_STATE_DIR); --now ISO sets a command's clock (else a snapshot's observedAt).`;

/**
 * The `peerkeeper` command line: every command with its options, help with examples, `--version`. Parsing is
 * commander's; errors (unknown or conflicting flags, a missing --policy) are one line and exit 1, never a stack
 * trace. Each command's module loads only when that command runs, so `--version` and `--help` load none of them.
 */
export function buildProgram(io: CliOutput, finish: (code: number) => void): Command {
  const output = (name: string) => ({
    writeOut: (text: string) => io.out(text),
    writeErr: (text: string) => io.err(text),
    // Commander's message, and its "(Did you mean …?)" on a second line, as one line with the way out.
    outputError: (text: string) =>
      io.err(
        `${name}: ${text
          .replace(/^error: /, '')
          .replace(/\s*\n\s*/g, ' ')
          .trim()} (see \`${name} --help\`)\n`,
      ),
  });
  const program = new Command('peerkeeper')
    .description(
      'Keep cloud network peering as declared: AWS VPC peering, Azure VNet peering, Google Cloud VPC Network Peering.',
    )
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .exitOverride()
    .configureOutput(output('peerkeeper'))
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      `${examples(
        'peerkeeper validate examples/policy.yaml',
        'peerkeeper plan --policy examples/policy.yaml --estate examples/estate.json',
        'peerkeeper snapshot --provider aws --policy policy.yaml --out estate.json',
        'peerkeeper help plan',
      )}${FOOTER}\n`,
    );
  const command = (name: string, summary: string, action: Action, helpExamples: string[]) => {
    const sub = program
      .command(name)
      .description(summary)
      .configureOutput(output(`peerkeeper ${name.split(' ')[0]}`))
      .addHelpText('after', `${examples(...helpExamples)}${FOOTER}\n`);
    sub.action(async (...received: unknown[]) => {
      // Commander passes the declared arguments, then the options, then the command itself.
      const self = received.at(-1) as Command;
      for (const option of self.options) {
        if (REQUIRED.has(option) && self.getOptionValue(option.attributeName()) === undefined)
          self.error(`error: required option '${option.flags}' not specified`);
      }
      finish(
        await action(
          self.opts<Flags>(),
          self.processedArgs.filter((a): a is string => typeof a === 'string'),
        ),
      );
    });
    return sub;
  };
  defineCoreCommands(command, io);
  defineOperationsCommands(command, io);
  return program;
}
