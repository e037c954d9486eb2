import { GoogleError } from './googleError';
import { NccStore } from './ncc-state';
import {
  type FolderRecord,
  keyOf,
  type NetworkRecord,
  type NextHop,
  type OperationRecord,
  type PeeringHalf,
  type ProjectRecord,
  type RouteRecord,
  type SecondaryRange,
  type SubnetworkRecord,
} from './records';

/** A Resource Manager write, for its audit log entry (v3 method name, resource, caller, request). */
export interface ResourceManagerCall {
  methodName: string;
  resourceName: string;
  project: string;
  user: string;
  request: Record<string, unknown>;
}

/** What the state tells the server when an operation starts or ends (audit log entries are built from it). */
export interface OperationEvent {
  phase: 'first' | 'last';
  operation: OperationRecord;
  request?: unknown;
}

/** Seeding input for a peering half that already exists (no operation, no audit event). */
export interface SeedPeeringHalf {
  project: string;
  network: string;
  name: string;
  peerProject: string;
  peerNetwork: string;
  exportCustomRoutes?: boolean;
  importCustomRoutes?: boolean;
  stackType?: 'IPV4_ONLY' | 'IPV4_IPV6';
  updateStrategy?: 'INDEPENDENT' | 'CONSENSUS';
}

/**
 * The emulator's whole world, usable without HTTP. Operations finish lazily: every request (and
 * `settle()`) moves them PENDING → RUNNING → DONE by the injected clock, and their effect lands at DONE.
 */
export class GcpEmulatorState {
  readonly projects = new Map<string, ProjectRecord>();
  /** Resource Manager folders by name (`folders/N`). */
  readonly folders = new Map<string, FolderRecord>();
  /** Receives each Resource Manager write (CreateProject, MoveProject) as the audit log records it. */
  onResourceManagerCall: (call: ResourceManagerCall) => void = () => undefined;
  readonly networks = new Map<string, NetworkRecord>();
  readonly subnetworks = new Map<string, SubnetworkRecord>();
  readonly routes = new Map<string, RouteRecord>();
  readonly operations = new Map<string, OperationRecord>();
  /** Network Connectivity Center: hubs, groups, spokes and their operations (ncc-state.ts). */
  readonly ncc: NccStore = new NccStore(this);
  /** Compute defaults: 25 peerings per network, 250 static routes per project (both adjustable quotas). */
  readonly quotas = { peeringsPerNetwork: 25, routesPerProject: 250 };
  /** How long an operation stays PENDING, then RUNNING, in ms of the injected clock. */
  readonly timing = { pendingMs: 5, runningMs: 25 };
  /** Eventual consistency: created resources stay invisible to reads this long (set by faults). */
  visibilityDelayMs = 0;
  /** Decides, per finishing operation, whether a fault ends it in error. */
  operationFault: (method: string) => GoogleError | undefined = () => undefined;
  private seq = 0;

  constructor(
    readonly now: () => Date,
    private readonly onOperation: (e: OperationEvent) => void = () => undefined,
  ) {}

  /** A fresh 19-digit numeric id, as Compute uses for resources and operations. */
  nextId(): string {
    this.seq += 1;
    return String(4_000_000_000_000_000_000n + BigInt(this.seq) * 7_919_003n);
  }

  private visibleAt(): number {
    return this.now().getTime() + this.visibilityDelayMs;
  }

  /** True when reads may see the record yet. */
  isVisible(record: { visibleAt: number }): boolean {
    return record.visibleAt <= this.now().getTime();
  }

  /** Creates a folder under `folders/N` or `organizations/N` (folders.create); `id` picks its number. */
  createFolder(displayName: string, parent: string, id?: string): FolderRecord {
    if (parent.startsWith('folders/') && !this.folders.has(parent)) throw new Error(`no folder ${parent}`);
    const record: FolderRecord = {
      name: `folders/${id ?? 200_000_000_000 + this.folders.size + 1}`,
      displayName,
      parent,
      state: 'ACTIVE',
      createTime: this.now(),
    };
    this.folders.set(record.name, record);
    return record;
  }

