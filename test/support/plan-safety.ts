import { cidrContains, cidrsOverlap, tryParseCidr } from '../../shared/cidr';
import type {
  Action,
  Cloud,
  Network,
  NetworkRef,
  Peering,
  PeeringHandle,
  Plan,
  Route,
  RouteTable,
} from '../../shared/model';
import { isMutating, networkKey } from '../../shared/model';
import type { ApprovalState } from '../../shared/planner';
import { listedAccounts } from '../../shared/policy';
import { PolicyOracle } from '../chaos/oracle';
import { TransitSafety } from './plan-safety-transit';
import type { PeeringRole, RealWorld } from './real-world-estate';

/** Routes per table by default (DESIGN §3; the policies the generator writes set no other limit). */
const ROUTES_PER_TABLE: Readonly<Record<Cloud, number>> = { aws: 50, azure: 400, gcp: 250 };

/** What makes two actions the same for the oracle: kind, cloud, target, before and after — never the reason. */
export function actionKey(a: Action): string {
  const { action, cloud, target } = a;
  return JSON.stringify({
    action,
    cloud,
    target,
    before: 'before' in a ? a.before : undefined,
    after: 'after' in a ? a.after : undefined,
  });
}

/** Roles whose live peerings are links peerkeeper keeps and routes (their ranges compete with new links). */
const KEPT: ReadonlySet<PeeringRole | undefined> = new Set(['managed', 'wanted-untagged', 'partner-link']);
/** Roles a plan may delete: only what peerkeeper created (tagged). */
const DELETABLE: ReadonlySet<PeeringRole | undefined> = new Set(['managed', 'dead-managed']);
/** Roles a plan may change the options of. */
const UPDATABLE: ReadonlySet<PeeringRole | undefined> = new Set(['managed', 'wanted-untagged', 'partner-link']);

const isWholeSpace = (cidr: string) => tryParseCidr(cidr)?.prefix === 0;
const isV6 = (cidr: string) => tryParseCidr(cidr)?.version === 6;

/**
 * Judges plans against a generated world's ground truth, independently of the planner: ownership comes from how
 * the generator built each peering and route, overlap from the true ranges (prefix lists included).
 */
export class PlanSafety {
  private readonly networks: Map<string, Network>;
  private readonly peerings: Map<string, Peering>;
  private readonly oracle: PolicyOracle;
  /** The Azure UDR next hops peerkeeper itself writes (`VirtualAppliance:<azureNextHop>`): routes through them are its own. */
  private readonly ownHops: Set<string>;
  private readonly transit: TransitSafety;

  constructor(private readonly world: RealWorld) {
    this.networks = new Map(world.estate.networks.map((n) => [networkKey(n.ref), n]));
    this.peerings = new Map(world.estate.peerings.map((p) => [p.id, p]));
    this.oracle = new PolicyOracle(world.policy, world.estate);
    this.transit = new TransitSafety(world.policy, world.estate);
    // Routes toward a declared transit hub are the transit planner's own (issue 17), like routes through its appliance.
    this.ownHops = new Set([
      ...world.policy.connections.flatMap((c) =>
        c.routes.azureNextHop ? [`VirtualAppliance:${c.routes.azureNextHop}`] : [],
      ),
      ...this.transit.truth.hubs.flatMap((h) => [h.decl.id, ...(h.hub ? [h.hub.ref.id] : [])]),
    ]);
  }

  private role(id: string | undefined): PeeringRole | undefined {
    return id === undefined ? undefined : (this.world.truth.roles.get(id) ?? 'vanished');
  }

  private ranges(ref: NetworkRef): string[] {
    return this.world.truth.ranges.get(networkKey(ref)) ?? [];
  }

  /** The ranges a route's destination really covers: a CIDR, or what its prefix list holds (unknown = everything). */
  private destinationRanges(route: Route): string[] {
    if (tryParseCidr(route.destination)) return [route.destination];
    return this.world.truth.prefixLists.get(route.destination) ?? ['0.0.0.0/0', '::/0'];
  }

