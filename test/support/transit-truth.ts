import { cidrsOverlap, tryParseCidr } from '../../shared/cidr';
import type { Attachment, Estate, Network, NetworkRef, TransitHub } from '../../shared/model';
import { MANAGED_TAG, networkKey } from '../../shared/model';
import { networkInGroup } from '../../shared/policy';
import type { Policy, TransitHubDecl } from '../../shared/policy/schema';

const lastSegment = (id: string) => id.split('/').pop() ?? id;
const isWholeSpace = (cidr: string) => tryParseCidr(cidr)?.prefix === 0;

/** True when two lists of ranges share an address (ranges that are not CIDRs never do). */
export function rangesOverlap(a: readonly string[], b: readonly string[]): string | undefined {
  for (const x of a) {
    const rx = tryParseCidr(x);
    if (!rx) continue;
    for (const y of b) {
      const ry = tryParseCidr(y);
      if (ry && cidrsOverlap(rx, ry)) return `${x} and ${y}`;
    }
  }
  return undefined;
}

/** A declared hub as the truth holds it: its declaration, the observed hub (if there) and its connections' groups. */
export interface DeclaredHub {
  name: string;
  decl: TransitHubDecl;
  hub?: TransitHub;
  /** Spokes groups of the transit connections to this hub, with their approval. */
  connections: { spokes: string; approval: 'auto' | 'chat' }[];
}

/**
 * The transit ground truth of a world, read from the policy and the full estate independently of the planner: which
 * hub a ref is, which networks a hub's connections want, the ranges a hub holds and reaches (issue 17).
 */
export class TransitTruth {
  readonly hubs: DeclaredHub[];
  readonly attachments: Map<string, Attachment>;
  private readonly networks: Map<string, Network>;

  constructor(
    private readonly policy: Policy,
    estate: Pick<Estate, 'networks' | 'transitHubs' | 'attachments'>,
  ) {
    this.networks = new Map(estate.networks.map((n) => [networkKey(n.ref), n]));
    this.attachments = new Map((estate.attachments ?? []).map((a) => [a.id, a]));
    this.hubs = Object.entries(policy.transitHubs).map(([name, decl]) => {
      const hub = (estate.transitHubs ?? []).find((h) => this.isHub(decl, h.ref));
      const connections = policy.connections.flatMap((c) =>
        c.topology === 'hub-spoke' && c.via === 'transit' && c.hub === name
          ? [{ spokes: c.spokes, approval: c.approval }]
          : [],
      );
      return { name, decl, ...(hub ? { hub } : {}), connections };
    });
  }

  /** Whether a ref names a declared hub (the policy may use a Virtual WAN or NCC hub's short name). */
  private isHub(decl: TransitHubDecl, ref: NetworkRef): boolean {
    if (ref.cloud !== decl.cloud) return false;
    const fold = (s: string) => (decl.cloud === 'azure' ? s.toLowerCase() : s);
    return fold(ref.id) === fold(decl.id) || fold(lastSegment(ref.id)) === fold(decl.id);
  }

  hubOf(ref: NetworkRef): DeclaredHub | undefined {
    return this.hubs.find((h) => this.isHub(h.decl, ref));
  }

  /** The hub a route's next hop names (`tgw-…`, a hub id), if any. */
  hubNamed(id: string): DeclaredHub | undefined {
    return this.hubs.find((h) => h.hub?.ref.id === id || h.decl.id === id);
  }

  network(ref: NetworkRef): Network | undefined {
    return this.networks.get(networkKey(ref));
  }

  /** The connections of a hub whose spokes group holds the network. */
  wanting(h: DeclaredHub, ref: NetworkRef): DeclaredHub['connections'] {
    const n = this.network(ref);
    return n
      ? h.connections.filter((c) => {
          const g = this.policy.groups[c.spokes];
          return g !== undefined && networkInGroup(g, n);
        })
      : [];
  }

  /** Every range the hub's route tables hold, with its target, except those toward `own` (its own attachment). */
  hubRanges(h: DeclaredHub, own?: string): { range: string; to: string }[] {
    return (h.hub?.routeTables ?? []).flatMap((t) =>
      t.routes.flatMap((r) => {
        const to = r.target.kind === 'attachment' ? r.target.attachmentId : r.target.id;
        return isWholeSpace(r.destination) || (own !== undefined && to === own)
          ? []
          : [{ range: r.destination, to: `${t.id} → ${to}` }];
      }),
    );
  }

  /** The ranges of other clouds' networks the hub reaches (its declared reaches' groups). */
  reachedRanges(h: DeclaredHub): string[] {
    const groups = h.decl.reaches.flatMap((r) => r.groups);
    return [...this.networks.values()].flatMap((n) =>
      n.ref.cloud !== h.decl.cloud &&
      groups.some((g) => this.policy.groups[g] !== undefined && networkInGroup(this.policy.groups[g], n))
        ? n.cidrs
        : [],
    );
  }

  /** The network has an active attachment to the hub. */
  activeOn(h: DeclaredHub, ref: NetworkRef, attachments: Iterable<Attachment> = this.attachments.values()): boolean {
    return [...attachments].some(
      (a) => a.state === 'active' && networkKey(a.network) === networkKey(ref) && this.hubOf(a.hub) === h,
    );
  }

  static ours(a: Attachment | undefined): boolean {
    return a?.tags[MANAGED_TAG] === 'true';
  }
}
