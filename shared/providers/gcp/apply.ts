import { createHash } from 'node:crypto';
import { applyGcpAttachment } from './applyAttachment';
import { ConvergedError, PeerkeeperError, TerminalError } from '../../errors';
import { networkKey, type Action, type ActionOf, type NetworkRef, type PeeringOptions } from '../../model';
import type { ApplyContext, ApplyOutcome } from '../port';
import type { ComputeClient } from './client';
import { isNotFound } from './errors';
import type { NetworkLocks } from './networkLocks';
import {
  COMPUTE_RESOURCE_BASE,
  deleteStatusOf,
  halfId,
  managedPeeringName,
  networkPath,
  networkUrl,
  nextHopId,
  parseNetworkUrl,
  strategyOf,
  type GcpNetworkJson,
  type GcpPeeringJson,
  type GcpRouteJson,
} from './toModel';
import { converged, done, skipped } from './apply-outcomes';

type PeeringAction = ActionOf<'create-peering' | 'accept-peering' | 'delete-peering' | 'update-peering'>;
type RouteAction = ActionOf<'create-route' | 'replace-route' | 'delete-route'>;

/** Performs planned actions against Compute, one peering operation per network at a time. */
export class GcpApplier {
  constructor(
    private readonly client: ComputeClient,
    private readonly locks: NetworkLocks,
    private readonly ownsProject: (project: string) => boolean,
  ) {}

  async apply(action: Action, ctx: ApplyContext): Promise<ApplyOutcome> {
    switch (action.action) {
      case 'create-peering':
      case 'accept-peering':
      case 'delete-peering':
      case 'update-peering': {
        const { requester, accepter } = action.target;
        return this.locks.withLocks([networkKey(requester), networkKey(accepter)], () => this.peering(action, ctx));
      }
      case 'reject-peering':
        return skipped(
          "GCP has no peering requests to reject: the peer's half stays INACTIVE because peerkeeper does not add the reciprocal half",
        );
      case 'create-route':
      case 'replace-route':
      case 'delete-route':
        return this.locks.withLocks([networkKey(action.target.network)], () => this.route(action, ctx));
      case 'create-attachment':
      case 'accept-attachment':
      case 'reject-attachment':
      case 'update-attachment':
      case 'delete-attachment':
        // One spoke operation per network at a time (a create and its accept or update queue here).
        return this.locks.withLocks([networkKey(action.target.network)], () =>
          applyGcpAttachment(this.client, action, ctx),
        );
      default:
        return skipped(`${action.action} is not a cloud action`);
    }
  }

  private async peering(action: PeeringAction, ctx: ApplyContext): Promise<ApplyOutcome> {
    const { requester, accepter } = action.target;
    switch (action.action) {
      case 'create-peering':
        return this.addHalf(requester, accepter, action.after.options, ctx, undefined);
      case 'accept-peering': {
        const request = await this.readNetwork(requester, ctx, true);
        if (request.readable && !towards(request.net, accepter))
          return skipped(`no peering from ${networkPath(requester)} to accept any more`);
        return this.addHalf(
          accepter,
          requester,
          action.after.options,
          ctx,
          action.target.id ?? ctx.resolvePeeringId(networkKey(requester), networkKey(accepter)),
        );
      }
      case 'delete-peering':
        return this.removeHalves(requester, accepter, ctx);
      case 'update-peering':
        return this.updateHalves(requester, accepter, action.after, ctx);
    }
  }

  /** Adds the half on `local` pointing at `peer` (create = requester side, accept = reciprocal side). */
  private async addHalf(
    local: NetworkRef,
    peer: NetworkRef,
    options: PeeringOptions,
    ctx: ApplyContext,
    knownId: string | undefined,
  ): Promise<ApplyOutcome> {
    const { net } = await this.readNetwork(local, ctx, false);
    if (!net) return skipped(`network ${networkPath(local)} does not exist`);
    const existing = towards(net, peer);
    if (existing)
      return converged(
        `${networkPath(local)} already peers with ${networkPath(peer)} as ${existing.name}`,
        knownId ?? halfId(local, existing.name),
      );
    const name = managedPeeringName(peer);
    // stackType is sent only when the plan says: absent, Compute makes the half IPV4_ONLY (its documented default).
    const body = {
      networkPeering: {
        name,
        network: networkUrl(peer),
        exchangeSubnetRoutes: true,
        exportCustomRoutes: options.exportCustomRoutes ?? false,
        importCustomRoutes: options.importCustomRoutes ?? false,
        ...(options.stackType ? { stackType: options.stackType } : {}),
      },
    };
    const id = knownId ?? halfId(local, name);
    try {
      await this.client.mutate('POST', `${networkPath(local)}/addPeering`, body, ctx.deadline);
    } catch (e) {
      if (e instanceof ConvergedError) return converged(e.message, id);
      throw e;
    }
    return done(`added peering ${name} on ${networkPath(local)}`, id);
  }

