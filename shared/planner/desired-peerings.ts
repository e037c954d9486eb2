import { findFirstOverlap, tryParseCidr } from '../cidr';
import type { Network, Peering } from '../model';
import { CLOUDS, CONNECTION_TAG, MANAGED_TAG, networkKey } from '../model';
import { governedAccounts } from '../policy/governed';
import type { Connection } from '../policy/schema';
import { connectionSides, isRequesterFirst, matchDeny } from './connections';
import type { EstateIndex } from './estate-index';
import {
  ACCEPTER_SEEN,
  BOTH_SEEN,
  REQUESTER_SEEN,
  describeNetwork,
  pairId,
  pairKey,
  routesAreWritten,
  selectTables,
  tableKey,
} from './estate-index';
import { limitsFor } from './limits';
import { isWholeSpace } from './obstacles';
import { findRoutedOverlap, keptOutsideLink, planPeeringRequest } from './request';
import { isCanonicalIPv4, routableCidrs } from './route-families';

/** A peering the policy wants between two observed networks. */
export interface DesiredPeering {
  key: string;
  connection: Connection;
  requester: Network;
  accepter: Network;
  /** Every observed peering between the two (what `index.peeringsByPair` holds for `key`). */
  peerings: readonly Peering[];
}

/** A pair some connection names that cannot be peered, and why (overlap, quota). */
export interface RefusedPair {
  key: string;
  connection: Connection;
  a: Network;
  b: Network;
  reason: string;
  /** quota refusals wait for room; overlap refusals are final. */
  kind: 'overlap' | 'quota';
}

function appendTo(map: Map<string, string[]>, key: string, values: readonly string[]): void {
  const list = map.get(key);
  if (list) list.push(...values);
  else map.set(key, [...values]);
}

interface Candidate {
  key: string;
  /** `pairId` of the two networks. */
  id: number;
  connection: Connection;
  a: Network;
  b: Network;
  order: number;
  live: boolean;
  active: boolean;
  /** Every observed peering between the two, and the first live one (active or requested). */
  peerings: readonly Peering[];
  existing: Peering | undefined;
}

/** Candidates by `pairId` (numbers: no key string is hashed to find a pair). */
function candidates(index: EstateIndex): Map<number, Candidate> {
  const seen = new Map<number, Candidate>();
  const idOf = (n: Network) => index.networkIds.get(networkKey(n.ref))!;
  index.policy.connections.forEach((connection, order) => {
    const [x, y] = connectionSides(connection);
    const xs = index.members.get(x) ?? [];
    const ys = index.members.get(y) ?? [];
    const yIds = ys.map(idOf);
    for (const a of xs) {
      const ia = idOf(a);
      for (let j = 0; j < ys.length; j++) {
        const b = ys[j]!;
        if (a === b || a.ref.cloud !== b.ref.cloud) continue; // native peering is single-cloud
        const id = pairId(index, ia, yIds[j]!);
        if (seen.has(id)) continue; // the first connection naming a pair owns it
        const key = pairKey(a.ref, b.ref);
        let active = false;
        let existing: Peering | undefined;
        const peerings = index.peeringsByPairId.get(id) ?? [];
        for (const p of peerings) {
          active ||= p.state === 'active';
          if (existing === undefined && (p.state === 'active' || p.state === 'requested')) existing = p;
        }
        seen.set(id, { key, id, connection, a, b, order, live: existing !== undefined, active, peerings, existing });
      }
    }
  });
  return seen;
}

function refusal(c: Candidate, reason: string, kind: RefusedPair['kind']): RefusedPair {
  return { key: c.key, connection: c.connection, a: c.a, b: c.b, reason, kind };
}

/** Why a network's ranges cannot be reasoned about (a whole address family, or text that is not a range). */
function unusableRange(n: Network): string | undefined {
  const whole = n.cidrs.find(isWholeSpace);
  if (whole) return `${n.ref.cloud}:${n.ref.account}/${n.ref.id} announces ${whole}, the whole address space`;
  const unreadable = n.cidrs.find((c) => !isCanonicalIPv4(c) && tryParseCidr(c) === undefined);
  return unreadable === undefined
    ? undefined
    : `${n.ref.cloud}:${n.ref.account}/${n.ref.id} has range ${JSON.stringify(unreadable)}, which is not a CIDR`;
}

/**
 * Whether every managed table on both sides has room for the routes a new link needs; the reason when one has not.
 * A peering whose routes cannot fit on both sides is not created (a one-sided link carries no traffic back).
 * The room left is the table's quota minus the routes it holds now minus what this plan already adds to it.
 */
