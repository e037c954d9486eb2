import type {
  Action,
  ActionOf,
  Cloud,
  Network,
  Observation,
  Peering,
  PeeringHandle,
  PlannedRouteTarget,
  Route,
} from '../../model';
import { networkKey } from '../../model';
import { findFirstOverlap, tryParseCidr } from '../../cidr';
import { ConvergedError, StaleActionError, TerminalError } from '../../errors';
import { AWS_PENDING_EXPIRY_MS, CLOUD_LIMITS } from '../../planner/limits';
import type { ApplyContext, ApplyOutcome, Partition, PeeringProvider } from '../port';
import type { MemoryCloud } from './cloud';
import { applyMemoryAttachment } from './attachments';

const sameDest = (a: string, b: string) => (tryParseCidr(a)?.text ?? a) === (tryParseCidr(b)?.text ?? b);

/**
 * The provider port over a MemoryCloud, with each cloud's semantics (DESIGN §3): AWS is one object that
 * goes pending-acceptance → active, fails on overlap and expires after 7 days; Azure and GCP are two halves
 * whose second half is the "accept", and refuse overlapping ranges outright.
 */
export class MemoryProvider implements PeeringProvider {
  constructor(
    readonly cloud: Cloud,
    private readonly memory: MemoryCloud,
  ) {}

  async observe(partitions: readonly Partition[]): Promise<Observation> {
    return this.memory.observe(partitions.filter((p) => p.cloud === this.cloud));
  }

  async apply(action: Action, ctx: ApplyContext): Promise<ApplyOutcome> {
    switch (action.action) {
      case 'create-peering':
        return this.createPeering(action);
      case 'accept-peering':
        return this.acceptPeering(action, ctx);
      case 'reject-peering':
        return this.transition(this.find(action.target, ctx), 'rejected');
      case 'delete-peering':
        return this.deletePeering(action);
      case 'update-peering':
        return this.updatePeering(action, ctx);
      case 'create-route':
      case 'replace-route':
        return this.putRoute(action, ctx);
      case 'delete-route':
        return this.deleteRoute(action);
      case 'create-attachment':
      case 'accept-attachment':
      case 'reject-attachment':
      case 'update-attachment':
      case 'delete-attachment':
        return applyMemoryAttachment(this.memory, action, ctx);
      case 'request-approval':
      case 'report':
        return { status: 'skipped', detail: 'not a cloud call' };
    }
  }

  private network(key: string): Network | undefined {
    return this.memory.networks.get(key);
  }

  private find(handle: PeeringHandle, ctx: ApplyContext): Peering {
    const id = handle.id ?? ctx.resolvePeeringId(networkKey(handle.requester), networkKey(handle.accepter));
    if (!id) throw new StaleActionError('the peering this action needs was not created');
    const p = this.memory.peerings.get(`${this.cloud}:${id}`);
    if (!p) throw new StaleActionError(`peering ${id} does not exist`);
    return p;
  }

  private refreshRoutes(): void {
    for (const n of this.memory.networks.values()) {
      for (const t of n.routeTables) {
        for (const r of t.routes) {
          if (r.target.kind !== 'peering') continue;
          const p = this.memory.peerings.get(`${n.ref.cloud}:${r.target.peeringId}`);
          r.state = p?.state === 'active' ? 'active' : 'blackhole';
        }
      }
    }
  }

  private createPeering(action: ActionOf<'create-peering'>): ApplyOutcome {
    const { requester, accepter } = action.target;
    const req = this.network(networkKey(requester));
    if (!req)
      throw new TerminalError(`requester network ${networkKey(requester)} does not exist`, {
        code: 'InvalidVpcID.NotFound',
      });
    const acc = this.network(networkKey(accepter));
    const live = [...this.memory.peerings.values()].find(
      (p) =>
        (p.state === 'active' || p.state === 'requested') &&
        [networkKey(p.requester), networkKey(p.accepter)].sort().join('|') ===
          [networkKey(requester), networkKey(accepter)].sort().join('|'),
    );
    if (live) return { status: 'converged', peeringId: live.id, detail: `peering ${live.id} already exists` };
    const overlap = acc ? findFirstOverlap(req.cidrs, acc.cidrs) : undefined;
    if (overlap && this.cloud !== 'aws')
      throw new TerminalError(`address spaces overlap: ${overlap[0]} and ${overlap[1]}`, {
        code: this.cloud === 'azure' ? 'VnetAddressSpacesOverlap' : 'PEERING_RANGE_OVERLAP',
      });
    this.memory.write();
    const now = this.memory.now();
    const id =
      this.cloud === 'aws'
        ? this.memory.nextId('pcx-')
        : this.cloud === 'azure'
          ? `${requester.id}/virtualNetworkPeerings/peerkeeper-${accepter.id.split('/').pop()}`
          : `projects/${requester.account}/global/networks/${requester.id}/peerings/peerkeeper-${accepter.account}-${accepter.id}`;
    this.memory.peerings.set(`${this.cloud}:${id}`, {
      id,
      cloud: this.cloud,
      requester,
      accepter,
      options: action.after.options,
      tags: action.after.tags,
      requesterCidrs: req.cidrs,
      ...(acc ? { accepterCidrs: acc.cidrs } : {}),
      // AWS fails an overlapping request at once; a pending one expires after 7 days.
      state: overlap ? 'failed' : 'requested',
      ...(overlap ? { message: `overlapping CIDRs ${overlap[0]} and ${overlap[1]}` } : {}),
      ...(this.cloud === 'aws' ? { expiresAt: new Date(now.getTime() + AWS_PENDING_EXPIRY_MS).toISOString() } : {}),
    });
    return { status: 'done', peeringId: id };
  }