  /** Moves a project under another folder or organization (projects.move). */
  moveProject(projectId: string, destination: string): ProjectRecord {
    const project = this.projects.get(projectId);
    if (!project) throw new Error(`no project ${projectId}`);
    if (destination.startsWith('folders/') && !this.folders.has(destination))
      throw new Error(`no folder ${destination}`);
    const [kind, id] = destination.split('/') as [string, string];
    project.parent = { type: kind === 'folders' ? 'folder' : 'organization', id };
    return project;
  }

  createProject(p: {
    id: string;
    labels?: Record<string, string>;
    name?: string;
    parent?: ProjectRecord['parent'];
  }): ProjectRecord {
    // A project seeded into a folder the test never made: the folder exists in a real organization, so it is made here (under organizations/1).
    if (p.parent?.type === 'folder' && !this.folders.has(`folders/${p.parent.id}`))
      this.createFolder(`folder-${p.parent.id}`, 'organizations/1', p.parent.id);
    const record: ProjectRecord = {
      id: p.id,
      number: String(100_000_000_000 + this.projects.size + 1),
      name: p.name ?? p.id,
      labels: { ...(p.labels ?? {}) },
      createTime: this.now(),
      ...(p.parent ? { parent: p.parent } : {}),
    };
    this.projects.set(p.id, record);
    return record;
  }

  createNetwork(n: {
    project: string;
    name: string;
    autoCreateSubnetworks?: boolean;
    routingMode?: 'REGIONAL' | 'GLOBAL';
    mtu?: number;
    description?: string;
  }): NetworkRecord {
    if (!this.projects.has(n.project)) this.createProject({ id: n.project });
    const record: NetworkRecord = {
      project: n.project,
      name: n.name,
      id: this.nextId(),
      autoCreateSubnetworks: n.autoCreateSubnetworks ?? false,
      routingMode: n.routingMode ?? 'REGIONAL',
      mtu: n.mtu ?? 1460,
      creationTimestamp: this.now(),
      peerings: [],
      visibleAt: this.visibleAt(),
      ...(n.description !== undefined ? { description: n.description } : {}),
    };
    this.networks.set(keyOf(n.project, n.name), record);
    return record;
  }

  createSubnetwork(s: {
    project: string;
    region: string;
    network: string;
    name: string;
    ipCidrRange: string;
    secondaryIpRanges?: SecondaryRange[];
    ipv6CidrRange?: string;
    ipv6AccessType?: 'INTERNAL' | 'EXTERNAL';
  }): SubnetworkRecord {
    if (!this.networks.has(keyOf(s.project, s.network))) throw new Error(`no network ${s.project}/${s.network}`);
    const record: SubnetworkRecord = {
      project: s.project,
      region: s.region,
      name: s.name,
      id: this.nextId(),
      network: s.network,
      ipCidrRange: s.ipCidrRange,
      secondaryIpRanges: s.secondaryIpRanges ?? [],
      creationTimestamp: this.now(),
      visibleAt: this.visibleAt(),
      ...(s.ipv6CidrRange ? { ipv6CidrRange: s.ipv6CidrRange, ipv6AccessType: s.ipv6AccessType ?? 'INTERNAL' } : {}),
    };
    this.subnetworks.set(`${s.project}/${s.region}/${s.name}`, record);
    return record;
  }

  addRoute(r: {
    project: string;
    network: string;
    name: string;
    destRange: string;
    priority?: number;
    nextHop: NextHop;
    tags?: string[];
    description?: string;
  }): RouteRecord {
    const record: RouteRecord = {
      project: r.project,
      name: r.name,
      id: this.nextId(),
      network: r.network,
      destRange: r.destRange,
      priority: r.priority ?? 1000,
      nextHop: r.nextHop,
      description: r.description ?? '',
      creationTimestamp: this.now(),
      visibleAt: this.visibleAt(),
      ...(r.tags ? { tags: r.tags } : {}),
    };
    this.routes.set(keyOf(r.project, r.name), record);
    return record;
  }

