import { CidrError, parseCidr } from '../cidr';
import type { Cloud } from '../model';
import type { PathIssue } from './issues';
import { durationMs, type Policy } from './schema';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * How long a peering request can wait for an answer, per cloud: an approval must not outlive the request it
 * decides. AWS expires a pending-acceptance request after 7 days. Azure and GCP keep a one-sided peering
 * forever, but a request peerkeeper is told about (`peerkeeper request`) is judged for 7 days, like AWS's.
 */
export const REQUEST_EXPIRY: Readonly<Record<Cloud, { ms: number; why: string }>> = {
  aws: { ms: 7 * DAY_MS, why: 'AWS expires a pending peering request after 7 days' },
  azure: { ms: 7 * DAY_MS, why: 'a declared Azure request is judged for 7 days' },
  gcp: { ms: 7 * DAY_MS, why: 'a declared GCP request is judged for 7 days' },
};

/** AWS keeps a pending request for 7 days, then it expires. */
export const AWS_PENDING_EXPIRY_MS = REQUEST_EXPIRY.aws.ms;

/** The shortest approval window: under an hour, a request would expire before a person could read it. */
export const MIN_APPROVAL_TTL_MS = HOUR_MS;

/** The clouds a policy governs: those its groups name (every cloud when it names none). */
function cloudsInUse(policy: Policy): Cloud[] {
  const clouds = new Set(Object.values(policy.groups).map((g) => g.cloud));
  return clouds.size === 0 ? (Object.keys(REQUEST_EXPIRY) as Cloud[]) : [...clouds].sort();
}

/** `7d` for a whole number of days, else hours: how a bound is written back to the user. */
function spell(ms: number): string {
  return ms % DAY_MS === 0 ? `${ms / DAY_MS}d` : `${ms / HOUR_MS}h`;
}

/**
 * `approvals.ttl` between 1 hour and the tightest request expiry of the clouds in use. Outside it, `0m` closes
 * every approval as it opens and `999999999d` is past the last date JavaScript can represent (the plan threw
 * RangeError).
 */
export function approvalTtlIssues(policy: Policy): PathIssue[] {
  const ttl = policy.approvals.ttl;
  const ms = durationMs(ttl);
  const path = ['approvals', 'ttl'];
  if (ms < MIN_APPROVAL_TTL_MS)
    return [
      {
        path,
        message: `approvals.ttl ${ttl} is shorter than 1h: every approval would expire before anyone could answer it`,
      },
    ];
  const tightest = cloudsInUse(policy)
    .map((cloud) => ({ cloud, ...REQUEST_EXPIRY[cloud] }))
    .sort((a, b) => a.ms - b.ms)[0]!;
  if (ms > tightest.ms) {
    return [
      {
        path,
        message: `approvals.ttl ${ttl} is longer than the request it decides can wait: ${tightest.why}; use at most ${spell(tightest.ms)}`,
      },
    ];
  }
  return [];
}

/** Why `text` is not a single IPv4 or IPv6 address, or undefined when it is one (read by shared/cidr, not a pattern). */
export function notAnIpAddress(text: string): string | undefined {
  if (text.includes('/')) return 'write the address alone, without a /prefix';
  try {
    parseCidr(`${text}/${text.includes(':') ? 128 : 32}`);
    return undefined;
  } catch (error) {
    // The message quotes the range parsed (`…/32`); the user wrote an address, so keep only the reason.
    if (error instanceof CidrError) return error.message.replace(/^invalid CIDR "[^"]*": /, '');
    throw error;
  }
}

/** Every `routes.azureNextHop` must be an IP address: Azure rejects the route otherwise, after the peering exists. */
export function nextHopIssues(policy: Policy): PathIssue[] {
  const issues: PathIssue[] = [];
  policy.connections.forEach((connection, i) => {
    const hop = connection.routes.azureNextHop;
    if (hop === undefined) return;
    const why = notAnIpAddress(hop);
    if (why !== undefined)
      issues.push({
        path: ['connections', i, 'routes', 'azureNextHop'],
        message: `"${hop}" is not an IP address (IPv4 or IPv6): ${why}`,
      });
  });
  return issues;
}
