import type { Estate } from '../model';
import { reconcileScope } from '../reconcile';
import { parseScope } from './scope-arg';
import { CliError, writeEstate } from './io';
import type { CliOutput } from './output';
import { withReadProgress } from './progress';
import { openProviders } from './providers';
import { redactEstate } from './redact';

/** Options of `peerkeeper snapshot`. */
export interface SnapshotArgs {
  policy: string;
  provider?: string;
  out?: string;
  scope?: string;
  redact?: boolean;
  /** Indented JSON instead of the compact, one-element-per-line layout (the default: streamed, any size). */
  pretty?: boolean;
  stateDir?: string;
  now?: string;
  /** Progress lines on stderr (the CLI sets it when stderr is a terminal). */
  progress?: boolean;
}

/**
 * `peerkeeper snapshot --provider aws|azure|gcp|local --policy P --out estate.json [--scope JSON] [--redact]`:
 * observes (read-only) exactly what `plan` would observe for the scope and writes it in the format `--estate`
 * reads, with the observation's completeness: `complete`, `gaps`, and `unread` (which partitions, and why).
 * `plan --estate estate.json` then makes the plan `plan --provider …` made at that moment. Exit 0 when every
 * partition was read, 1 when some were not (the file is still written, for diagnosis).
 */
export async function snapshotCommand(args: SnapshotArgs, io: CliOutput): Promise<number> {
  if (!args.provider)
    throw new CliError('snapshot needs --provider aws|azure|gcp|local: a snapshot records a live estate');
  if (args.provider === 'memory')
    throw new CliError('snapshot --provider memory: a snapshot already is one; copy the file');
  if (!args.out) throw new CliError('snapshot needs --out <estate.json>');
  const selection = await openProviders(args, io);
  const providers = args.progress
    ? withReadProgress(selection.providers, (line) => io.err(`${line}\n`))
    : selection.providers;
  const now = selection.now;
  let estate: Estate;
  try {
    const { observation } = await reconcileScope(parseScope(args.scope), {
      policy: selection.policy,
      providers,
      mode: 'observe',
      now: () => now,
    });
    estate = { version: 1, observedAt: now.toISOString(), ...observation };
  } finally {
    await selection.close();
  }
  writeEstate(args.out, args.redact ? redactEstate(estate, selection.policy) : estate, {
    pretty: args.pretty === true,
  });
  const summary = `${estate.networks.length} network(s), ${estate.peerings.length} peering(s) in ${new Set(estate.networks.map((n) => `${n.ref.cloud}:${n.ref.account}`)).size} account(s)`;
  io.err(`Wrote ${args.out}: ${summary}${args.redact ? ', names and tags redacted' : ''}.\n`);
  if (estate.complete) return 0;
  const unread = estate.unread ?? [];
  io.err(
    `The observation is incomplete; plans from this snapshot hold what depends on:\n${(unread.length ? unread.map((u) => `  ${u.cloud} ${u.account}${u.region ? ` ${u.region}` : ''}: ${u.reason}`) : estate.gaps.map((g) => `  ${g}`)).join('\n')}\n`,
  );
  return 1;
}