function routeRoom(
  index: EstateIndex,
  c: Candidate,
  adding: Map<string, number>,
  reserved?: ReadonlyMap<string, number>,
): string | undefined {
  const needs: { key: string; n: number }[] = [];
  for (const [side, peer] of [
    [c.a, c.b],
    [c.b, c.a],
  ] as const) {
    if (!routesAreWritten(side.ref.cloud, c.connection.routes.azureNextHop)) continue;
    const n = routableCidrs(side, peer.cidrs).length;
    if (n === 0) continue;
    const limit = limitsFor(index, side.ref);
    for (const table of selectTables(side, c.connection.routes.tables)) {
      const key = tableKey(side.ref, table);
      const used = table.routes.length + (adding.get(key) ?? 0) + (reserved?.get(networkKey(side.ref)) ?? 0);
      if (used + n > limit.routesPerTable) {
        return `quota: route table ${table.id} of ${describeNetwork(index, side.ref)} holds ${used} of ${limit.routesPerTable} routes and needs ${n} more (${limit.label})`;
      }
      needs.push({ key, n });
    }
  }
  for (const { key, n } of needs) adding.set(key, (adding.get(key) ?? 0) + n);
  return undefined;
}

/**
 * Decides which pairs should be peered. Pairs already peered keep their slot first, then policy order, then
 * key order (deterministic). `owned` holds the peerings whose routes are plans, not obstacles: ours, and requests this plan
 * rejects in any case; `peerCidrs` holds, per network, the ranges of every peer it will have. A pair is refused when its CIDRs overlap, when one side's peer would overlap a
 * range already routed to another of its peers, or when a side is at its cloud's peering quota.
 */
