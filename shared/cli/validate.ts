import { estateJsonSchema } from '../model';
import { groupWarnings, policyJsonSchema, policyReferenceMarkdown, renderPolicyIssues } from '../policy';
import { readEstate, readPolicy } from './io';
import type { CliOutput } from './output';

/** `peerkeeper validate <policy> [--estate S] [--json]`: every error at once; exit 1 when any. */
export function validateCommand(args: { policy: string; estate?: string; json?: boolean }, io: CliOutput): number {
  const loaded = readPolicy(args.policy);
  const warnings = [...loaded.warnings, ...(args.estate ? groupWarnings(loaded.policy, readEstate(args.estate), loaded.source) : [])];
  if (args.json) {
    io.out(JSON.stringify({ valid: true, warnings }, null, 2) + '\n');
    return 0;
  }
  if (warnings.length > 0) io.err(renderPolicyIssues(warnings) + '\n');
  const p = loaded.policy;
  io.out(`${args.policy}: valid — ${Object.keys(p.groups).length} groups, ${p.connections.length} connections, ${p.deny.length} deny rules, mode ${p.mode}${warnings.length ? `, ${warnings.length} warning(s)` : ''}\n`);
  return 0;
}

/** `peerkeeper schema [--estate | --markdown]`: the JSON Schema of the policy (or of the estate snapshot), or the policy reference table. */
export function schemaCommand(args: { estate?: boolean; markdown?: boolean }, io: CliOutput): number {
  if (args.markdown) io.out(policyReferenceMarkdown());
  else io.out(JSON.stringify(args.estate ? estateJsonSchema() : policyJsonSchema(), null, 2) + '\n');
  return 0;
}
