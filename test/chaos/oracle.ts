import { findFirstOverlap, tryParseCidr } from '../../shared/cidr';
import type { Estate, Network, NetworkRef, Peering } from '../../shared/model';
import { MANAGED_TAG, networkKey } from '../../shared/model';
import { networkInGroup, refInGroup } from '../../shared/policy';
import type { Connection, Policy } from '../../shared/policy/schema';

/** What the policy says about one pair of networks, judged without the planner. */
export interface PairVerdict {
  /** Some connection peers the two networks and no deny rule forbids it. */
  wanted: boolean;
  /** Some wanted connection may act without a human (approval: auto). */
  auto: boolean;
  /** A deny rule names the pair. */
  denied: boolean;
}

/**
 * An independent reading of the policy for the chaos invariants: group membership comes from
 * shared/policy (pure) but pairs, denies and ownership are computed here, so a planner bug cannot
 * hide behind the checker agreeing with it.
 */
export class PolicyOracle {
  private readonly networks: Map<string, Network>;

  constructor(
    private readonly policy: Policy,
    estate: Pick<Estate, 'networks'>,
  ) {
    this.networks = new Map(estate.networks.map((n) => [networkKey(n.ref), n]));
  }

  /** The observed network for a ref, if it was part of the estate. */
  network(ref: NetworkRef): Network | undefined {
    return this.networks.get(networkKey(ref));
  }

  private inGroup(name: string, ref: NetworkRef): boolean {
    const group = this.policy.groups[name];
    if (!group) return false;
    const net = this.network(ref);
    return net ? networkInGroup(group, net) : refInGroup(group, ref);
  }

  private between(a: NetworkRef, b: NetworkRef, g1: string, g2: string): boolean {
    if (networkKey(a) === networkKey(b)) return false;
    return (this.inGroup(g1, a) && this.inGroup(g2, b)) || (this.inGroup(g2, a) && this.inGroup(g1, b));
  }

  private connects(c: Connection, a: NetworkRef, b: NetworkRef): boolean {
    switch (c.topology) {
      case 'hub-spoke':
        return this.between(a, b, c.hub, c.spokes);
      case 'mesh':
        return this.between(a, b, c.members, c.members);
      case 'pair':
        return this.between(a, b, c.between[0], c.between[1]);
    }
  }

  /** The policy's verdict on peering `a` with `b`. */
  verdict(a: NetworkRef, b: NetworkRef): PairVerdict {
    const denied = this.policy.deny.some((d) => this.between(a, b, d.between[0], d.between[1]));
    const connections = this.policy.connections.filter((c) => this.connects(c, a, b));
    const wanted = !denied && connections.length > 0;
    return { wanted, denied, auto: wanted && connections.some((c) => c.approval === 'auto') };
  }

  /** The ranges each side of a peering announced or, for observed networks, has. */
  ranges(p: Peering): { requester: string[]; accepter: string[] } {
    return {
      requester: this.network(p.requester)?.cidrs ?? p.requesterCidrs ?? [],
      accepter: this.network(p.accepter)?.cidrs ?? p.accepterCidrs ?? [],
    };
  }

  /** An overlap between the two sides of a peering, if any (then it must never become active). */
  overlap(p: Peering): [string, string] | undefined {
    const r = this.ranges(p);
    return findFirstOverlap(r.requester, r.accepter);
  }

  /**
   * True when the requester's ranges overlap a destination the accepter routes elsewhere: already in its
   * tables, wanted towards another peer by the policy, or asked for by another live request or link into the same
   * network (DESIGN §4 and §11: such requests are refused).
   */
  overlapsRouted(p: Peering, peerings: readonly Peering[]): boolean {
    const requester = this.ranges(p).requester;
    const routed = (this.network(p.accepter)?.routeTables ?? [])
      .flatMap((t) => t.routes)
      .filter((r) => r.origin === 'static' && !(r.target.kind === 'peering' && r.target.peeringId === p.id))
      .map((r) => r.destination);
    const wanted = [
      ...this.wantedPeerRanges(
        p.accepter,
        peerings.filter((x) => x.id !== p.id),
      ),
    ];
    // A prefix list (pl-…) may hold any range: the planner may refuse for it (issue 12), so the oracle lets it.
    if (routed.some((d) => !tryParseCidr(d))) return true;
    // Another live request or link into the same network for an overlapping range competes for it: one of the two
    // is refused by the plan's own rule (issue 12: requests are judged against each other), the oracle lets either.
    const accepter = networkKey(p.accepter);
    const competing = peerings
      .filter(
        (q) =>
          q.id !== p.id &&
          (q.state === 'requested' || q.state === 'active') &&
          [networkKey(q.requester), networkKey(q.accepter)].includes(accepter),
      )
      .flatMap((q) => (networkKey(q.accepter) === accepter ? this.ranges(q).requester : this.ranges(q).accepter));
    return findFirstOverlap(requester, [...routed, ...wanted, ...competing]) !== undefined;
  }

  /** True when some connection names the network's group: its route tables are ones peerkeeper manages (DESIGN §5). */
  inSomeConnection(ref: NetworkRef): boolean {
    return this.policy.connections.some((c) => {
      const sides = c.topology === 'hub-spoke' ? [c.hub, c.spokes] : c.topology === 'mesh' ? [c.members] : c.between;
      return sides.some((g) => this.inGroup(g, ref));
    });
  }

  /** Managed = tagged by peerkeeper or wanted by the policy (DESIGN §5). */
  owns(p: Peering): boolean {
    return p.tags[MANAGED_TAG] === 'true' || this.verdict(p.requester, p.accepter).wanted;
  }

  /** Ranges of every network the policy wants `ref` peered with (a route to one of them is managed). */
  wantedPeerRanges(ref: NetworkRef, peerings: readonly Peering[]): Set<string> {
    const out = new Set<string>();
    for (const n of this.networks.values()) if (this.verdict(ref, n.ref).wanted) n.cidrs.forEach((c) => out.add(c));
    for (const p of peerings) {
      const mine =
        networkKey(p.requester) === networkKey(ref)
          ? 'requester'
          : networkKey(p.accepter) === networkKey(ref)
            ? 'accepter'
            : undefined;
      if (!mine || !this.verdict(p.requester, p.accepter).wanted) continue;
      (mine === 'requester' ? (p.accepterCidrs ?? []) : (p.requesterCidrs ?? [])).forEach((c) => out.add(c));
    }
    return out;
  }
}