  /**
   * Removes our halves. A CONSENSUS half goes only after both networks asked (requestRemovePeering on
   * each side → DELETE_ACKNOWLEDGED); until the peer's admin agrees, the request stands and the action is skipped.
   */
  private async removeHalves(requester: NetworkRef, accepter: NetworkRef, ctx: ApplyContext): Promise<ApplyOutcome> {
    const removed: string[] = [];
    const waiting: string[] = [];
    const found: [NetworkRef, GcpPeeringJson][] = [];
    let asked = false;
    for (const [local, peer] of this.ownedSides(requester, accepter)) {
      const half = towards((await this.readNetwork(local, ctx, true)).net, peer);
      if (!half) continue;
      found.push([local, half]);
      const status = deleteStatusOf(half);
      if (!needsConsensus(half) || status === 'LOCAL_DELETE_REQUESTED' || status === 'DELETE_ACKNOWLEDGED') continue;
      await this.client.mutate('POST', `${networkPath(local)}/requestRemovePeering`, { name: half.name }, ctx.deadline);
      asked = true;
    }
    for (const [local, seen] of found) {
      // Our own request may have completed the consensus: read the half's status again.
      const half =
        asked && needsConsensus(seen)
          ? (await this.readNetwork(local, ctx, true)).net?.peerings?.find((h) => h.name === seen.name)
          : seen;
      if (!half) continue;
      if (needsConsensus(half) && deleteStatusOf(half) !== 'DELETE_ACKNOWLEDGED') {
        waiting.push(halfId(local, half.name));
        continue;
      }
      try {
        await this.client.mutate('POST', `${networkPath(local)}/removePeering`, { name: half.name }, ctx.deadline);
        removed.push(halfId(local, half.name));
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    const wait =
      waiting.length > 0
        ? `removal of CONSENSUS ${waiting.join(', ')} requested; waiting for the peer network's admin to request it too`
        : '';
    if (removed.length > 0) return done(`removed ${removed.join(', ')}${wait ? `; ${wait}` : ''}`);
    return wait ? skipped(wait) : converged('no half of this peering is left on our networks');
  }

  private async updateHalves(
    requester: NetworkRef,
    accepter: NetworkRef,
    after: PeeringOptions,
    ctx: ApplyContext,
  ): Promise<ApplyOutcome> {
    const updated: string[] = [];
    for (const [local, peer] of this.ownedSides(requester, accepter)) {
      const half = towards((await this.readNetwork(local, ctx, true)).net, peer);
      if (!half) continue;
      const exportCustomRoutes = after.exportCustomRoutes ?? half.exportCustomRoutes ?? false;
      const importCustomRoutes = after.importCustomRoutes ?? half.importCustomRoutes ?? false;
      const stackType = after.stackType ?? half.stackType ?? 'IPV4_ONLY';
      if (
        (half.exportCustomRoutes ?? false) === exportCustomRoutes &&
        (half.importCustomRoutes ?? false) === importCustomRoutes &&
        (half.stackType ?? 'IPV4_ONLY') === stackType
      )
        continue;
      // updatePeering is PATCH only (Compute v1 reference); the body names every field we keep.
      await this.client.mutate(
        'PATCH',
        `${networkPath(local)}/updatePeering`,
        { networkPeering: { name: half.name, exportCustomRoutes, importCustomRoutes, stackType } },
        ctx.deadline,
      );
      updated.push(halfId(local, half.name));
    }
    return updated.length > 0 ? done(`updated ${updated.join(', ')}`) : converged('route exchange already as wanted');
  }

  /** The (local, peer) sides whose project peerkeeper manages: only those halves are ours to change. */
  private ownedSides(requester: NetworkRef, accepter: NetworkRef): [NetworkRef, NetworkRef][] {
    return (
      [
        [requester, accepter],
        [accepter, requester],
      ] as [NetworkRef, NetworkRef][]
    ).filter(([local]) => this.ownsProject(local.account));
  }

  /** networks.get; notFound → no network; with `tolerant`, a denied read of a foreign project is "unreadable". */
  private async readNetwork(
    ref: NetworkRef,
    ctx: ApplyContext,
    tolerant: boolean,
  ): Promise<{ net?: GcpNetworkJson; readable: boolean }> {
    try {
      return { net: await this.client.get<GcpNetworkJson>(networkPath(ref), ctx.deadline), readable: true };
    } catch (e) {
      if (isNotFound(e)) return { readable: true };
      if (tolerant && e instanceof TerminalError && !this.ownsProject(ref.account)) return { readable: false };
      throw e;
    }
  }

  private async route(action: RouteAction, ctx: ApplyContext): Promise<ApplyOutcome> {
    const { network, destination } = action.target;
    if (action.action === 'delete-route' && action.before.target.kind === 'peering') {
      return skipped(
        'routes learned over a peering are withdrawn by the peering itself (export/import flags or removal)',
      );
    }
    const routes = (
      await this.client.listAll<{ items?: GcpRouteJson[]; nextPageToken?: string }, GcpRouteJson>(
        `projects/${network.account}/global/routes`,
        (p) => p.items ?? [],
        ctx.deadline,
      )
    ).filter((r) => r.destRange === destination && parseNetworkUrl(r.network)?.network === network.id);
    const statics = routes.filter((r) => !r.nextHopPeering);
    if (action.action === 'delete-route') {
      const before = action.before.target;
      const doomed = statics.filter((r) => before.kind === 'other' && nextHopId(r) === before.id);
      return (await this.deleteRoutes(network, doomed, ctx)) > 0
        ? done(`deleted route to ${destination}`)
        : converged(`no route to ${destination} left`);
    }
    const after = action.after;
    if (after.kind === 'peering') {
      if (action.action === 'replace-route') await this.deleteRoutes(network, statics, ctx);
      return routes.some((r) => r.nextHopPeering)
        ? converged('GCP exchanges subnet routes over the peering; custom routes follow its export/import flags')
        : skipped(`no route to ${destination} is exchanged yet: the peering is not active`);
    }
    if (statics.some((r) => nextHopId(r) === after.id))
      return converged(`route to ${destination} via ${after.id} exists`);
    if (action.action === 'replace-route') await this.deleteRoutes(network, statics, ctx);
    const name = `peerkeeper-${createHash('sha256')
      .update(`${networkKey(network)}|${destination}|${after.id}`)
      .digest('hex')
      .slice(0, 20)}`;
    try {
      await this.client.mutate(
        'POST',
        `projects/${network.account}/global/routes`,
        { name, network: networkUrl(network), destRange: destination, priority: 1000, ...nextHopFields(after.id) },
        ctx.deadline,
      );
    } catch (e) {
      if (e instanceof ConvergedError) return converged(e.message);
      throw e;
    }
    return done(`inserted route ${name} to ${destination} via ${after.id}`);
  }

  private async deleteRoutes(network: NetworkRef, routes: readonly GcpRouteJson[], ctx: ApplyContext): Promise<number> {
    let deleted = 0;
    for (const r of routes) {
      try {
        await this.client.mutate(
          'DELETE',
          `projects/${network.account}/global/routes/${r.name}`,
          undefined,
          ctx.deadline,
        );
        deleted += 1;
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    return deleted;
  }
}

/** A CONSENSUS half still connected to its peer: it goes only when both admins agree. Once the peer's half is gone (INACTIVE) there is nobody to agree with. */
function needsConsensus(half: GcpPeeringJson): boolean {
  return strategyOf(half) === 'CONSENSUS' && half.state === 'ACTIVE';
}

function towards(net: GcpNetworkJson | undefined, peer: NetworkRef): GcpPeeringJson | undefined {
  return net?.peerings?.find((h) => {
    const p = parseNetworkUrl(h.network);
    return p?.project === peer.account && p.network === peer.id;
  });
}

/** The routes.insert next-hop field for a target id produced by nextHopId(). */
export function nextHopFields(id: string): Record<string, string> {
  const at = id.indexOf(':');
  const kind = id.slice(0, at);
  const value = id.slice(at + 1);
  const field = {
    gateway: 'nextHopGateway',
    ip: 'nextHopIp',
    instance: 'nextHopInstance',
    ilb: 'nextHopIlb',
    vpnTunnel: 'nextHopVpnTunnel',
  }[kind];
  if (!field || !value) throw new TerminalError(`cannot route to ${id} in GCP`, { code: 'UNSUPPORTED_NEXT_HOP' });
  // Resource next hops (gateway, instance, forwarding rule, tunnel) as full URLs, as routes.insert documents them.
  return { [field]: value.startsWith('projects/') ? `${COMPUTE_RESOURCE_BASE}/${value}` : value };
}

/** True when an error is one of ours (the port promises nothing untyped escapes). */
export function isTyped(e: unknown): e is PeerkeeperError {
  return e instanceof PeerkeeperError;
}