  /** Seeds one half of a peering directly (e.g. a half created by someone outside the scenario). */
  addPeeringHalf(h: SeedPeeringHalf): PeeringHalf {
    const net = this.networks.get(keyOf(h.project, h.network));
    if (!net) throw new Error(`no network ${h.project}/${h.network}`);
    const half: PeeringHalf = {
      name: h.name,
      peerProject: h.peerProject,
      peerNetwork: h.peerNetwork,
      exchangeSubnetRoutes: true,
      exportCustomRoutes: h.exportCustomRoutes ?? false,
      importCustomRoutes: h.importCustomRoutes ?? false,
      exportSubnetRoutesWithPublicIp: true,
      importSubnetRoutesWithPublicIp: false,
      stackType: h.stackType ?? 'IPV4_ONLY',
      updateStrategy: h.updateStrategy ?? 'INDEPENDENT',
      deleteRequested: false,
      since: this.now(),
      visibleAt: this.visibleAt(),
    };
    net.peerings.push(half);
    return half;
  }

  network(project: string, name: string): NetworkRecord | undefined {
    return this.networks.get(keyOf(project, name));
  }

  /** ACTIVE when the peer network has the reciprocal half, INACTIVE otherwise. */
  peeringState(net: NetworkRecord, half: PeeringHalf): 'ACTIVE' | 'INACTIVE' {
    const peer = this.network(half.peerProject, half.peerNetwork);
    return peer?.peerings.some((h) => h.peerProject === net.project && h.peerNetwork === net.name)
      ? 'ACTIVE'
      : 'INACTIVE';
  }

  /** Every IPv4/IPv6 range of a network's subnets (primary, secondary, internal IPv6); `ipv4Only` leaves IPv6 out. */
  networkRanges(project: string, network: string, ipv4Only = false): string[] {
    const ranges: string[] = [];
    for (const s of this.subnetworks.values()) {
      if (s.project !== project || s.network !== network) continue;
      ranges.push(s.ipCidrRange, ...s.secondaryIpRanges.map((r) => r.ipCidrRange));
      if (!ipv4Only && s.ipv6CidrRange && s.ipv6AccessType === 'INTERNAL') ranges.push(s.ipv6CidrRange);
    }
    return ranges;
  }

  /** The half on the peer network that points back at `net`, if the peer has added it. */
  reciprocalOf(net: NetworkRecord, half: PeeringHalf): PeeringHalf | undefined {
    return this.network(half.peerProject, half.peerNetwork)?.peerings.find(
      (h) => h.peerProject === net.project && h.peerNetwork === net.name,
    );
  }

  /** Starts an operation; its effect lands when it reaches DONE. */
  startOperation(o: {
    project: string;
    method: string;
    operationType: string;
    targetLink: string;
    targetId: string;
    user: string;
    locks?: string[];
    effect: () => void;
    request?: unknown;
  }): OperationRecord {
    const now = this.now();
    const id = this.nextId();
    const name = `operation-${now.getTime()}-${id.slice(-13)}`;
    const op: OperationRecord = {
      id,
      name,
      project: o.project,
      method: o.method,
      operationType: o.operationType,
      targetLink: o.targetLink,
      targetId: o.targetId,
      user: o.user,
      status: 'PENDING',
      insertTime: now,
      locks: o.locks ?? [],
      effect: o.effect,
    };
    this.operations.set(keyOf(o.project, name), op);
    this.onOperation({ phase: 'first', operation: op, request: o.request });
    this.settle();
    return op;
  }

  /** True when an unfinished peering operation holds any of the network keys. */
  peeringOperationHolds(keys: readonly string[]): boolean {
    this.settle();
    for (const op of this.operations.values()) {
      if (op.status !== 'DONE' && op.locks.some((k) => keys.includes(k))) return true;
    }
    return false;
  }

  /** Moves operations along by the clock; effects land (in insertion order) at DONE. */
  settle(): void {
    const now = this.now();
    for (const op of this.operations.values()) {
      if (op.status === 'DONE') continue;
      const age = now.getTime() - op.insertTime.getTime();
      if (age >= this.timing.pendingMs && op.status === 'PENDING') {
        op.status = 'RUNNING';
        op.startTime = now;
      }
      if (age < this.timing.pendingMs + this.timing.runningMs) continue;
      op.startTime ??= now;
      try {
        const fault = this.operationFault(op.method);
        if (fault) throw fault;
        op.effect();
      } catch (e) {
        if (!(e instanceof GoogleError)) throw e;
        op.error = { code: e.operationCode ?? e.reason.toUpperCase(), message: e.message };
        op.httpError = e.httpStatus;
      }
      op.status = 'DONE';
      op.endTime = now;
      this.onOperation({ phase: 'last', operation: op });
    }
  }
}