  /** Routes peerkeeper never owns: every non-peering next hop but its own appliance, and routes through live peerings nobody gave it. */
  private unmanaged(route: Route): boolean {
    return route.target.kind === 'other'
      ? !this.ownHops.has(route.target.id)
      : this.role(route.target.peeringId) === 'foreign';
  }

  /**
   * A managed range pointed at a NAT, internet or egress-only gateway (Azure: Internet, None) carries none of the
   * peer's traffic: drift, which peerkeeper puts back (DESIGN §5). Every other next hop is someone's design.
   */
  private static isDrift(route: Route): boolean {
    return (
      route.target.kind === 'other' &&
      (/^(nat-|igw-|eigw-)/.test(route.target.id) || /^(Internet|None)$/i.test(route.target.id))
    );
  }

  /** Every violation in the plan's actions (held actions are never executed and are not judged here). */
  check(plan: Plan, decisions: ReadonlyMap<string, ApprovalState> = new Map()): string[] {
    const out: string[] = [];
    const actions = plan.actions.filter(isMutating);
    const introduced = this.introducedLinks(actions);
    for (const a of actions) this.checkAction(a, decisions, out);
    for (const link of introduced) this.checkLink(link, actions, introduced, out);
    this.checkTables(actions, out);
    out.push(...this.transit.check(actions, decisions));
    return out;
  }

  private checkAction(a: Action, decisions: ReadonlyMap<string, ApprovalState>, out: string[]): void {
    const what = `${a.action} ${'id' in a.target && a.target.id ? a.target.id : ''}`;
    switch (a.action) {
      case 'delete-peering':
        if (!DELETABLE.has(this.role(a.target.id)))
          out.push(`${what}: deletes a peering peerkeeper does not own (${this.role(a.target.id)})`);
        return;
      case 'update-peering':
        if (!UPDATABLE.has(this.role(a.target.id)))
          out.push(`${what}: changes a peering peerkeeper does not own (${this.role(a.target.id)})`);
        return;
      case 'accept-peering': {
        if (!a.target.id) return; // the accept of a peering this plan creates: judged as a created link
        const p = this.peerings.get(a.target.id);
        const role = this.role(a.target.id);
        if (p?.state !== 'requested') out.push(`${what}: accepts a peering that is ${p?.state ?? 'not observed'}`);
        if (!p) return;
        const verdict = this.oracle.verdict(p.requester, p.accepter);
        if (
          !this.networks.has(networkKey(p.requester)) &&
          !listedAccounts(this.world.policy, 'aws').has(p.requester.account)
        )
          out.push(`${what}: accepts a request from unlisted account ${p.requester.account} (${role})`);
        // A human may approve what no connection names (unmatchedRequests: chat), never what a deny rule forbids.
        const approved = decisions.get(p.id) === 'approved';
        const askable = approved && this.world.policy.unmatchedRequests === 'chat';
        if (verdict.denied) out.push(`${what}: accepts a pair a deny rule forbids (${role})`);
        else if (!verdict.wanted && !askable) out.push(`${what}: accepts a pair the policy does not want (${role})`);
        else if (!verdict.auto && !approved)
          out.push(
            `${what}: accepts without the approval its connection requires (${decisions.get(p.id) ?? 'never asked'})`,
          );
        if (decisions.get(p.id) === 'rejected') out.push(`${what}: accepts a request an approver rejected`);
        return;
      }
      case 'create-peering':
        if (!this.oracle.verdict(a.target.requester, a.target.accepter).wanted)
          out.push(
            `${what}: creates ${networkKey(a.target.requester)} → ${networkKey(a.target.accepter)}, which the policy does not want`,
          );
        return;
      case 'delete-route':
      case 'replace-route': {
        // A route through a live peering nobody gave peerkeeper may be repointed to a wanted link (a peering target is
        // managed, DESIGN §5) but never removed; every other next hop is never touched.
        const foreign =
          a.action === 'replace-route' && (a.before.target.kind === 'peering' || PlanSafety.isDrift(a.before));
        if (this.unmanaged(a.before) && !foreign)
          out.push(
            `${a.action} ${a.target.routeTableId} ${a.target.destination}: touches an unmanaged route (${a.before.target.kind === 'other' ? a.before.target.id : a.before.target.peeringId})`,
          );
        if (a.action === 'replace-route') this.checkWrite(a, out);
        return;
      }
      case 'create-route':
        this.checkWrite(a, out);
        return;
      default:
        return;
    }
  }

