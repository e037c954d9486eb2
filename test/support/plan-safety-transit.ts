import type { Action, AttachmentAction, NetworkRef } from '../../shared/model';
import { isAttachmentAction, networkKey } from '../../shared/model';
import type { ApprovalState } from '../../shared/planner';
import { attachApprovalId } from '../../shared/planner/transit';
import type { Estate } from '../../shared/model';
import type { Policy } from '../../shared/policy/schema';
import { type DeclaredHub, rangesOverlap, TransitTruth } from './transit-truth';

/**
 * The transit rules a plan must keep (issue 17), judged from the world's truth: an attachment is created or accepted
 * only for a network in a transit connection's spokes group, with the approval its connection requires, never over a
 * range the hub routes (but its own attachment's) or a range the hub reaches in another cloud, never two overlapping
 * spokes on one hub in one plan; only requests are rejected; only peerkeeper's attachments are updated or deleted; a
 * route toward a hub is written only for a network actively attached to it; no hub route is ever written.
 */
export class TransitSafety {
  readonly truth: TransitTruth;

  constructor(policy: Policy, estate: Pick<Estate, 'networks' | 'transitHubs' | 'attachments'>) {
    this.truth = new TransitTruth(policy, estate);
  }

  check(actions: readonly Action[], decisions: ReadonlyMap<string, ApprovalState>): string[] {
    const out: string[] = [];
    const introduced: { hub: DeclaredHub; network: NetworkRef }[] = [];
    for (const a of actions) {
      if (isAttachmentAction(a)) this.checkAttachment(a, decisions, introduced, out);
      else if (a.action === 'create-route' || a.action === 'replace-route' || a.action === 'delete-route')
        this.checkRoute(a, out);
    }
    introduced.forEach((x, i) => {
      for (const y of introduced.slice(i + 1)) {
        if (x.hub !== y.hub || networkKey(x.network) === networkKey(y.network)) continue;
        const hit = rangesOverlap(this.ranges(x.network), this.ranges(y.network));
        if (hit)
          out.push(
            `attaches ${networkKey(x.network)} and ${networkKey(y.network)} to ${x.hub.name} in one plan: ${hit} overlap`,
          );
      }
    });
    return out;
  }

  private ranges(ref: NetworkRef): string[] {
    return this.truth.network(ref)?.cidrs ?? [];
  }

  private checkAttachment(
    a: AttachmentAction,
    decisions: ReadonlyMap<string, ApprovalState>,
    introduced: { hub: DeclaredHub; network: NetworkRef }[],
    out: string[],
  ): void {
    const what = `${a.action} ${a.target.id ?? 'new'} of ${networkKey(a.target.network)}`;
    const hub = this.truth.hubOf(a.target.hub);
    const seen = a.target.id === undefined ? undefined : this.truth.attachments.get(a.target.id);
    if (!hub) return void out.push(`${what}: ${a.target.hub.id} is no declared hub`);
    if (a.target.id !== undefined && !seen) return void out.push(`${what}: no such attachment`);
    switch (a.action) {
      case 'reject-attachment':
        // Refusing a request is peerkeeper's job whoever made it; anything else is not a request.
        if (seen?.state !== 'requested') out.push(`${what}: rejects an attachment that is ${seen?.state}`);
        return;
      case 'update-attachment':
      case 'delete-attachment':
        if (!TransitTruth.ours(seen)) out.push(`${what}: changes an attachment peerkeeper does not own`);
        if (a.action === 'update-attachment' && seen?.state !== 'active')
          out.push(`${what}: changes the routing of an attachment that is ${seen?.state}`);
        return;
      case 'create-attachment':
      case 'accept-attachment':
        break;
    }
    if (a.action === 'accept-attachment' && seen && seen.state !== 'requested')
      out.push(`${what}: accepts an attachment that is ${seen.state}`);
    // The accept of an attachment this plan creates is judged with the create.
    if (a.action === 'accept-attachment' && !seen) return;
    const wanting = this.truth.wanting(hub, a.target.network);
    if (wanting.length === 0) return void out.push(`${what}: the network is in no transit connection of ${hub.name}`);
    const decided = [a.target.id, attachApprovalId(networkKey(a.target.network), a.target.hub)].flatMap((k) =>
      k === undefined ? [] : [decisions.get(k)],
    );
    if (!wanting.some((c) => c.approval === 'auto') && !decided.includes('approved'))
      out.push(`${what}: attaches without the approval its connection requires`);
    if (decided.includes('rejected') && !decided.includes('approved'))
      out.push(`${what}: attaches what an approver rejected`);
    const ranges = this.ranges(a.target.network);
    for (const held of this.truth.hubRanges(hub, a.target.id)) {
      const hit = rangesOverlap(ranges, [held.range]);
      if (hit) out.push(`${what}: ${hit} overlap a range ${hub.name} routes (${held.to})`);
    }
    const reached = rangesOverlap(ranges, this.truth.reachedRanges(hub));
    if (reached) out.push(`${what}: ${reached} overlap a range ${hub.name} reaches in another cloud`);
    introduced.push({ hub, network: a.target.network });
  }

  private checkRoute(a: Extract<Action, { action: 'create-route' | 'replace-route' | 'delete-route' }>, out: string[]) {
    const what = `${a.action} ${a.target.routeTableId} ${a.target.destination}`;
    const hubTables = new Set(this.truth.hubs.flatMap((h) => (h.hub?.routeTables ?? []).map((t) => t.id)));
    if (this.truth.hubs.some((h) => h.hub && networkKey(h.hub.ref) === networkKey(a.target.network)))
      out.push(`${what}: writes a route of a transit hub`);
    if (hubTables.has(a.target.routeTableId)) out.push(`${what}: writes into hub route table ${a.target.routeTableId}`);
    if (a.action === 'delete-route' || a.after.kind !== 'other') return;
    const hub = this.truth.hubNamed(a.after.id);
    if (hub && !this.truth.activeOn(hub, a.target.network))
      out.push(`${what}: routes toward ${hub.name} from a network with no active attachment to it`);
  }
}
