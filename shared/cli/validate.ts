import { estateJsonSchema } from '../model';
import {
  compilePolicy,
  denyCoverageOnEstate,
  groupWarnings,
  policyJsonSchema,
  policyReferenceMarkdown,
  renderPolicyIssues,
} from '../policy';
import type { Cloud } from '../model';
import type { PeeringProvider } from '../providers/port';
import { renderGroupAccounts, resolveGroupAccounts } from './group-accounts';
import { CliError, readEstate, readPolicy, writeText } from './io';
import type { CliOutput } from './output';

/**
 * `peerkeeper validate <policy> [--estate S] [--strict] [--out policy.json] [--json]`: every error at once; exit 1
 * when any. `--strict` makes every warning an error (a deny rule that removes every pair of a connection, a group
 * that selects nothing…), for a CI gate. `--out` also writes the compiled policy the functions load (nothing is
 * written when the policy is invalid, or has warnings under --strict).
 */
export function validateCommand(
  args: { policy: string; estate?: string; out?: string; json?: boolean; strict?: boolean },
  io: CliOutput,
): number {
  const loaded = readPolicy(args.policy);
  const estate = args.estate ? readEstate(args.estate) : undefined;
  const warnings = [
    ...loaded.warnings,
    ...(estate
      ? [
          ...groupWarnings(loaded.policy, estate, loaded.source),
          ...denyCoverageOnEstate(loaded.policy, estate, loaded.source),
        ]
      : []),
  ];
  const refused = args.strict === true && warnings.length > 0;
  if (args.out && !refused) writeText(args.out, compilePolicy(loaded.policy));
  if (args.json) {
    io.out(
      JSON.stringify(
        {
          valid: !refused,
          warnings,
          ...(args.strict ? { strict: true } : {}),
          ...(args.out && !refused ? { compiled: args.out } : {}),
        },
        null,
        2,
      ) + '\n',
    );
    return refused ? 1 : 0;
  }
  if (refused) {
    io.err(`${renderPolicyIssues(warnings)}\n${args.policy}: ${warnings.length} warning(s), errors under --strict\n`);
    return 1;
  }
  if (warnings.length > 0) io.err(renderPolicyIssues(warnings) + '\n');
  const p = loaded.policy;
  io.out(
    `${args.policy}: valid — ${Object.keys(p.groups).length} groups, ${p.connections.length} connections, ${p.deny.length} deny rules, mode ${p.mode}${warnings.length ? `, ${warnings.length} warning(s)` : ''}${args.out ? `; compiled to ${args.out}` : ''}\n`,
  );
  return 0;
}

/**
 * `peerkeeper validate <policy> --provider aws|azure|gcp`: validates, then lists the accounts each group of that cloud
 * resolves to — listed ones, and the ones discovery finds under its OU, management group or folder (with the state of
 * those not governed: suspended, disabled, being deleted). Exit 1 when the policy is invalid or discovery fails.
 */
export async function validateWithProvider(
  args: Parameters<typeof validateCommand>[0] & { provider: string },
  io: CliOutput,
  connect: (cloud: Cloud) => Promise<PeeringProvider> = defaultConnect(args.policy),
): Promise<number> {
  const code = validateCommand({ ...args, json: false }, io);
  if (code !== 0) return code;
  if (!['aws', 'azure', 'gcp'].includes(args.provider))
    throw new CliError(`validate --provider lists a cloud's accounts: aws, azure or gcp (not "${args.provider}")`);
  const cloud = args.provider as Cloud;
  const rows = await resolveGroupAccounts(readPolicy(args.policy).policy, cloud, await connect(cloud));
  io.out(rows.length === 0 ? `no ${cloud} groups\n` : `${cloud} groups → accounts:\n${renderGroupAccounts(rows)}\n`);
  return 0;
}

/** The live adapter for a cloud, loaded only when asked for (the AWS SDK alone costs ~0.4 s to load). */
function defaultConnect(policyFile: string): (cloud: Cloud) => Promise<PeeringProvider> {
  return async (cloud) => {
    const { policy } = readPolicy(policyFile);
    if (cloud === 'aws') return (await import('../providers/aws')).createAwsProvider(policy);
    if (cloud === 'azure') return (await import('../providers/azure')).createAzureProvider(policy);
    return (await import('../providers/gcp')).createGcpProvider(policy);
  };
}

/** `peerkeeper schema [--estate | --markdown]`: the JSON Schema of the policy (or of the estate snapshot), or the policy reference table. */
export function schemaCommand(args: { estate?: boolean; markdown?: boolean }, io: CliOutput): number {
  if (args.markdown) io.out(policyReferenceMarkdown());
  else io.out(JSON.stringify(args.estate ? estateJsonSchema() : policyJsonSchema(), null, 2) + '\n');
  return 0;
}
