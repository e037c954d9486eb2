import { type PolicyIssue, policyFailure, unplacedSource } from './issues';
import { PolicySchema, type Policy } from './schema';
import { checkPolicySemantics } from './semantics';

/*
 * The compiled policy: what the functions load at cold start. `peerkeeper validate policy.yaml --out policy.json`
 * (and the AWS packaging step, which runs it) writes the validated policy, defaults applied, as JSON. The
 * functions then need neither the YAML parser (115 KiB of every bundle) nor its time, and a policy that does
 * not validate stops the deployment instead of the first cold start. Pure: the caller reads and writes files.
 */

/** The validated policy as the JSON the functions load (stable: keys in schema order, two-space indented). */
export function compilePolicy(policy: Policy): string {
  return `${JSON.stringify(policy, null, 2)}\n`;
}

/**
 * Reads a compiled policy and validates it again (schema and cross-references), so a hand-edited or truncated
 * file fails the cold start with every problem listed instead of acting on half a policy.
 */
export function readCompiledPolicy(text: string, file: string): Policy {
  const source = unplacedSource(file);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const hint = /^\s*[{[]/.test(text)
      ? ''
      : `; the functions load the compiled policy: write it with \`peerkeeper validate <policy.yaml> --out ${file}\``;
    throw policyFailure(file, [
      issue(file, `not JSON (${error instanceof Error ? error.message : String(error)})${hint}`),
    ]);
  }
  const parsed = PolicySchema.safeParse(raw);
  if (!parsed.success)
    throw policyFailure(
      file,
      parsed.error.issues.map((i) =>
        source.locate({ path: i.path, message: i.message.replace(/^Invalid input: /, '') }),
      ),
    );
  const { errors } = checkPolicySemantics(parsed.data);
  if (errors.length > 0) throw policyFailure(file, errors.map(source.locate));
  return parsed.data;
}

function issue(file: string, message: string): PolicyIssue {
  return { file, line: 0, column: 0, path: '', message };
}
