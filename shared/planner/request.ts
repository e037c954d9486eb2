import { findFirstOverlap, tryParseCidr } from '../cidr';
import type { Network, Peering } from '../model';
import { listedAccounts } from '../policy/groups';
import type { Connection } from '../policy/schema';
import { matchConnection, matchDeny } from './connections';
import type { EstateIndex } from './estate-index';
import { describeNetwork, groupsOfRef, observedNetwork, selectTables } from './estate-index';
import type { RefusedPair } from './desired-peerings';
import { isWholeSpace, routeMayCover } from './obstacles';

/** Where a human approval stands: decided, still waiting, or closed unanswered. */
export type ApprovalState = 'approved' | 'rejected' | 'pending' | 'expired';

/**
 * The first range of `cidrs` that overlaps a destination already routed in the network's managed tables
 * by something peerkeeper does not manage (the local route and default routes never compete with a peering
 * route; routes through peerkeeper's own peerings are planned, not obstacles — the plan's own peers are checked
 * separately; routes through a peering that no longer exists are stale, cleaned up by the route planner). A
 * destination that is not a range (a prefix list) is an obstacle for every range it may cover.
 */
export function findRoutedOverlap(
  index: EstateIndex,
  owned: ReadonlySet<string>,
  network: Network,
  routes: Connection['routes'],
  cidrs: readonly string[],
  through?: string,
): { cidr: string; destination: string; table: string } | undefined {
  // The UDR peerkeeper itself writes for this connection (Azure, via the appliance) is ours, not an obstacle.
  const ownHop = routes.azureNextHop ? `VirtualAppliance:${routes.azureNextHop}` : undefined;
  for (const table of selectTables(network, routes.tables)) {
    for (const route of table.routes) {
      if (route.target.kind === 'other' && route.target.id === ownHop) continue;
      if (route.origin === 'system') continue;
      if (tryParseCidr(route.destination)?.prefix === 0) continue;
      if (
        route.target.kind === 'peering' &&
        (owned.has(route.target.peeringId) ||
          route.target.peeringId === through ||
          !index.livePeeringIds.has(route.target.peeringId))
      )
        continue;
      const hit = cidrs.find((c) => routeMayCover(route, c));
      if (hit) return { cidr: hit, destination: route.destination, table: table.id };
    }
  }
  return undefined;
}

/** What to do with a peering request, and why. `defer` leaves it pending (e.g. quota) and says so. */
export interface RequestDecision {
  verdict: 'accept' | 'chat' | 'reject' | 'ignore' | 'defer';
  reason: string;
  connection?: Connection;
}

/** Context a request decision may depend on besides the estate. */
export interface RequestContext {
  now: Date;
  /** Where the approval for this peering stands, when one was requested. */
  decision?: ApprovalState;
  /** The desire phase refused this pair (overlap with another peer, quota). */
  refusal?: RefusedPair;
  /** Peerings peerkeeper manages (created, or wanted by the policy); routes through them are plans, not obstacles. */
  ownedPeeringIds?: ReadonlySet<string>;
  /** Ranges of the peers the policy gives the accepter in this plan: a request may not overlap them either. */
  plannedPeerCidrs?: readonly string[];
}

/**
 * Decides an incoming peering request: never accept from an unlisted account, never across a deny rule,
 * never with overlapping CIDRs (with the peer, or with destinations already routed in the accepter's
 * managed tables), never past a quota; chat when the connection asks for a human.
 */
