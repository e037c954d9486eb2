import type { Action, Peering, PeeringHandle, PeeringOptions } from '../model';
import { MANAGED_TAG, CONNECTION_TAG, networkKey } from '../model';
import type { Connection } from '../policy/schema';
import { durationMs } from '../policy/schema';
import type { DesiredPeering, desirePeerings } from './desired-peerings';
import type { EstateIndex } from './estate-index';
import { describeNetwork, groupsOfRef, observedNetwork, peeringPairKey } from './estate-index';
import { matchConnection } from './connections';
import type { RouteIntent } from './intents';
import { keptOutsideLink, planPeeringRequest } from './request';
import { linkOptions } from './stack-type';
import type { ApprovalState, RequestContext, RequestDecision } from './request';

/** Inputs besides the estate that peering decisions depend on. */
export interface PeeringPlanContext {
  now: Date;
  /** Where approvals stand, by peering id. */
  decisions: ReadonlyMap<string, ApprovalState>;
  /** Links a route-table scope restores from the near side alone (see near-side.ts); empty for other scopes. */
  nearSide?: ReadonlyMap<string, Connection>;
}

const isManaged = (p: Peering): boolean => p.tags[MANAGED_TAG] === 'true';
const handleOf = (p: Peering): PeeringHandle => ({ id: p.id, requester: p.requester, accepter: p.accepter });

function optionDrift(want: PeeringOptions, have: PeeringOptions): PeeringOptions | undefined {
  const keys = (Object.keys(want) as (keyof PeeringOptions)[]).filter(
    (k) => want[k] !== undefined && have[k] !== want[k],
  );
  return keys.length === 0 ? undefined : Object.fromEntries(keys.map((k) => [k, want[k]]));
}

export function approvalExpiry(index: EstateIndex, now: Date, cloudExpiry: string | undefined): string {
  const ttl = now.getTime() + durationMs(index.policy.approvals.ttl);
  // Close the approval an hour before the cloud itself expires the request (AWS: 7 days).
  const cap = cloudExpiry ? Date.parse(cloudExpiry) - 3_600_000 : Infinity;
  return new Date(Math.min(ttl, cap)).toISOString();
}

/** The observed sides of a peering with the ranges each must route to the other. */
function intentFor(index: EstateIndex, connection: Connection, handle: PeeringHandle, peering?: Peering): RouteIntent {
  const req = observedNetwork(index, handle.requester);
  const acc = observedNetwork(index, handle.accepter);
  const reqCidrs = req?.cidrs ?? peering?.requesterCidrs ?? [];
  const accCidrs = acc?.cidrs ?? peering?.accepterCidrs ?? [];
  const sides: RouteIntent['sides'] = [];
  if (req)
    sides.push({
      network: req,
      peer: handle.accepter,
      peerCidrs: accCidrs,
      peerNetwork: acc,
    });
  if (acc)
    sides.push({
      network: acc,
      peer: handle.requester,
      peerCidrs: reqCidrs,
      peerNetwork: req,
    });
  return { connection, handle, sides };
}

/** The tags that mark a peering as peerkeeper's, for the connection it serves. */
function ownTags(connection: string): Record<string, string> {
  return { [MANAGED_TAG]: 'true', [CONNECTION_TAG]: connection };
}

/** Plans a pending request: accept, ask, reject, defer or leave it; returns the decision. */
function planRequest(
  index: EstateIndex,
  p: Peering,
  ctx: PeeringPlanContext,
  extra: Omit<RequestContext, 'now' | 'decision'>,
  out: Action[],
  intents: RouteIntent[],
): RequestDecision {
  const decision = ctx.decisions.get(p.id);
  const d = planPeeringRequest(index, p, { now: ctx.now, ...(decision ? { decision } : {}), ...extra });
  const connection = d.connection?.name;
  const base = { cloud: p.cloud, target: handleOf(p), reason: d.reason, ...(connection ? { connection } : {}) };
  switch (d.verdict) {
    case 'accept': {
      // A request of our own from an earlier run: the accepter's side gets our tags too.
      const ours = d.connection && isManaged(p) ? { tags: ownTags(d.connection.name) } : {};
      const options = linkOptions(
        d.connection?.options ?? {},
        p.cloud,
        observedNetwork(index, p.requester),
        observedNetwork(index, p.accepter),
      );
      out.push({ ...base, action: 'accept-peering', after: { options, ...ours } });
      if (d.connection) intents.push(intentFor(index, d.connection, handleOf(p), p));
      return d;
    }
    case 'chat':
      out.push({ ...base, action: 'request-approval', expiresAt: approvalExpiry(index, ctx.now, p.expiresAt) });
      return d;
    case 'reject':
      out.push({ ...base, action: 'reject-peering' });
      return d;
    case 'defer':
      out.push({
        ...base,
        action: 'report',
        severity: decision === 'pending' ? 'info' : 'warning',
        target: { subject: p.id, networks: [p.requester, p.accepter] },
      });
      return d;
    case 'ignore':
      return d;
  }
}

