import { estateJsonSchema } from '../model';
import { compilePolicy, denyCoverageOnEstate, groupWarnings, policyJsonSchema, policyReferenceMarkdown, renderPolicyIssues } from '../policy';
import { readEstate, readPolicy, writeText } from './io';
import type { CliOutput } from './output';

/**
 * `peerkeeper validate <policy> [--estate S] [--strict] [--out policy.json] [--json]`: every error at once; exit 1
 * when any. `--strict` makes every warning an error (a deny rule that removes every pair of a connection, a group
 * that selects nothing…), for a CI gate. `--out` also writes the compiled policy the functions load (nothing is
 * written when the policy is invalid, or has warnings under --strict).
 */
export function validateCommand(args: { policy: string; estate?: string; out?: string; json?: boolean; strict?: boolean }, io: CliOutput): number {
  const loaded = readPolicy(args.policy);
  const estate = args.estate ? readEstate(args.estate) : undefined;
  const warnings = [...loaded.warnings, ...(estate ? [...groupWarnings(loaded.policy, estate, loaded.source), ...denyCoverageOnEstate(loaded.policy, estate, loaded.source)] : [])];
  const refused = args.strict === true && warnings.length > 0;
  if (args.out && !refused) writeText(args.out, compilePolicy(loaded.policy));
  if (args.json) {
    io.out(JSON.stringify({ valid: !refused, warnings, ...(args.strict ? { strict: true } : {}), ...(args.out && !refused ? { compiled: args.out } : {}) }, null, 2) + '\n');
    return refused ? 1 : 0;
  }
  if (refused) {
    io.err(`${renderPolicyIssues(warnings)}\n${args.policy}: ${warnings.length} warning(s), errors under --strict\n`);
    return 1;
  }
  if (warnings.length > 0) io.err(renderPolicyIssues(warnings) + '\n');
  const p = loaded.policy;
  io.out(`${args.policy}: valid — ${Object.keys(p.groups).length} groups, ${p.connections.length} connections, ${p.deny.length} deny rules, mode ${p.mode}${warnings.length ? `, ${warnings.length} warning(s)` : ''}${args.out ? `; compiled to ${args.out}` : ''}\n`);
  return 0;
}

/** `peerkeeper schema [--estate | --markdown]`: the JSON Schema of the policy (or of the estate snapshot), or the policy reference table. */
export function schemaCommand(args: { estate?: boolean; markdown?: boolean }, io: CliOutput): number {
  if (args.markdown) io.out(policyReferenceMarkdown());
  else io.out(JSON.stringify(args.estate ? estateJsonSchema() : policyJsonSchema(), null, 2) + '\n');
  return 0;
}
