import { findFirstOverlap, findOverlaps, tryParseCidr } from '../cidr';
import type { Cloud, NetworkRef, Observation, Peering } from '../model';
import { CLOUDS, CONNECTION_TAG, MANAGED_TAG, networkKey } from '../model';
import { governedAccounts, named } from '../policy/governed';
import type { Connection, Group, Policy } from '../policy/schema';
import { connectionSides } from './connections';
import type { EstateIndex } from './estate-index';
import { indexEstate } from './estate-index';

const comparable = (cloud: Cloud, value: string) => (cloud === 'azure' ? value.toLowerCase() : value);

/** False only when the ref itself rules the group out (cloud, account or region); tags cannot be judged unseen. */
function mayBeInGroup(group: Group | undefined, ref: NetworkRef): boolean {
  if (!group || group.cloud !== ref.cloud) return false;
  const accounts = named(group.account).map((a) => comparable(ref.cloud, a));
  const regions = named(group.region).map((r) => comparable(ref.cloud, r));
  return (
    (accounts.length === 0 || accounts.includes(comparable(ref.cloud, ref.account))) &&
    (regions.length === 0 || regions.includes(comparable(ref.cloud, ref.region)))
  );
}

/** The far-side ranges a live peering gives its `near` side, from the peering record itself. */
function farCidrsOf(p: Peering, near: string): readonly string[] {
  return (networkKey(p.requester) === near ? p.accepterCidrs : p.requesterCidrs) ?? [];
}

/**
 * The connection a link is restored for from its near side alone, or undefined when only a view of both sides
 * may judge it. Every condition is one a full view would also need, read from what the near side observes:
 * the link is active; peerkeeper's own tags on it (visible in the account that created it) name a connection
 * the policy still has; the near network sits in one side of that connection and the far ref is not ruled out
 * of the other; no deny rule could join them; and the far ranges (from the peering record) neither overlap
 * the near network nor any other live peer of it (which link keeps a contested range is a full view's call).
 */
function nearSideConnection(
  index: EstateIndex,
  p: Peering,
  governed: (ref: NetworkRef) => boolean,
  contested: (nearKey: string) => ReadonlySet<string>,
): Connection | undefined {
  if (p.state !== 'active' || p.tags[MANAGED_TAG] !== 'true') return undefined;
  const reqSeen = index.networks.get(networkKey(p.requester));
  const accSeen = index.networks.get(networkKey(p.accepter));
  if ((reqSeen === undefined) === (accSeen === undefined)) return undefined;
  const near = (reqSeen ?? accSeen)!;
  const far = reqSeen ? p.accepter : p.requester;
  // An ungoverned far side (a partner) is never observed: the partner rules (keptOutsideLink) judge it.
  if (!governed(far)) return undefined;
  const connection = index.policy.connections.find((c) => c.name === p.tags[CONNECTION_TAG]);
  if (!connection) return undefined;
  const nearGroups = index.groupsOf.get(networkKey(near.ref)) ?? new Set<string>();
  const [x, y] = connectionSides(connection);
  const farGroups = [nearGroups.has(x) ? y : undefined, nearGroups.has(y) ? x : undefined].filter(
    (g): g is string => g !== undefined && mayBeInGroup(index.policy.groups[g], far),
  );
  if (farGroups.length === 0) return undefined;
  const denied = index.policy.deny.some((d) => {
    const [a, b] = d.between;
    return (
      (nearGroups.has(a) && mayBeInGroup(index.policy.groups[b], far)) ||
      (nearGroups.has(b) && mayBeInGroup(index.policy.groups[a], far))
    );
  });
  if (denied) return undefined;
  const nearKey = networkKey(near.ref);
  const ranges = farCidrsOf(p, nearKey);
  if (ranges.length === 0 || findFirstOverlap(ranges, near.cidrs)) return undefined;
  return contested(nearKey).has(p.id) ? undefined : connection;
}