/** Plans one pair the policy wants. */
function planDesired(
  index: EstateIndex,
  d: DesiredPeering,
  ctx: PeeringPlanContext,
  owned: ReadonlySet<string>,
  out: Action[],
  intents: RouteIntent[],
): void {
  const c = d.connection;
  const list = d.peerings;
  const live = list.find((p) => p.state === 'active') ?? list.find((p) => p.state === 'requested');
  const options = linkOptions(
    c.options,
    d.requester.ref.cloud,
    observedNetwork(index, d.requester.ref),
    observedNetwork(index, d.accepter.ref),
  );
  if (live?.state === 'active') {
    const drift = optionDrift(options, live.options);
    if (drift || live.needsSync) {
      const reason = drift
        ? `${c.name}: peering options drifted (${Object.keys(drift).join(', ')})`
        : `${c.name}: address space changed; sync the peering`;
      if (drift && index.policy.drift.peerings === 'report')
        out.push({
          action: 'report',
          cloud: live.cloud,
          connection: c.name,
          severity: 'warning',
          target: { subject: live.id, networks: [live.requester, live.accepter] },
          reason,
        });
      else
        out.push({
          action: 'update-peering',
          cloud: live.cloud,
          connection: c.name,
          target: handleOf(live),
          before: live.options,
          after: { ...live.options, ...(drift ?? {}) },
          ...(live.needsSync ? { sync: true } : {}),
          reason,
        });
    }
    intents.push(intentFor(index, c, handleOf(live), live));
    return;
  }
  if (live) {
    planRequest(index, live, ctx, { ownedPeeringIds: owned }, out, intents);
    return;
  }
  const previous = list.find(isManaged);
  if (previous && index.policy.drift.peerings === 'report') {
    out.push({
      action: 'report',
      cloud: previous.cloud,
      connection: c.name,
      severity: 'warning',
      target: { subject: previous.id, networks: [previous.requester, previous.accepter] },
      reason: `${c.name}: managed peering ${previous.id} is ${previous.state}; drift.peerings is report`,
    });
    return;
  }
  const handle: PeeringHandle = { requester: d.requester.ref, accepter: d.accepter.ref };
  const cloud = d.requester.ref.cloud;
  const names = `${describeNetwork(index, d.requester.ref)} ⇄ ${describeNetwork(index, d.accepter.ref)}`;
  const why = previous
    ? `${c.name}: recreate ${names}; managed peering ${previous.id} is ${previous.state}`
    : `${c.name}: ${c.topology} wants ${names}`;
  out.push({
    action: 'create-peering',
    cloud,
    connection: c.name,
    target: handle,
    after: { options, tags: ownTags(c.name) },
    ...(previous ? { replaces: previous.id } : {}),
    reason: why,
  });
  if (c.approval === 'chat') {
    out.push({
      action: 'request-approval',
      cloud,
      connection: c.name,
      target: handle,
      expiresAt: approvalExpiry(index, ctx.now, undefined),
      reason: `${c.name}: connection needs human approval`,
    });
    return;
  }
  out.push({
    action: 'accept-peering',
    cloud,
    connection: c.name,
    target: handle,
    after: { options, tags: ownTags(c.name) },
    reason: `${c.name}: accept the peering peerkeeper requested`,
  });
  intents.push(intentFor(index, c, handle));
}

/**
 * Plans a live peering no desired pair covers: an incoming request, a partner link, or one to remove or report.
 * Returns the decision when it was judged as a request.
 */
function planUndesired(
  index: EstateIndex,
  p: Peering,
  ctx: PeeringPlanContext,
  extra: Omit<RequestContext, 'now' | 'decision'>,
  out: Action[],
  intents: RouteIntent[],
): RequestDecision | undefined {
  const reqSeen = observedNetwork(index, p.requester) !== undefined;
  const accSeen = observedNetwork(index, p.accepter) !== undefined;
  if (p.state === 'requested' && accSeen) return planRequest(index, p, ctx, extra, out, intents);
  // A link with a network we cannot see (a partner): keep it (and its routes) while the policy would still accept it.
  const link = keptOutsideLink(index, p);
  if (link) {
    intents.push(intentFor(index, link, handleOf(p), p));
    return undefined;
  }
  // Ours by its own tags, far side unseen in a route-table scope: its routes here may be restored, nothing else.
  const restored = ctx.nearSide?.get(p.id);
  if (restored) {
    intents.push({ ...intentFor(index, restored, handleOf(p), p), restoreOnly: true });
    return undefined;
  }
  const bothSeen = reqSeen && accSeen;
  if (isManaged(p) && (bothSeen || p.state === 'requested')) {
    const reason = `no connection in the policy wants ${describeNetwork(index, p.requester)} ⇄ ${describeNetwork(index, p.accepter)} any more`;
    if (index.policy.drift.peerings === 'revert' && bothSeen)
      out.push({ action: 'delete-peering', cloud: p.cloud, target: handleOf(p), before: p, reason });
    else
      out.push({
        action: 'report',
        cloud: p.cloud,
        severity: 'warning',
        target: { subject: p.id, networks: [p.requester, p.accepter] },
        reason,
      });
    return undefined;
  }
  if (p.state === 'active' && index.policy.drift.unknownPeerings === 'report') {
    out.push({
      action: 'report',
      cloud: p.cloud,
      severity: 'info',
      target: { subject: p.id, networks: [p.requester, p.accepter] },
      reason: `unmanaged peering ${describeNetwork(index, p.requester)} ⇄ ${describeNetwork(index, p.accepter)} is not in the policy; left alone`,
    });
  }
  return undefined;
}

