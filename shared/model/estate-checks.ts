import { tryParseCidr } from '../cidr';
import type { Estate } from './estate';
import { networkKey } from './network';

/** One problem in a snapshot, located by its JSON path (`networks[3].cidrs[1]`). */
export interface EstateIssue {
  path: string;
  message: string;
}

/** `['networks', 3, 'cidrs', 1]` → `networks[3].cidrs[1]`: the path a reader can find in the file. */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? String(part) : `.${String(part)}`;
  }
  return text || '(root)';
}

const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An ISO 8601 timestamp with a zone (`2026-11-20T12:00:00Z`, `…+02:00`) as a Date, else undefined.
 * A zone is required: without one, JavaScript reads the time in the host's zone and the same snapshot
 * would plan differently on two machines. Impossible days (Feb 30) are refused, not rolled into March.
 */
export function parseIsoTimestamp(text: unknown): Date | undefined {
  if (typeof text !== 'string') return undefined;
  const m = ISO_TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59)
    return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * What the schema cannot say about a snapshot: ranges that do not parse, duplicate network keys and
 * peering ids (a Map would silently keep the last one), timestamps that are not timestamps, and a
 * `complete` flag that disagrees with its gaps. Pure: the caller names the file.
 */
export function estateIssues(estate: Estate): EstateIssue[] {
  const issues: EstateIssue[] = [];
  if (!parseIsoTimestamp(estate.observedAt)) {
    issues.push({
      path: 'observedAt',
      message: `${JSON.stringify(estate.observedAt)} is not an ISO timestamp with a zone (e.g. 2026-11-20T12:00:00Z)`,
    });
  }
  const unread = estate.unread?.length ?? 0;
  if (!estate.complete && estate.gaps.length === 0 && unread === 0) {
    issues.push({
      path: 'gaps',
      message:
        'complete is false but no gap (or unread partition) says what was not read: add one line per failed or truncated read',
    });
  }
  if (estate.complete && estate.gaps.length + unread > 0) {
    const listed = [
      estate.gaps.length ? `gaps lists ${estate.gaps.length}` : '',
      unread ? `unread lists ${unread}` : '',
    ]
      .filter(Boolean)
      .join(' and ');
    issues.push({
      path: 'complete',
      message: `complete is true but ${listed} unread part(s): set complete to false, or remove them`,
    });
  }
  const networkPaths = new Map<string, string>();
  estate.networks.forEach((network, i) => {
    const path = `networks[${i}]`;
    firstSeen(networkPaths, networkKey(network.ref), path, (earlier) =>
      issues.push({ path, message: `duplicate network ${networkKey(network.ref)} (also at ${earlier})` }),
    );
    checkCidrs(network.cidrs, `${path}.cidrs`, issues);
  });
  const peeringPaths = new Map<string, string>();
  estate.peerings.forEach((peering, i) => {
    const path = `peerings[${i}]`;
    firstSeen(peeringPaths, `${peering.cloud}:${peering.id}`, path, (earlier) =>
      issues.push({ path, message: `duplicate ${peering.cloud} peering ${peering.id} (also at ${earlier})` }),
    );
    if (peering.expiresAt !== undefined && !parseIsoTimestamp(peering.expiresAt)) {
      issues.push({
        path: `${path}.expiresAt`,
        message: `${JSON.stringify(peering.expiresAt)} is not an ISO timestamp with a zone`,
      });
    }
    if (peering.requesterCidrs) checkCidrs(peering.requesterCidrs, `${path}.requesterCidrs`, issues);
    if (peering.accepterCidrs) checkCidrs(peering.accepterCidrs, `${path}.accepterCidrs`, issues);
  });
  return issues;
}

function firstSeen(seen: Map<string, string>, key: string, path: string, onDuplicate: (earlier: string) => void): void {
  const earlier = seen.get(key);
  if (earlier === undefined) seen.set(key, path);
  else onDuplicate(earlier);
}

function checkCidrs(cidrs: readonly string[], path: string, issues: EstateIssue[]): void {
  cidrs.forEach((cidr, j) => {
    if (!tryParseCidr(cidr))
      issues.push({ path: `${path}[${j}]`, message: `${JSON.stringify(cidr)} is not a CIDR (address/prefix)` });
  });
}
