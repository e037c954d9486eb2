import type { Action, Attachment, AttachmentHandle, Network } from '../../model';
import { CONNECTION_TAG, MANAGED_TAG, networkKey } from '../../model';
import type { TransitConnection } from '../connections';
import type { EstateIndex } from '../estate-index';
import { describeNetwork, observedNetwork } from '../estate-index';
import type { ApprovalState } from '../request';
import { approvalExpiry } from '../peerings';
import { attachRefusal, hubClaims, spokeClaims } from './claims';
import type { RangeClaim } from './claims';
import { reachClaims } from './reach';
import type { HubView } from './hubs';
import {
  attachApprovalId,
  connectionsOfHub,
  declaredRouting,
  liveAttachmentOf,
  observedRouting,
  routingMatches,
} from './hubs';

/** A spoke attached (or being attached) to a hub by a connection: what its routes toward the hub depend on. */
export interface TransitSpoke {
  network: Network;
  connection: TransitConnection;
  view: HubView;
  /** The observed attachment, when one is active: routes are written only through an active attachment. */
  active?: Attachment;
}

export interface TransitPlanContext {
  now: Date;
  decisions: ReadonlyMap<string, ApprovalState>;
}

const ownTags = (connection: string) => ({ [MANAGED_TAG]: 'true', [CONNECTION_TAG]: connection });
const isOurs = (a: Attachment) => a.tags[MANAGED_TAG] === 'true';

interface Candidate {
  network: Network;
  connection: TransitConnection;
  attachment?: Attachment;
}

/** Spokes of a hub's connections, first connection first; active attachments hold their ranges, then requests, then new. */
function candidatesOf(index: EstateIndex, view: HubView): Candidate[] {
  const seen = new Map<string, Candidate>();
  for (const connection of connectionsOfHub(index.policy, view.name)) {
    for (const network of index.members.get(connection.spokes) ?? []) {
      const key = networkKey(network.ref);
      if (network.ref.cloud !== view.decl.cloud || seen.has(key)) continue;
      const attachment = liveAttachmentOf(view, key);
      seen.set(key, { network, connection, ...(attachment ? { attachment } : {}) });
    }
  }
  const rank = (c: Candidate) => (c.attachment?.state === 'active' ? 0 : c.attachment ? 1 : 2);
  return [...seen.values()].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.attachment?.id ?? '').localeCompare(b.attachment?.id ?? '') ||
      networkKey(a.network.ref).localeCompare(networkKey(b.network.ref)),
  );
}

/**
 * Plans the transit links of every declared hub: attach declared spokes, decide pending attachments (accept, ask,
 * reject), keep our attachments' association and propagation as declared, refuse overlaps with everything the hub
 * already routes, and never touch an attachment peerkeeper does not own (issue 17).
 */
export function planTransitLinks(
  index: EstateIndex,
  views: readonly HubView[],
  ctx: TransitPlanContext,
): { actions: Action[]; spokes: TransitSpoke[] } {
  const actions: Action[] = [];
  const spokes: TransitSpoke[] = [];
  for (const view of views) {
    if (connectionsOfHub(index.policy, view.name).length === 0) continue;
    if (!view.observed) {
      actions.push(report(view, `transit hub ${view.name} (${view.decl.id}) was not found in ${view.decl.account}`));
      continue;
    }
    const claims: RangeClaim[] = [...hubClaims(view), ...reachClaims(index, view)];
    const admitted: Network[] = [];
    const judged = new Set<string>();
    for (const c of candidatesOf(index, view)) {
      if (c.attachment) judged.add(c.attachment.id);
      const refusal = attachRefusal(index, c.network, claims, c.attachment?.id, admitted);
      const spoke = planSpoke(index, view, c, refusal, ctx, actions);
      if (refusal && c.attachment?.state !== 'active') continue;
      admitted.push(c.network);
      claims.push(...spokeClaims(index, c.network));
      if (spoke) spokes.push(spoke);
    }
    planStrangers(index, view, judged, actions);
  }
  return { actions, spokes };
}

function report(
  view: HubView,
  reason: string,
  networks = [view.ref],
  severity: 'info' | 'warning' | 'error' = 'error',
) {
  return {
    action: 'report' as const,
    cloud: view.ref.cloud,
    severity,
    target: { subject: view.ref.id, networks },
    reason,
  };
}