/**
 * The order requests are judged in, so that of two requests that would route overlapping ranges into one network
 * the same one always wins: the policy's connection order, then the oldest request (AWS: the earliest expiry is
 * the earliest created), then the id.
 */
function requestOrder(index: EstateIndex): (p: Peering, q: Peering) => number {
  const rank = new Map<string, number>();
  const orderOf = (p: Peering) => {
    let r = rank.get(p.id);
    if (r === undefined) {
      const c = matchConnection(index.policy, groupsOfRef(index, p.requester), groupsOfRef(index, p.accepter));
      rank.set(p.id, (r = c ? index.policy.connections.indexOf(c) : index.policy.connections.length));
    }
    return r;
  };
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return (p, q) =>
    orderOf(p) - orderOf(q) || text(p.expiresAt ?? '\uffff', q.expiresAt ?? '\uffff') || text(p.id, q.id);
}

/** A decision that takes the requester's ranges into the accepter: accepted, asked about, or awaiting its answer. */
function claimsRanges(d: RequestDecision | undefined): boolean {
  return (
    d !== undefined &&
    (d.verdict === 'accept' || d.verdict === 'chat' || (d.verdict === 'defer' && d.reason.startsWith('awaiting')))
  );
}

/** Peering actions (create, accept, reject, update, delete, approvals) and the route intents they imply. */
export function planPeerings(
  index: EstateIndex,
  wants: ReturnType<typeof desirePeerings>,
  ctx: PeeringPlanContext,
): { actions: Action[]; intents: RouteIntent[]; undecidedPeeringIds: Set<string> } {
  const { desired, desiredPairs, refused, peerCidrs, owned, undecided } = wants;
  const actions: Action[] = [];
  const intents: RouteIntent[] = [];
  const refusedByKey = new Map(refused.map((r) => [r.key, r]));
  for (const d of desired) planDesired(index, d, ctx, owned, actions, intents);
  // Requests are judged against each other too: a request takes its ranges into the accepter, and a later
  // overlapping one is refused in the same plan (never two links routing one range into one network).
  const claimed = new Map<string, string[]>();
  const others = index.observation.peerings
    .filter((p, i) => {
      if (p.state !== 'active' && p.state !== 'requested') return false;
      // A desired pair has both sides observed: its peerings carry its `pairId`.
      const pair = index.peeringPairIds[i]!;
      return !(pair >= 0 && desiredPairs.has(pair)) && !undecided.has(peeringPairKey(p));
    })
    .sort(requestOrder(index));
  for (const p of others) {
    const accepter = networkKey(p.accepter);
    const refusal = refusedByKey.get(peeringPairKey(p));
    const plannedPeerCidrs = [...(peerCidrs.get(accepter) ?? []), ...(claimed.get(accepter) ?? [])];
    const d = planUndesired(
      index,
      p,
      ctx,
      { ...(refusal ? { refusal } : {}), ownedPeeringIds: owned, plannedPeerCidrs },
      actions,
      intents,
    );
    if (claimsRanges(d))
      claimed.set(accepter, [
        ...(claimed.get(accepter) ?? []),
        ...(observedNetwork(index, p.requester)?.cidrs ?? p.requesterCidrs ?? []),
      ]);
  }
  for (const r of refused) {
    if ((index.peeringsByPair.get(r.key) ?? []).some((p) => p.state === 'active' || p.state === 'requested')) continue;
    actions.push({
      action: 'report',
      cloud: r.a.ref.cloud,
      connection: r.connection.name,
      severity: 'warning',
      target: { subject: `${networkKey(r.a.ref)} ⇄ ${networkKey(r.b.ref)}`, networks: [r.a.ref, r.b.ref] },
      reason: `${r.connection.name}: not peered: ${r.reason}`,
    });
  }
  const undecidedPeeringIds = new Set(
    [...undecided].flatMap((key) => (index.peeringsByPair.get(key) ?? []).map((p) => p.id)),
  );
  return { actions, intents, undecidedPeeringIds };
}