export function desirePeerings(index: EstateIndex): {
  desired: DesiredPeering[];
  /** The `pairId`s of `desired`. */
  desiredPairs: ReadonlySet<number>;
  refused: RefusedPair[];
  peerCidrs: ReadonlyMap<string, readonly string[]>;
  owned: ReadonlySet<string>;
  /** Pairs that overlap a link this observation cannot judge (a scoped reconcile): left exactly as they are. */
  undecided: ReadonlySet<string>;
} {
  // Active links keep their slot before pending ones, pending before new: a request never displaces a working link.
  const byPair = candidates(index);
  const all = [...byPair.values()].sort(
    (p, q) =>
      Number(q.active) - Number(p.active) ||
      Number(q.live) - Number(p.live) ||
      p.order - q.order ||
      (p.key < q.key ? -1 : p.key > q.key ? 1 : 0),
  );
  const peerCidrs = new Map<string, string[]>();
  const counts = new Map<string, number>();
  const { peeringSides } = index;
  // Per observed peering (by position): whether a connection names its pair.
  const wantedPeering = new Uint8Array(index.observation.peerings.length);
  index.peeringPairIds.forEach((id, i) => {
    if (id >= 0 && byPair.has(id)) wantedPeering[i] = 1;
  });
  // Ours: what peerkeeper created, plus live links between pairs the policy names.
  const owned = new Set(index.managedPeeringIds);
  for (const c of all) for (const p of c.peerings) if (p.state === 'active' || p.state === 'requested') owned.add(p.id);
  index.observation.peerings.forEach((p, i) => {
    // Only an active link with one side unseen can be kept outside a link (keptOutsideLink says no to the rest).
    const sides = peeringSides[i]!;
    if (p.state === 'active' && sides !== BOTH_SEEN && sides !== 0 && keptOutsideLink(index, p)) owned.add(p.id);
  });
  // A request this plan rejects whatever else it decides (unlisted, denied, unmatched, overlapping the accepter) takes
  // its routes with it: they are no obstacle to the links this plan creates (the next plan would create them anyway).
  index.observation.peerings.forEach((p, i) => {
    if (p.state !== 'requested' || wantedPeering[i] === 1) return;
    if (planPeeringRequest(index, p, { now: new Date(0), ownedPeeringIds: owned }).verdict === 'reject')
      owned.add(p.id);
  });
  // Live peerings outside the policy's pairs still use quota.
  index.observation.peerings.forEach((p, i) => {
    if ((p.state !== 'active' && p.state !== 'requested') || wantedPeering[i] === 1) return;
    const requester = networkKey(p.requester);
    const accepter = networkKey(p.accepter);
    counts.set(requester, (counts.get(requester) ?? 0) + 1);
    counts.set(accepter, (counts.get(accepter) ?? 0) + 1);
  });
  const desired: DesiredPeering[] = [];
  const desiredPairs = new Set<number>();
  const refused: RefusedPair[] = [];
  // Active peers this observation cannot see still hold their ranges when the link is one a full view keeps:
  // ours for a connection the policy still has, or one the policy would still accept (a partner).
  const connections = new Set(index.policy.connections.map((c) => c.name));
  const keeps = (p: Peering) =>
    (p.tags[MANAGED_TAG] === 'true' && connections.has(p.tags[CONNECTION_TAG] ?? '')) ||
    keptOutsideLink(index, p) !== undefined;
  // Other unseen links may or may not be kept by a view that sees them: a pair they overlap is left undecided.
  const unseenCidrs = new Map<string, string[]>();
  // The ranges of the kept links among them in governed accounts: kept against new links, but two active links for
  // one range rank by key in a full view, so an active pair they overlap is undecided here, never refused (its routes
  // stay as they are). An ungoverned side (a partner) is never seen: this view is the whole truth about it.
  const keptUnseen = new Map<string, string[]>();
  // An unseen side in an account peerkeeper governs could be seen by a fuller reconcile: undecided here. An
  // ungoverned one (a partner) is never seen: this view is the whole truth about it.
  const governed = new Map(
    CLOUDS.map((c) => [c, new Set(governedAccounts(index.policy, c).map((a) => a.toLowerCase()))]),
  );
  index.observation.peerings.forEach((p, i) => {
    const reqSeen = (peeringSides[i]! & REQUESTER_SEEN) !== 0;
    const accSeen = (peeringSides[i]! & ACCEPTER_SEEN) !== 0;
    // Only a link with exactly one side seen adds ranges below: the others are judged elsewhere.
    if (reqSeen === accSeen) return;
    const unseen = reqSeen ? p.accepter : p.requester;
    const fuller = governed.get(unseen.cloud)?.has(unseen.account.toLowerCase()) === true; // a fuller view could see it
    // A link in any other state still names a network this view cannot see (its range known from the listing): a
    // fuller view may rank that network before a new link (a scope reads no account a group only names, issue 13).
    const into = p.state === 'active' && keeps(p) ? peerCidrs : fuller ? unseenCidrs : undefined;
    if (!into) return;
    for (const target of into === peerCidrs && fuller ? [peerCidrs, keptUnseen] : [into]) {
      if (reqSeen && !accSeen && p.accepterCidrs) appendTo(target, networkKey(p.requester), p.accepterCidrs);
      if (accSeen && !reqSeen && p.requesterCidrs) appendTo(target, networkKey(p.accepter), p.requesterCidrs);
    }
  });
  // Links this plan leaves in place though no connection names their pair (unmanaged ones, and ours while
  // drift.peerings is report) still carry their ranges: a new link or request for the same range into the same
  // network would be a second one (DESIGN §11).
  const deleting = index.policy.drift.peerings === 'revert';
  index.observation.peerings.forEach((p, i) => {
    if (p.state !== 'active' || wantedPeering[i] === 1 || (deleting && p.tags[MANAGED_TAG] === 'true')) return;
    if (peeringSides[i] !== BOTH_SEEN) return; // one side unseen: judged above (kept links, undecided ranges)
    const req = index.networks.get(networkKey(p.requester))!;
    const acc = index.networks.get(networkKey(p.accepter))!;
    appendTo(peerCidrs, networkKey(req.ref), acc.cidrs);
    appendTo(peerCidrs, networkKey(acc.ref), req.cidrs);
  });
  const undecided = new Set<string>();
  // Routes this plan adds per table (`network#table`), so that several new links never overfill one table.
  const adding = new Map<string, number>();
  const tableRoom = (c: Candidate) => routeRoom(index, c, adding);
  // A pending link into a seen network from an unseen governed one (a scope that did not read its side) is ranked
  // before any new link by a full view (live before new), which keeps room for its routes: a new link that fits only
  // in that room is left undecided here, never created first (issue 13: a scope reads no account a group only names).
  const pendingUnseen = new Map<string, number>();
  index.observation.peerings.forEach((p, i) => {
    const reqSeen = (peeringSides[i]! & REQUESTER_SEEN) !== 0;
    if (p.state !== 'requested' || reqSeen === ((peeringSides[i]! & ACCEPTER_SEEN) !== 0)) return;
    const unseen = reqSeen ? p.accepter : p.requester;
    if (!governed.get(unseen.cloud)?.has(unseen.account.toLowerCase())) return;
    const key = networkKey(reqSeen ? p.requester : p.accepter);
    pendingUnseen.set(
      key,
      (pendingUnseen.get(key) ?? 0) + ((reqSeen ? p.accepterCidrs : p.requesterCidrs)?.length ?? 1),
    );
  });
  const fitsOnlyInPendingRoom = (c: Candidate) =>
    !c.live &&
    [c.a, c.b].some((n) => (pendingUnseen.get(networkKey(n.ref)) ?? 0) > 0) &&
    routeRoom(index, c, new Map(adding), pendingUnseen) !== undefined &&
    routeRoom(index, c, new Map(adding)) === undefined;
  const atQuota = (n: Network) => (counts.get(networkKey(n.ref)) ?? 0) >= limitsFor(index, n.ref).peeringsPerNetwork;
  for (const c of all) {
    const ga = index.groupsOf.get(networkKey(c.a.ref)) ?? new Set<string>();
    const gb = index.groupsOf.get(networkKey(c.b.ref)) ?? new Set<string>();
    if (matchDeny(index.policy, ga, gb)) continue; // deny wins; an existing peering is handled as undesired
    const ka = networkKey(c.a.ref);
    const kb = networkKey(c.b.ref);
    const bad = unusableRange(c.a) ?? unusableRange(c.b);
    if (bad) {
      refused.push(refusal(c, bad, 'overlap'));
      continue;
    }
    const direct = findFirstOverlap(c.a.cidrs, c.b.cidrs);
    if (direct) {
      refused.push(
        refusal(
          c,
          `CIDR overlap: ${describeNetwork(index, c.a.ref)} ${direct[0]} overlaps ${describeNetwork(index, c.b.ref)} ${direct[1]}`,
          'overlap',
        ),
      );
      continue;
    }
    const viaA = findFirstOverlap(c.b.cidrs, peerCidrs.get(ka) ?? []);
    const viaB0 = viaA ? undefined : findFirstOverlap(c.a.cidrs, peerCidrs.get(kb) ?? []);
    if (
      c.active &&
      ((viaA && keptUnseen.get(ka)?.includes(viaA[1])) || (viaB0 && keptUnseen.get(kb)?.includes(viaB0[1])))
    ) {
      undecided.add(c.key);
      continue;
    }
    if (viaA) {
      refused.push(
        refusal(
          c,
          `${describeNetwork(index, c.b.ref)} ${viaA[0]} overlaps ${viaA[1]}, already routed from ${describeNetwork(index, c.a.ref)} to another peer`,
          'overlap',
        ),
      );
      continue;
    }
    const viaB = viaB0;
    if (viaB) {
      refused.push(
        refusal(
          c,
          `${describeNetwork(index, c.a.ref)} ${viaB[0]} overlaps ${viaB[1]}, already routed from ${describeNetwork(index, c.b.ref)} to another peer`,
          'overlap',
        ),
      );
      continue;
    }
    if (!c.active) {
      // A new or pending link must not fight a route someone else already sends elsewhere (DESIGN §5: reported,
      // not fought) — the same check a pending request gets, so a request that will be refused holds no slot.
      const routes = c.connection.routes;
      const inA = findRoutedOverlap(index, owned, c.a, routes, c.b.cidrs);
      const inB = inA ? undefined : findRoutedOverlap(index, owned, c.b, routes, c.a.cidrs);
      const hit = inA ?? inB;
      if (hit) {
        refused.push(
          refusal(
            c,
            `${hit.cidr} is already routed as ${hit.destination} in ${hit.table} of ${describeNetwork(index, (inA ? c.a : c.b).ref)}`,
            'overlap',
          ),
        );
        continue;
      }
    }
    if (
      findFirstOverlap(c.b.cidrs, unseenCidrs.get(ka) ?? []) ||
      findFirstOverlap(c.a.cidrs, unseenCidrs.get(kb) ?? [])
    ) {
      undecided.add(c.key);
      continue;
    }
    const full = atQuota(c.a) ? c.a : atQuota(c.b) ? c.b : undefined;
    if (full) {
      const limit = limitsFor(index, full.ref);
      refused.push(
        refusal(
          c,
          `quota: ${describeNetwork(index, full.ref)} already has ${limit.peeringsPerNetwork} peerings (${limit.label})`,
          'quota',
        ),
      );
      continue;
    }
    if (fitsOnlyInPendingRoom(c)) {
      undecided.add(c.key);
      continue;
    }
    const room = c.active ? undefined : tableRoom(c);
    if (room) {
      refused.push(refusal(c, room, 'quota'));
      continue;
    }
    counts.set(ka, (counts.get(ka) ?? 0) + 1);
    counts.set(kb, (counts.get(kb) ?? 0) + 1);
    appendTo(peerCidrs, ka, c.b.cidrs);
    appendTo(peerCidrs, kb, c.a.cidrs);
    const existing = c.existing;
    const aFirst = existing ? networkKey(existing.requester) === ka : isRequesterFirst(c.connection, ga, ka, kb);
    desired.push({
      key: c.key,
      connection: c.connection,
      requester: aFirst ? c.a : c.b,
      accepter: aFirst ? c.b : c.a,
      peerings: c.peerings,
    });
    desiredPairs.add(c.id);
  }
  return { desired, desiredPairs, refused, peerCidrs, owned, undecided };
}
