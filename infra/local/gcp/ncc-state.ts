import { createHash } from 'node:crypto';
import { GoogleError } from './googleError';
import {
  hubName,
  nccErrors,
  rpcCodeOf,
  spokeName,
  type LinkedHybrid,
  type NccGroupRecord,
  type NccHubRecord,
  type NccHybridRouteRecord,
  type NccOperationRecord,
  type NccSpokeRecord,
} from './ncc-records';
import type { GcpEmulatorState } from './state';

/** An NCC write as the audit log records it (first entry at the call, last when its operation ends). */
export interface NccAuditCall {
  phase: 'first' | 'last';
  operation: NccOperationRecord;
}

/** Seeding input for a spoke that already exists (no operation, no audit entry). */
export interface SeedSpoke {
  project: string;
  name: string;
  hub: string;
  group?: string;
  labels?: Record<string, string>;
  /** A VPC spoke's network (in `network.project`); absent for a hybrid spoke. */
  network?: { project: string; network: string };
  excludeExportRanges?: string[];
  includeExportRanges?: string[];
  hybrid?: LinkedHybrid & { region: string };
  state?: 'ACTIVE' | 'PENDING_REVIEW' | 'REJECTED';
}

/**
 * Network Connectivity Center's world: hubs with their groups, spokes, dynamic routes learned over hybrid spokes, and
 * long-running operations. Operations finish by the injected clock (the Compute emulator's timing) on the next
 * request; their effects land then. Writes are in ncc-mutations.ts, JSON in ncc-render.ts.
 */
export class NccStore {
  readonly hubs = new Map<string, NccHubRecord>();
  readonly spokes = new Map<string, NccSpokeRecord>();
  readonly hybridRoutes: NccHybridRouteRecord[] = [];
  readonly operations = new Map<string, NccOperationRecord>();
  /** The page size of lists without `pageSize` (tests lower it to force pages). */
  pageSize = 100;
  /** Answer with project numbers in resource names, as NCC documents them (requests may use either). */
  namesByNumber = false;
  /** Receives each write's audit entries (the server turns them into CloudEvents). */
  onAudit: (call: NccAuditCall) => void = () => undefined;

  constructor(readonly gcp: GcpEmulatorState) {}

  now(): Date {
    return this.gcp.now();
  }

  /** A UUID-shaped id, as NCC's uniqueId and uid fields are. */
  uid(seed?: string): string {
    const hex = createHash('sha256')
      .update(seed ?? this.gcp.nextId())
      .digest('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  /** Creates a hub; MESH has the group `default`, STAR `center` and `edge`; `groups` names others (custom routing). */
  createHub(h: {
    project: string;
    name: string;
    presetTopology?: 'MESH' | 'STAR';
    groups?: string[];
    autoAccept?: Record<string, string[]>;
    labels?: Record<string, string>;
  }): NccHubRecord {
    if (!this.gcp.projects.has(h.project)) this.gcp.createProject({ id: h.project });
    const topology = h.presetTopology ?? 'MESH';
    const names = h.groups ?? (topology === 'STAR' ? ['center', 'edge'] : ['default']);
    const now = this.now();
    const groups = new Map<string, NccGroupRecord>(
      names.map((name) => [
        name,
        {
          name,
          autoAcceptProjects: [...(h.autoAccept?.[name] ?? [])],
          labels: {},
          createTime: now,
          updateTime: now,
          uid: this.uid(),
        },
      ]),
    );
    const hub: NccHubRecord = {
      project: h.project,
      name: h.name,
      labels: { ...(h.labels ?? {}) },
      presetTopology: topology,
      groups,
      createTime: now,
      uniqueId: this.uid(),
    };
    this.hubs.set(hubName(h.project, h.name), hub);
    return hub;
  }

  /** Seeds a spoke someone else made: a VPC spoke (ACTIVE, pending review or rejected) or a hybrid spoke. */
  seedSpoke(s: SeedSpoke): NccSpokeRecord {
    const hub = this.hub(s.hub);
    const now = this.now();
    const state = s.state ?? 'ACTIVE';
    const record: NccSpokeRecord = {
      project: s.project,
      location: s.hybrid?.region ?? 'global',
      name: s.name,
      hub: s.hub,
      group: s.group ?? [...hub.groups.keys()][0]!,
      labels: { ...(s.labels ?? {}) },
      ...(s.network
        ? {
            vpc: {
              ...s.network,
              excludeExportRanges: [...(s.excludeExportRanges ?? [])],
              includeExportRanges: [...(s.includeExportRanges ?? [])],
            },
          }
        : {}),
      ...(s.hybrid ? { hybrid: { kind: s.hybrid.kind, uris: s.hybrid.uris, vpcNetwork: s.hybrid.vpcNetwork } } : {}),
      state: state === 'ACTIVE' ? 'ACTIVE' : 'INACTIVE',
      reasons: state === 'ACTIVE' ? [] : [reasonOf(state)],
      createTime: now,
      updateTime: now,
      uniqueId: this.uid(),
    };
    this.spokes.set(spokeName(s.project, record.location, s.name), record);
    return record;
  }

  /** Seeds a dynamic route learned over a hybrid spoke into one of the hub's route tables. */
  addHybridRoute(r: { hub: string; routeTable: string; ipCidrRange: string; spoke: string }): NccHybridRouteRecord {
    this.hub(r.hub);
    const record = { ...r, uid: this.uid(), createTime: this.now() };
    this.hybridRoutes.push(record);
    return record;
  }

  hub(name: string): NccHubRecord {
    const hub = this.hubs.get(name);
    if (!hub) throw nccErrors.notFound(name);
    return hub;
  }

  spoke(name: string): NccSpokeRecord {
    const spoke = this.spokes.get(name);
    if (!spoke) throw nccErrors.notFound(name);
    return spoke;
  }

  /** Starts an operation; it is done (effect applied) once the Compute emulator's pending + running time has passed. */
  startOperation(o: Omit<NccOperationRecord, 'name' | 'createTime' | 'finishAt' | 'done'>): NccOperationRecord {
    const now = this.now();
    const op: NccOperationRecord = {
      ...o,
      name: `projects/${o.project}/locations/global/operations/operation-${now.getTime()}-${this.gcp.nextId().slice(-12)}`,
      createTime: now,
      finishAt: now.getTime() + this.gcp.timing.pendingMs + this.gcp.timing.runningMs,
      done: false,
    };
    this.operations.set(op.name, op);
    this.onAudit({ phase: 'first', operation: op });
    return op;
  }

  /** Finishes every operation whose time has come, in the order they started. */
  settle(): void {
    const now = this.now();
    for (const op of this.operations.values()) {
      if (op.done || now.getTime() < op.finishAt) continue;
      try {
        const fault = this.gcp.operationFault(op.method);
        if (fault) throw fault;
        op.response = op.effect();
      } catch (e) {
        if (!(e instanceof GoogleError)) throw e;
        op.error = { code: rpcCodeOf(e), message: e.message };
      }
      op.done = true;
      op.endTime = now;
      this.onAudit({ phase: 'last', operation: op });
    }
  }
}

/** The StateReason of an INACTIVE spoke. */
export function reasonOf(code: 'PENDING_REVIEW' | 'REJECTED', userDetails?: string): NccSpokeRecord['reasons'][number] {
  return code === 'PENDING_REVIEW'
    ? { code, message: 'The spoke is waiting for the hub administrator to review it.' }
    : {
        code,
        message: 'The hub administrator rejected the spoke.',
        ...(userDetails ? { userDetails } : {}),
      };
}
