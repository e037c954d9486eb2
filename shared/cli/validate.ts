import { estateJsonSchema } from '../model';
import { compilePolicy, groupWarnings, policyJsonSchema, policyReferenceMarkdown, renderPolicyIssues } from '../policy';
import { readEstate, readPolicy, writeText } from './io';
import type { CliOutput } from './output';

/**
 * `peerkeeper validate <policy> [--estate S] [--out policy.json] [--json]`: every error at once; exit 1 when any.
 * `--out` also writes the compiled policy the functions load (nothing is written when the policy is invalid).
 */
export function validateCommand(args: { policy: string; estate?: string; out?: string; json?: boolean }, io: CliOutput): number {
  const loaded = readPolicy(args.policy);
  if (args.out) writeText(args.out, compilePolicy(loaded.policy));
  const warnings = [...loaded.warnings, ...(args.estate ? groupWarnings(loaded.policy, readEstate(args.estate), loaded.source) : [])];
  if (args.json) {
    io.out(JSON.stringify({ valid: true, warnings, ...(args.out ? { compiled: args.out } : {}) }, null, 2) + '\n');
    return 0;
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
