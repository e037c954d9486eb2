/**
 * Recognizes events caused by peerkeeper itself (DESIGN §5: no remediation loops).
 *
 * An entry in `identities` matches an actor when:
 * - it equals the actor, ignoring case (ARNs, emails, Azure object ids and GCP principals are compared
 *   case-insensitively: IAM role names are unique regardless of case, GUIDs and emails are case-free);
 * - it is an IAM role ARN `arn:aws:iam::<acct|*>:role/[path/]<name>` and the actor is an STS session of that
 *   role, `arn:aws:sts::<acct>:assumed-role/<name>/<session>` (CloudTrail logs the session, never the role;
 *   the session ARN drops the role's path);
 * - it is a bare role name (no `:` or `/`) equal to the assumed-role name of the actor.
 * `*` in an entry matches any run of characters, e.g. `arn:aws:iam::*:role/peerkeeper-*`.
 */
export function isOwnIdentity(actor: string | undefined, identities: readonly string[]): boolean {
  if (actor === undefined || actor.length === 0) return false;
  return identities.some((entry) => entry.length > 0 && patternsFor(entry).some((pattern) => pattern.test(actor)));
}

/** `arn:<partition>:iam::<account>:role/<path/><name>`; partitions include aws-cn and aws-us-gov. */
const IAM_ROLE_ARN = /^arn:([^:]+):iam::([^:]*):role\/(?:.*\/)?([^/]+)$/i;

/** Every actor pattern an identity entry stands for. */
function patternsFor(entry: string): RegExp[] {
  const patterns = [globToRegExp(entry)];
  const role = IAM_ROLE_ARN.exec(entry);
  if (role) {
    const [, partition = '', account = '', name = ''] = role;
    patterns.push(globToRegExp(`arn:${partition}:sts::${account}:assumed-role/${name}/*`));
  } else if (!entry.includes(':') && !entry.includes('/')) {
    patterns.push(globToRegExp(`arn:*:sts::*:assumed-role/${entry}/*`));
  }
  return patterns;
}

/** A case-insensitive, anchored RegExp where `*` is the only special character. */
function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'i');
}