/** One candidate spoke: returns it when it is (or is becoming) attached. */
function planSpoke(
  index: EstateIndex,
  view: HubView,
  c: Candidate,
  refusal: string | undefined,
  ctx: TransitPlanContext,
  out: Action[],
): TransitSpoke | undefined {
  const { network, connection, attachment } = c;
  const name = describeNetwork(index, network.ref);
  const base = { cloud: view.ref.cloud, connection: connection.name };
  const handle: AttachmentHandle = {
    ...(attachment ? { id: attachment.id } : {}),
    hub: view.ref,
    network: network.ref,
  };
  const routing = declaredRouting(view.decl, connection);
  if (attachment?.state === 'active') {
    if (refusal)
      out.push({
        ...report(view, `${connection.name}: ${refusal}; attached already, left in place`, [network.ref], 'warning'),
        ...base,
      });
    const have = observedRouting(attachment);
    if (!routingMatches(routing, have, view.ref.cloud)) {
      const why = `${connection.name}: ${attachment.id} of ${name} is associated with ${have.association ?? 'nothing'} and propagates to [${have.propagations.join(', ')}]; declared ${routing.association} and [${routing.propagations.join(', ')}]`;
      if (isOurs(attachment) && index.policy.drift.peerings === 'revert')
        out.push({ ...base, action: 'update-attachment', target: handle, before: have, after: routing, reason: why });
      else
        out.push({
          ...report(
            view,
            `${why}; ${isOurs(attachment) ? 'drift is reported only' : "not peerkeeper's: left alone"}`,
            [network.ref],
            'warning',
          ),
          ...base,
        });
    }
    return { network, connection, view, active: attachment };
  }
  if (refusal) {
    if (attachment?.state === 'requested')
      out.push({ ...base, action: 'reject-attachment', target: handle, reason: `${connection.name}: ${refusal}` });
    else if (!attachment)
      out.push({ ...report(view, `${connection.name}: not attaching: ${refusal}`, [network.ref], 'warning'), ...base });
    return undefined;
  }
  if (attachment?.state === 'pending') return { network, connection, view };
  const decision =
    (attachment ? ctx.decisions.get(attachment.id) : undefined) ??
    ctx.decisions.get(attachApprovalId(networkKey(network.ref), view.ref));
  // An approver's rejection wins over approval: auto, as for peerings (request.ts): the record outlives a policy change.
  const approved = decision !== 'rejected' && (connection.approval === 'auto' || decision === 'approved');
  if (!approved) {
    if (decision === 'rejected') {
      if (attachment)
        out.push({
          ...base,
          action: 'reject-attachment',
          target: handle,
          reason: `${connection.name}: an approver rejected ${name}`,
        });
      return undefined;
    }
    if (decision === 'pending') {
      out.push({
        ...report(view, `${connection.name}: attaching ${name} waits for an approver`, [network.ref], 'info'),
        ...base,
      });
      return undefined;
    }
    out.push({
      ...base,
      action: 'request-approval',
      link: 'attachment',
      target: {
        id: attachment?.id ?? attachApprovalId(networkKey(network.ref), view.ref),
        requester: network.ref,
        accepter: view.ref,
      },
      expiresAt: approvalExpiry(index, ctx.now, undefined),
      reason: `${connection.name}: attaching ${name} to ${view.name} needs human approval`,
    });
    return undefined;
  }
  const accept = {
    ...base,
    action: 'accept-attachment' as const,
    target: handle,
    after: { routing, tags: ownTags(connection.name) },
    reason: `${connection.name}: accept ${name} on ${view.name}`,
  };
  if (attachment) {
    out.push(accept);
    return { network, connection, view };
  }
  out.push({
    ...base,
    action: 'create-attachment',
    target: handle,
    after: {
      routing,
      tags: ownTags(connection.name),
      ...(view.ref.cloud === 'aws' ? { subnets: connection.attachment?.subnets ?? 'first-per-az' } : {}),
    },
    reason: `${connection.name}: hub-spoke via transit wants ${name} attached to ${view.name} (${view.decl.id})`,
  });
  // The hub's owner creates Azure connections itself; AWS and NCC make another account's attachment wait for it.
  if (view.ref.cloud !== 'azure' && network.ref.account !== view.ref.account) out.push(accept);
  return { network, connection, view };
}

/** Pending attachments from networks no transit connection of the hub names: the policy's unmatchedRequests decides. */
function planStrangers(index: EstateIndex, view: HubView, judged: ReadonlySet<string>, out: Action[]): void {
  for (const a of view.attachments) {
    if (judged.has(a.id)) continue;
    if (a.state === 'active' && isOurs(a)) {
      const why = `${a.id} of ${a.network.id} (${a.network.account}) is peerkeeper's but no transit connection of ${view.name} wants it any more; left in place`;
      out.push(report(view, why, [a.network], 'warning'));
      continue;
    }
    if (a.state !== 'requested') continue;
    const seen = observedNetwork(index, a.network);
    const who = seen ? describeNetwork(index, a.network) : `${a.network.id} in ${a.network.account}`;
    const reason = `${who} is in no transit connection of ${view.name}`;
    const handle = { id: a.id, hub: view.ref, network: a.network };
    switch (index.policy.unmatchedRequests) {
      case 'reject':
        out.push({ action: 'reject-attachment', cloud: a.cloud, target: handle, reason });
        break;
      case 'chat':
        out.push({ ...report(view, `${reason}; ask an approver to add it to the policy`, [a.network], 'warning') });
        break;
      case 'ignore':
        break;
    }
  }
}