/**
 * The live peerings of a network whose far ranges overlap another live peer's, or the ranges of a network a dead
 * link (deleted, expired, rejected, failed) of it still names in a governed account this view did not see: a fuller
 * view may rank that network for the range (desired-peerings.ts leaves the pair undecided), so the sweep leaves its
 * routes alone (chaos seed 5732: a route-table scope repointed a dead link's route to another live link the sweep
 * left undecided). One sort per network (findOverlaps, O(n log n)), not a scan of every other peer per link — a hub
 * may have thousands of links.
 */
function contestedLinks(
  index: EstateIndex,
  governed: (ref: NetworkRef) => boolean,
): (nearKey: string) => ReadonlySet<string> {
  const memo = new Map<string, Set<string>>();
  let named: Map<string, { cidr: string; key: string }[]> | undefined;
  const namedBy = (nearKey: string) => {
    if (!named) {
      named = new Map();
      for (const p of index.observation.peerings) {
        if (p.state === 'active' || p.state === 'requested') continue;
        const reqSeen = index.networks.has(networkKey(p.requester));
        if (reqSeen === index.networks.has(networkKey(p.accepter))) continue;
        const far = reqSeen ? p.accepter : p.requester;
        if (!governed(far)) continue;
        const near = networkKey(reqSeen ? p.requester : p.accepter);
        const items = named.get(near) ?? named.set(near, []).get(near)!;
        for (const cidr of farCidrsOf(p, near))
          if (tryParseCidr(cidr)) items.push({ cidr, key: `\u0000${networkKey(far)}` }); // the planner is total
      }
    }
    return named.get(nearKey) ?? [];
  };
  return (nearKey) => {
    let ids = memo.get(nearKey);
    if (!ids) {
      const live = index.livePeeringsOf.get(nearKey) ?? [];
      const farOf = new Map(
        live.map((q) => [q.id, `\u0000${networkKey(networkKey(q.requester) === nearKey ? q.accepter : q.requester)}`]),
      );
      const items = [
        ...live.flatMap((q) => farCidrsOf(q, nearKey).map((cidr) => ({ cidr, key: q.id }))),
        ...namedBy(nearKey),
      ];
      ids = new Set<string>();
      for (const o of findOverlaps(items)) {
        // A dead link to the live link's own far network is that network's history, not a competitor.
        const bothLive = farOf.has(o.a) && farOf.has(o.b);
        if (!bothLive && (farOf.get(o.a) ?? o.a) === (farOf.get(o.b) ?? o.b)) continue;
        if (farOf.has(o.a)) ids.add(o.a);
        if (farOf.has(o.b)) ids.add(o.b);
      }
      memo.set(nearKey, ids);
    }
    return ids;
  };
}

/**
 * Links whose drifted routes a route-table-scoped reconcile restores from the near side's observation alone
 * (peering id → the connection they serve): it never creates, deletes or judges the link itself, never deletes
 * its routes, and only repoints an existing static route back to it. Whether the link should still exist is the
 * business of the far side's own events and of the sweep, which see both sides.
 */
export function nearSideLinks(index: EstateIndex): ReadonlyMap<string, Connection> {
  const governed = new Map(
    CLOUDS.map((c) => [c, new Set(governedAccounts(index.policy, c).map((a) => comparable(c, a)))]),
  );
  const isGoverned = (ref: NetworkRef) => governed.get(ref.cloud)?.has(comparable(ref.cloud, ref.account)) ?? false;
  const contested = contestedLinks(index, isGoverned);
  const out = new Map<string, Connection>();
  for (const p of index.observation.peerings) {
    const connection = nearSideConnection(index, p, isGoverned, contested);
    if (connection) out.set(p.id, connection);
  }
  return out;
}

/** The ids of `nearSideLinks` for a raw observation (the reconciler asks before deciding which far sides to read). */
export function linksRestoredFromNearSide(policy: Policy, observation: Observation): ReadonlySet<string> {
  return new Set(nearSideLinks(indexEstate(policy, observation)).keys());
}
