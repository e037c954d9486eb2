import type {
  Attachment,
  Estate,
  Network,
  Observation,
  Peering,
  RouteTable,
  TransitHub,
  UnreadPartition,
} from '../../model';
import { EstateSchema, networkKey } from '../../model';
import { RetryableError, TerminalError } from '../../errors';
import type { Partition } from '../port';

/** Faults the in-memory cloud can inject, for executor and chaos tests. */
export interface MemoryFaults {
  /** Fail the next N writes with a retryable throttling error. */
  throttleWrites: number;
  /** Partitions (`cloud:account`) whose list calls fail, making observations incomplete. */
  failObserve: Set<string>;
}

/** How an in-memory cloud holds the estate it is given. */
export interface MemoryCloudOptions {
  /** The caller hands the estate over and keeps no use of it that a write could disturb: no copy is made. */
  adopt?: boolean;
  /**
   * Nothing will be written (a plan): reads share the cloud's objects instead of copying them, and a write throws.
   * `plan --estate` of a 1M-network snapshot held the estate once as read, once copied in and once per read.
   */
  readOnly?: boolean;
}

/**
 * The in-memory cloud behind `--provider memory` and the unit tests: one mutable estate for all three
 * clouds, with a clock and a write counter. Providers are views of it per cloud (see MemoryProvider).
 */
export class MemoryCloud {
  readonly networks = new Map<string, Network>();
  readonly peerings = new Map<string, Peering>();
  /** Transit hubs by `cloud:id`, and their attachments by `cloud:id`. */
  readonly hubs = new Map<string, TransitHub>();
  readonly attachments = new Map<string, Attachment>();
  readonly accounts: Estate['accounts'];
  readonly faults: MemoryFaults = { throttleWrites: 0, failObserve: new Set() };
  writes = 0;
  reads = 0;
  private sequence = 0;
  private readonly readOnly: boolean;

  constructor(
    estate: Pick<Estate, 'networks' | 'peerings' | 'accounts' | 'transitHubs' | 'attachments'>,
    public now: () => Date = () => new Date(),
    options: MemoryCloudOptions = {},
  ) {
    this.readOnly = options.readOnly === true;
    const copy = options.adopt === true ? estate : structuredClone(estate);
    for (const n of copy.networks) this.networks.set(networkKey(n.ref), n);
    for (const p of copy.peerings) this.peerings.set(`${p.cloud}:${p.id}`, p);
    this.accounts = copy.accounts;
    for (const h of copy.transitHubs ?? []) this.hubs.set(`${h.ref.cloud}:${h.ref.id}`, h);
    for (const a of copy.attachments ?? []) this.attachments.set(`${a.cloud}:${a.id}`, a);
  }

  /** Loads an estate snapshot (validated). */
  static fromEstate(raw: unknown, now?: () => Date): MemoryCloud {
    return new MemoryCloud(EstateSchema.parse(raw), now);
  }

  /** A fresh id for a created object, deterministic per cloud instance. */
  nextId(prefix: string): string {
    this.sequence += 1;
    return `${prefix}${this.sequence.toString(16).padStart(8, '0')}`;
  }

  /** Counts a write, or throws the injected throttling fault. */
  write(): void {
    if (this.readOnly) throw new TerminalError('this in-memory cloud is read-only (a plan writes nothing)');
    if (this.faults.throttleWrites > 0) {
      this.faults.throttleWrites -= 1;
      throw new RetryableError('Request limit exceeded.', { code: 'RequestLimitExceeded' });
    }
    this.writes += 1;
  }

  /** Reads the partitions; a partition with an injected fault leaves a gap. */
  observe(partitions: readonly Partition[]): Observation {
    this.reads += 1;
    const gaps: string[] = [];
    const unread: UnreadPartition[] = [];
    // By account: a sweep of a 150k-network estate asks for ~100k partitions, and a scan of them per network was
    // the whole cost of `plan --estate` (O(networks × partitions)).
    const regionsOf = new Map<string, (string | undefined)[]>();
    for (const p of partitions) {
      const key = `${p.cloud}:${p.account}`;
      const list = regionsOf.get(key);
      if (list) list.push(p.region);
      else regionsOf.set(key, [p.region]);
    }
    const inPartition = (ref: Network['ref']) =>
      regionsOf.get(`${ref.cloud}:${ref.account}`)?.some((r) => !r || r === ref.region) === true;
    for (const p of partitions) {
      if (!this.faults.failObserve.has(`${p.cloud}:${p.account}`)) continue;
      gaps.push(`${p.cloud}:${p.account}${p.region ? `:${p.region}` : ''}: list failed (injected fault)`);
      unread.push({
        cloud: p.cloud,
        account: p.account,
        ...(p.region ? { region: p.region } : {}),
        reason: 'list failed (injected fault)',
      });
    }
    const failed = (n: Network) => this.faults.failObserve.has(`${n.ref.cloud}:${n.ref.account}`);
    const networks = [...this.networks.values()].filter((n) => inPartition(n.ref) && !failed(n));
    const keys = new Set(networks.map((n) => networkKey(n.ref)));
    const peerings = [...this.peerings.values()].filter(
      (p) => keys.has(networkKey(p.requester)) || keys.has(networkKey(p.accepter)),
    );
    const accounts = this.accounts.filter((a) => regionsOf.has(`${a.cloud}:${a.account}`));
    const readable = (ref: Network['ref']) =>
      inPartition(ref) && !this.faults.failObserve.has(`${ref.cloud}:${ref.account}`);
    // The hub's owner sees its hubs and every attachment to them; a spoke's account sees its own attachments.
    const transitHubs = [...this.hubs.values()].filter((h) => readable(h.ref));
    const attachments = [...this.attachments.values()].filter((a) => readable(a.hub) || readable(a.network));
    const observation: Observation = {
      complete: gaps.length === 0,
      gaps,
      unread,
      accounts,
      networks,
      peerings,
      ...(transitHubs.length ? { transitHubs } : {}),
      ...(attachments.length ? { attachments } : {}),
    };
    return this.readOnly ? observation : structuredClone(observation);
  }

  /** The whole estate as a snapshot. */
  snapshot(): Estate {
    return structuredClone({
      version: 1 as const,
      observedAt: this.now().toISOString(),
      complete: true,
      gaps: [],
      accounts: this.accounts,
      networks: [...this.networks.values()],
      peerings: [...this.peerings.values()],
      ...(this.hubs.size ? { transitHubs: [...this.hubs.values()] } : {}),
      ...(this.attachments.size ? { attachments: [...this.attachments.values()] } : {}),
    });
  }

  /** The route table with this id in a network. */
  table(networkRefKey: string, tableId: string): RouteTable | undefined {
    return this.networks.get(networkRefKey)?.routeTables.find((t) => t.id === tableId);
  }
}