  private acceptPeering(action: ActionOf<'accept-peering'>, ctx: ApplyContext): ApplyOutcome {
    const p = this.find(action.target, ctx);
    if (p.state === 'active') return { status: 'converged', peeringId: p.id };
    if (p.state !== 'requested') throw new StaleActionError(`peering ${p.id} is ${p.state}, not pending`);
    if (p.expiresAt && Date.parse(p.expiresAt) <= this.memory.now().getTime()) {
      p.state = 'expired';
      throw new StaleActionError(`peering ${p.id} expired at ${p.expiresAt}`);
    }
    const acc = this.network(networkKey(p.accepter));
    if (!acc)
      throw new TerminalError(`accepter network ${networkKey(p.accepter)} is not ours`, {
        code: 'OperationNotPermitted',
      });
    const active = [...this.memory.peerings.values()].filter(
      (x) =>
        x.state === 'active' &&
        (networkKey(x.accepter) === networkKey(p.accepter) || networkKey(x.requester) === networkKey(p.accepter)),
    );
    if (active.length >= CLOUD_LIMITS[this.cloud].peeringsPerNetwork)
      throw new TerminalError(`peering limit reached for ${networkKey(p.accepter)}`, {
        code: 'VpcPeeringConnectionLimitExceeded',
      });
    this.memory.write();
    p.state = 'active';
    p.accepterCidrs = acc.cidrs;
    p.options = { ...p.options, ...action.after.options };
    this.refreshRoutes();
    return { status: 'done', peeringId: p.id };
  }

  private transition(p: Peering, state: 'rejected'): ApplyOutcome {
    if (p.state === state) return { status: 'converged', peeringId: p.id };
    if (p.state !== 'requested') throw new StaleActionError(`peering ${p.id} is ${p.state}, not pending`);
    this.memory.write();
    p.state = state;
    return { status: 'done', peeringId: p.id };
  }

  private deletePeering(action: ActionOf<'delete-peering'>): ApplyOutcome {
    const p = this.memory.peerings.get(`${this.cloud}:${action.target.id ?? ''}`);
    if (!p || p.state === 'deleted') throw new ConvergedError(`peering ${action.target.id ?? '?'} is already gone`);
    this.memory.write();
    if (this.cloud === 'aws') p.state = 'deleted';
    else this.memory.peerings.delete(`${this.cloud}:${p.id}`); // Azure/GCP halves simply disappear
    this.refreshRoutes();
    return { status: 'done', peeringId: p.id };
  }

  private updatePeering(action: ActionOf<'update-peering'>, ctx: ApplyContext): ApplyOutcome {
    const p = this.find(action.target, ctx);
    if (p.state !== 'active') throw new StaleActionError(`peering ${p.id} is ${p.state}, not active`);
    this.memory.write();
    p.options = { ...p.options, ...action.after };
    if (action.sync) p.needsSync = false;
    return { status: 'done', peeringId: p.id };
  }

  private routeTarget(target: PlannedRouteTarget, ctx: ApplyContext): Route['target'] {
    if (target.kind === 'other') return target;
    return { kind: 'peering', peeringId: this.find(target.peering, ctx).id };
  }

  private putRoute(action: ActionOf<'create-route'> | ActionOf<'replace-route'>, ctx: ApplyContext): ApplyOutcome {
    const { network, routeTableId, destination } = action.target;
    const table = this.memory.table(networkKey(network), routeTableId);
    if (!table)
      throw new TerminalError(`route table ${routeTableId} does not exist`, { code: 'InvalidRouteTableID.NotFound' });
    const target = this.routeTarget(action.after, ctx);
    const existing = table.routes.find((r) => sameDest(r.destination, destination));
    const same = existing && JSON.stringify(existing.target) === JSON.stringify(target);
    if (same) return { status: 'converged' };
    if (existing && action.action === 'create-route')
      throw new StaleActionError(`route ${destination} appeared in ${routeTableId} since the plan`);
    if (
      action.action === 'replace-route' &&
      existing &&
      JSON.stringify(existing.target) !== JSON.stringify(action.before.target)
    )
      throw new StaleActionError(`route ${destination} in ${routeTableId} changed since the plan`);
    if (!existing && table.routes.length >= CLOUD_LIMITS[this.cloud].routesPerTable)
      throw new TerminalError(`route table ${routeTableId} is full`, { code: 'RouteLimitExceeded' });
    this.memory.write();
    const route: Route = { destination, target, origin: 'static' };
    if (existing) Object.assign(existing, route);
    else table.routes.push(route);
    this.refreshRoutes();
    return { status: 'done' };
  }

  private deleteRoute(action: ActionOf<'delete-route'>): ApplyOutcome {
    const { network, routeTableId, destination } = action.target;
    const table = this.memory.table(networkKey(network), routeTableId);
    const i = table ? table.routes.findIndex((r) => sameDest(r.destination, destination)) : -1;
    if (!table || i < 0) throw new ConvergedError(`route ${destination} is already gone`);
    if (JSON.stringify(table.routes[i]!.target) !== JSON.stringify(action.before.target))
      throw new StaleActionError(`route ${destination} in ${routeTableId} changed since the plan`);
    this.memory.write();
    table.routes.splice(i, 1);
    return { status: 'done' };
  }
}

/** One provider per cloud over the same in-memory estate. */
export function memoryProviders(memory: MemoryCloud): Record<Cloud, MemoryProvider> {
  return {
    aws: new MemoryProvider('aws', memory),
    azure: new MemoryProvider('azure', memory),
    gcp: new MemoryProvider('gcp', memory),
  };
}