  /** A route peerkeeper writes: never whole space, IPv6 only where the network has it, never over an unmanaged route. */
  private checkWrite(a: Extract<Action, { action: 'create-route' | 'replace-route' }>, out: string[]): void {
    const { network, routeTableId, destination } = a.target;
    const what = `${a.action} ${routeTableId} ${destination}`;
    const net = this.networks.get(networkKey(network));
    if (isWholeSpace(destination)) out.push(`${what}: writes a whole-space route`);
    if (isV6(destination) && !net?.cidrs.some(isV6))
      out.push(`${what}: writes an IPv6 route into a network without IPv6`);
    const table = net?.routeTables.find((t) => t.id === routeTableId);
    for (const u of table?.routes ?? []) {
      if (!this.unmanaged(u) || u.destination === destination) continue;
      const hit = this.destinationRanges(u).find((r) => tryParseCidr(destination) && cidrContains(destination, r));
      if (hit) out.push(`${what}: contains unmanaged route ${u.destination} (${hit})`);
    }
    const same = table?.routes.find((u) => u.destination === destination && this.unmanaged(u));
    if (same && a.action === 'create-route') out.push(`${what}: equals unmanaged route ${same.destination}`);
    const h = a.after.kind === 'peering' ? a.after.peering : undefined;
    const peer = h ? (networkKey(h.requester) === networkKey(network) ? h.accepter : h.requester) : a.peer;
    if (peer && !this.ranges(peer).includes(destination))
      out.push(`${what}: routes a range that is not the peer's (${networkKey(peer)})`);
  }

  /** Links the plan brings up: accepted requests and created peerings, by their two sides. */
  private introducedLinks(actions: readonly Action[]): PeeringHandle[] {
    const out: PeeringHandle[] = [];
    for (const a of actions) {
      if (a.action === 'create-peering') out.push(a.target);
      if (a.action === 'accept-peering' && a.target.id) out.push(a.target);
    }
    return out;
  }

  /**
   * The links into a network once the plan ran: those it brings up, the live ones the policy keeps, and any other
   * active peering that still has a route in the network's tables after the plan (routed, whoever owns it).
   */
  private linksOf(ref: NetworkRef, actions: readonly Action[], introduced: readonly PeeringHandle[]): PeeringHandle[] {
    const deleted = new Set(
      actions.flatMap((a) => (a.action === 'delete-peering' && a.target.id ? [a.target.id] : [])),
    );
    const rerouted = new Set(
      actions.flatMap((a) =>
        a.action === 'delete-route' || a.action === 'replace-route'
          ? [`${a.target.routeTableId}#${a.target.destination}`]
          : [],
      ),
    );
    const tables = this.networks.get(networkKey(ref))?.routeTables ?? [];
    const routed = (id: string) =>
      tables.some((t) =>
        t.routes.some(
          (r) => r.target.kind === 'peering' && r.target.peeringId === id && !rerouted.has(`${t.id}#${r.destination}`),
        ),
      );
    const touches = (h: PeeringHandle) =>
      networkKey(h.requester) === networkKey(ref) || networkKey(h.accepter) === networkKey(ref);
    const kept = (p: Peering) =>
      KEPT.has(this.role(p.id)) &&
      (this.role(p.id) === 'partner-link' || this.oracle.verdict(p.requester, p.accepter).wanted);
    const live = this.world.estate.peerings.filter(
      (p) => p.state === 'active' && !deleted.has(p.id) && touches(p) && (kept(p) || routed(p.id)),
    );
    return [...live, ...introduced.filter(touches)];
  }