export function planPeeringRequest(index: EstateIndex, peering: Peering, context: RequestContext): RequestDecision {
  const { policy } = index;
  if (peering.state !== 'requested')
    return { verdict: 'ignore', reason: `peering is ${peering.state}, not a pending request` };
  if (peering.expiresAt && Date.parse(peering.expiresAt) <= context.now.getTime())
    return { verdict: 'ignore', reason: `request expired at ${peering.expiresAt}` };
  const accepter = observedNetwork(index, peering.accepter);
  if (!accepter) return { verdict: 'ignore', reason: 'the accepter is not a network peerkeeper observes' };
  const requester = observedNetwork(index, peering.requester);
  const from = describeNetwork(index, peering.requester);
  const account = peering.cloud === 'azure' ? peering.requester.account.toLowerCase() : peering.requester.account;
  if (!requester && !listedAccounts(policy, peering.cloud).has(account)) {
    return {
      verdict: 'reject',
      reason: `request from ${from}: account ${peering.requester.account} is not listed in the policy`,
    };
  }
  const reqGroups = groupsOfRef(index, peering.requester);
  const accGroups = groupsOfRef(index, peering.accepter);
  const deny = matchDeny(policy, reqGroups, accGroups);
  if (deny) return { verdict: 'reject', reason: `denied by policy: ${deny.reason}` };
  const connection = matchConnection(policy, reqGroups, accGroups);
  if (!connection) {
    const why = `no connection in the policy joins ${from} and ${describeNetwork(index, peering.accepter)}`;
    if (policy.unmatchedRequests === 'ignore') return { verdict: 'ignore', reason: why };
    if (policy.unmatchedRequests === 'reject') return { verdict: 'reject', reason: why };
  }
  const cidrs = requester?.cidrs ?? peering.requesterCidrs;
  if (!cidrs || cidrs.length === 0)
    return { verdict: 'reject', reason: `the CIDRs of ${from} are unknown, so overlap cannot be ruled out` };
  const unreadable = cidrs.find((c) => tryParseCidr(c) === undefined);
  if (unreadable)
    return {
      verdict: 'reject',
      reason: `requester range ${JSON.stringify(unreadable)} is not a CIDR, so overlap cannot be ruled out`,
    };
  const whole = cidrs.find(isWholeSpace);
  if (whole)
    return {
      verdict: 'reject',
      reason: `requester announces ${whole}, the whole address space: it would take over the default route`,
    };
  const direct = findFirstOverlap(cidrs, accepter.cidrs);
  if (direct)
    return { verdict: 'reject', reason: `CIDR overlap: requester ${direct[0]} overlaps accepter ${direct[1]}` };
  const routed = findRoutedOverlap(
    index,
    context.ownedPeeringIds ?? index.managedPeeringIds,
    accepter,
    connection?.routes ?? { tables: 'all' },
    cidrs,
    peering.id,
  );
  if (routed)
    return {
      verdict: 'reject',
      reason: `requester ${routed.cidr} overlaps ${routed.destination}, already routed in ${routed.table}`,
    };
  const planned = findFirstOverlap(cidrs, context.plannedPeerCidrs ?? []);
  if (planned)
    return {
      verdict: 'reject',
      reason: `requester ${planned[0]} overlaps ${planned[1]}, which this plan routes from the accepter to another peer`,
    };
  if (context.refusal)
    return { verdict: context.refusal.kind === 'quota' ? 'defer' : 'reject', reason: context.refusal.reason };
  if (context.decision === 'rejected')
    return { verdict: 'reject', reason: 'rejected by an approver', ...(connection ? { connection } : {}) };
  if (context.decision === 'approved')
    return {
      verdict: 'accept',
      reason: `approved by an approver${connection ? ` (${connection.name})` : ''}`,
      ...(connection ? { connection } : {}),
    };
  if (context.decision === 'pending')
    return { verdict: 'defer', reason: 'awaiting a human decision in chat', ...(connection ? { connection } : {}) };
  if (context.decision === 'expired')
    return {
      verdict: 'defer',
      reason: 'the approval expired unanswered; the request is left pending until the cloud expires it',
      ...(connection ? { connection } : {}),
    };
  if (!connection) return { verdict: 'chat', reason: `unmatched request from ${from}; the policy asks a human` };
  if (connection.approval === 'chat')
    return {
      verdict: 'chat',
      reason: `${connection.name}: ${connection.topology} connection needs human approval`,
      connection,
    };
  return {
    verdict: 'accept',
    reason: `${connection.name}: ${connection.topology} connection allows ${from}`,
    connection,
  };
}

/**
 * Whether the policy still accepts an active link with a network this observation cannot see (a partner, or a
 * governed account outside a scoped reconcile): judged as if its unseen side were asking again. Undefined when not.
 */
export function keptOutsideLink(index: EstateIndex, p: Peering): Connection | undefined {
  const reqSeen = observedNetwork(index, p.requester) !== undefined;
  const accSeen = observedNetwork(index, p.accepter) !== undefined;
  if (p.state !== 'active' || reqSeen === accSeen) return undefined;
  const asRequest = reqSeen
    ? {
        ...p,
        requester: p.accepter,
        accepter: p.requester,
        requesterCidrs: p.accepterCidrs,
        accepterCidrs: p.requesterCidrs,
      }
    : p;
  // No expiry applies to an active link, so the time passed in does not matter.
  const d = planPeeringRequest(index, { ...asRequest, state: 'requested', expiresAt: undefined }, { now: new Date(0) });
  return d.connection && (d.verdict === 'accept' || d.verdict === 'chat') ? d.connection : undefined;
}
