import type { Command } from 'commander';
import { Option } from 'commander';

/** A command's options as commander parsed them (camelCase keys: `stateDir`, `dryRun`). */
export type Flags = Record<string, string | boolean | undefined>;
/** Runs a command and returns its exit code. */
export type Action = (flags: Flags, args: string[]) => Promise<number>;

/**
 * Options a command cannot run without. Checked when the command runs rather than by commander's
 * makeOptionMandatory(), which reports a missing --policy before an unknown flag: `plan --polcy p` should say
 * "unknown option '--polcy' (Did you mean --policy?)".
 */
export const REQUIRED = new WeakSet<Option>();

/** Marks an option as one its command needs. */
export function required(option: Option): Option {
  REQUIRED.add(option);
  return option;
}

/** The shared options, one definition each, so every command spells and explains them the same way. */
export const OPTIONS = {
  policy: () => required(new Option('--policy <file>', 'the policy YAML (required)')),
  estate: () => new Option('--estate <file>', 'an estate snapshot to read instead of the clouds').conflicts('provider'),
  provider: (choices: string[]) =>
    new Option('--provider <name>', 'observe the live estate through the real adapters').choices(choices),
  scope: () =>
    new Option(
      '--scope <json>',
      `what to observe, e.g. '{"kind":"account","cloud":"aws","account":"111111111111"}' (default: the estate)`,
    ),
  json: () => new Option('--json', 'machine-readable output'),
  now: () => new Option('--now <iso>', "the time to decide at (default: the snapshot's observedAt, else the clock)"),
  stateDir: () => new Option('--state-dir <dir>', 'where approvals and the audit log live (default .peerkeeper/)'),
};

/** "Examples:" lines for a command's help. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

/** How the command definitions add a command: name (with arguments), one-line summary, action, help examples. */
export type DefineCommand = (name: string, summary: string, action: Action, examples: string[]) => Command;

/** `flags[key]` when it is a string. */
export function text(flags: Flags, key: string): string | undefined {
  const value = flags[key];
  return typeof value === 'string' ? value : undefined;
}

/** The string flags, without the unset ones (the commands' argument types are exact about optional fields). */
export function pick<K extends string>(flags: Flags, ...keys: K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const k of keys) {
    const value = text(flags, k);
    if (value !== undefined) out[k] = value;
  }
  return out;
}