  /** A new link: no whole space, no overlap with its peer, with unmanaged routed ranges, or with another link into either side. */
  private checkLink(
    link: PeeringHandle,
    actions: readonly Action[],
    introduced: readonly PeeringHandle[],
    out: string[],
  ): void {
    const what = `link ${link.id ?? 'new'} ${networkKey(link.requester)} ⇄ ${networkKey(link.accepter)}`;
    const [ra, rb] = [this.ranges(link.requester), this.ranges(link.accepter)];
    if ([...ra, ...rb].some(isWholeSpace)) out.push(`${what}: a side announces whole space`);
    if (ra.some((x) => rb.some((y) => cidrsOverlap(x, y)))) out.push(`${what}: its two sides overlap`);
    for (const [near, far] of [
      [link.requester, link.accepter],
      [link.accepter, link.requester],
    ] as const) {
      const net = this.networks.get(networkKey(near));
      if (!net) continue; // a partner's side: its tables are not ours
      // Only ranges of a family the near side has can be routed into it (IPv4 never reaches an IPv6-only VPC).
      const families = new Set(net.cidrs.map((c) => tryParseCidr(c)?.version));
      const farRanges = this.ranges(far).filter((c) => families.has(tryParseCidr(c)?.version));
      for (const table of net.routeTables) this.checkRouted(what, table, farRanges, out);
      for (const other of this.linksOf(near, actions, introduced)) {
        if (other === link || (other.id !== undefined && other.id === link.id)) continue;
        const otherFar = networkKey(other.requester) === networkKey(near) ? other.accepter : other.requester;
        if (networkKey(otherFar) === networkKey(far)) continue;
        const hit = farRanges.find((x) => this.ranges(otherFar).some((y) => cidrsOverlap(x, y)));
        if (hit)
          out.push(
            `${what}: ${hit} overlaps the ranges of link ${other.id ?? 'new'} to ${networkKey(otherFar)}, both into ${networkKey(near)}`,
          );
      }
    }
  }

  private checkRouted(what: string, table: RouteTable, farRanges: readonly string[], out: string[]): void {
    for (const u of table.routes) {
      if (!this.unmanaged(u) || u.origin === 'system' || isWholeSpace(u.destination)) continue;
      const hit = farRanges.find((x) => this.destinationRanges(u).some((y) => !isWholeSpace(y) && cidrsOverlap(x, y)));
      if (hit)
        out.push(
          `${what}: ${hit} overlaps ${u.destination}, already routed to ${u.target.kind === 'other' ? u.target.id : u.target.peeringId} in ${table.id}`,
        );
    }
  }

  /** No table ends above its quota because of this plan. */
  private checkTables(actions: readonly Action[], out: string[]): void {
    const delta = new Map<string, number>();
    for (const a of actions) {
      if (a.action !== 'create-route' && a.action !== 'delete-route') continue;
      const key = `${networkKey(a.target.network)}#${a.target.routeTableId}`;
      delta.set(key, (delta.get(key) ?? 0) + (a.action === 'create-route' ? 1 : -1));
    }
    for (const [key, d] of delta) {
      const [net, id] = key.split('#') as [string, string];
      const network = this.networks.get(net);
      const count = network?.routeTables.find((t) => t.id === id)?.routes.length ?? 0;
      const quota = ROUTES_PER_TABLE[network?.ref.cloud ?? 'aws'];
      if (d > 0 && count + d > quota)
        out.push(`${id}: ${count} routes + ${d} created exceeds the ${quota}-route quota`);
    }
  }
}
