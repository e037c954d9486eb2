import { join } from 'node:path';
import { DeclaredRequestRegistry } from '../approvals/declared';
import { declareRequest, parseDeclareArgs } from '../approvals/declare-command';
import { networksInGroup } from '../policy/groups';
import { partitionsFor } from '../reconcile';
import { FileApprovalStore } from '../stores/file';
import { stateDir } from './approvals';
import { commandNow } from './clock';
import { CliError } from './io';
import type { CliOutput } from './output';
import { openProviders } from './providers';

/** The declared-request registry of the CLI's embedded store (the same files `plan` and `apply` read). */
export function cliDeclared(dir: string): DeclaredRequestRegistry {
  return new DeclaredRequestRegistry(new FileApprovalStore(join(dir, 'approvals')));
}

/**
 * `peerkeeper request --from <cloud:account:region:id> --to <group or network> --cidrs a,b --policy P [--estate S | --provider …]`:
 * registers a request peerkeeper cannot see; the next plan judges it like an observed one (accept / chat / reject).
 * A group is resolved against the observed estate, so `--to` a group needs `--estate` or `--provider`.
 */
export async function requestCommand(
  args: {
    policy: string;
    from?: string;
    to?: string;
    cidrs?: string;
    as?: string;
    estate?: string;
    provider?: string;
    stateDir?: string;
    now?: string;
  },
  io: CliOutput,
): Promise<number> {
  let parsed;
  try {
    parsed = parseDeclareArgs(`--from ${args.from ?? ''} --to ${args.to ?? ''} --cidrs ${args.cidrs ?? ''}`);
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
  const now = commandNow(args);
  const resolveGroup = async (name: string) => {
    if (!args.estate && !args.provider) return undefined;
    const selection = await openProviders(args, io);
    try {
      const group = selection.policy.groups[name];
      const provider = selection.providers[group?.cloud ?? 'aws'];
      if (!group || !provider) return undefined;
      const observation = await provider.observe(partitionsFor({ kind: 'estate' }, selection.policy, [group.cloud]));
      return networksInGroup(group, observation).map((n) => n.ref);
    } finally {
      await selection.close();
    }
  };
  try {
    const requestedBy = args.as ?? process.env.PEERKEEPER_APPROVER;
    const { text } = await declareRequest(cliDeclared(stateDir(args.stateDir)), parsed, {
      now,
      resolveGroup,
      ...(requestedBy ? { requestedBy } : {}),
    });
    io.out(`${text}\nRun \`peerkeeper plan\` to see what the policy decides.\n`);
    return 0;
  } catch (error) {
    if (error instanceof RangeError) throw new CliError(error.message);
    throw error;
  }
}
