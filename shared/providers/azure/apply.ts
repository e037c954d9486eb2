import { ConvergedError, TerminalError } from '../../errors';
import type { ActionOf, NetworkRef, PeeringOptions } from '../../model';
import type { ApplyContext, ApplyOutcome } from '../port';
import { type ArmClient, NETWORK_API_VERSION } from './connect';
import { type ArmHalf, ArmVnetSchema, type ArmVnet, MANAGED_HALF_PREFIX, nameOf } from './toModel';

const OPTION_KEYS = [
  'allowVirtualNetworkAccess',
  'allowForwardedTraffic',
  'allowGatewayTransit',
  'useRemoteGateways',
] as const;
/** ARM's defaults for a new half (allowVirtualNetworkAccess is on unless said otherwise). */
const DEFAULT_OPTIONS = {
  allowVirtualNetworkAccess: true,
  allowForwardedTraffic: false,
  allowGatewayTransit: false,
  useRemoteGateways: false,
};

/** What the peering actions need besides the client: which subscriptions peerkeeper may touch. */
export interface PeeringApplyDeps {
  client: ArmClient;
  /** Lower-cased subscription ids peerkeeper manages: halves elsewhere are out of reach. */
  subscriptions: ReadonlySet<string>;
}

function reachable(deps: PeeringApplyDeps, ref: NetworkRef): boolean {
  return deps.subscriptions.has(ref.account.toLowerCase());
}

function api(path: string, extra = ''): string {
  return `${path}?api-version=${NETWORK_API_VERSION}${extra}`;
}

async function readVnet(deps: PeeringApplyDeps, ref: NetworkRef, deadline: number): Promise<ArmVnet | undefined> {
  const body = await deps.client.getOptional(api(ref.id), deadline);
  if (body === undefined) return undefined;
  const parsed = ArmVnetSchema.safeParse(body);
  if (!parsed.success)
    throw new TerminalError(`Azure returned an unreadable virtual network ${ref.id}`, { code: 'UnreadableResponse' });
  return parsed.data;
}

function halfTowards(vnet: ArmVnet, remoteId: string): ArmHalf | undefined {
  return vnet.properties.virtualNetworkPeerings.find(
    (h) => h.properties.remoteVirtualNetwork.id.toLowerCase() === remoteId.toLowerCase(),
  );
}

function optionsOf(half: ArmHalf | undefined): Required<Pick<PeeringOptions, (typeof OPTION_KEYS)[number]>> {
  const result = { ...DEFAULT_OPTIONS };
  for (const key of OPTION_KEYS) if (half?.properties[key] !== undefined) result[key] = half.properties[key];
  return result;
}

function differs(half: ArmHalf, wanted: PeeringOptions): boolean {
  const current = optionsOf(half);
  return OPTION_KEYS.some((key) => wanted[key] !== undefined && wanted[key] !== current[key]);
}

/**
 * Properties ARM computes (state, address-space copies, BGP communities, encryption, provisioning): never
 * sent back. Everything else a half has — peerCompleteVnets, local/remoteSubnetNames, enableOnlyIPv6Peering,
 * doNotVerifyRemoteGateways and whatever a later api-version adds — is, because a PUT replaces the half.
 */
const COMPUTED = new Set([
  'peeringState',
  'peeringSyncLevel',
  'provisioningState',
  'resourceGuid',
  'remoteAddressSpace',
  'remoteVirtualNetworkAddressSpace',
  'localAddressSpace',
  'localVirtualNetworkAddressSpace',
  'remoteBgpCommunities',
  'remoteVirtualNetworkEncryption',
]);

/** The writable properties of a half as read, for a read-modify-write PUT. */
function writable(half: ArmHalf | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(half?.properties ?? {}).filter(([key]) => !COMPUTED.has(key)));
}

/**
 * PUT one half (create, update, or `sync`) and wait for its operation; returns the half's id. ARM's PUT
 * replaces the whole half, so an existing half is read first and every property it has is sent back with
 * ours laid over it (read-modify-write): a subnet peering stays a subnet peering.
 */
async function putHalf(
  deps: PeeringApplyDeps,
  vnetId: string,
  name: string,
  remoteId: string,
  options: PeeringOptions,
  deadline: number,
  sync = false,
  existing?: ArmHalf,
): Promise<string> {
  const path = `${vnetId}/virtualNetworkPeerings/${encodeURIComponent(name)}`;
  const properties: Record<string, unknown> = { ...writable(existing), remoteVirtualNetwork: { id: remoteId } };
  for (const key of OPTION_KEYS) if (options[key] !== undefined) properties[key] = options[key];
  const response = await deps.client.request('PUT', api(path, sync ? '&syncRemoteAddressSpace=true' : ''), deadline, {
    properties,
  });
  await deps.client.waitFor(response, deadline);
  return path.toLowerCase();
}

/** DELETE one half; false when it was already gone. */
async function deleteHalf(deps: PeeringApplyDeps, vnetId: string, name: string, deadline: number): Promise<boolean> {
  try {
    const response = await deps.client.request(
      'DELETE',
      api(`${vnetId}/virtualNetworkPeerings/${encodeURIComponent(name)}`),
      deadline,
    );
    await deps.client.waitFor(response, deadline);
    return response.status !== 204;
  } catch (error) {
    if (error instanceof ConvergedError) return false;
    throw error;
  }
}

/** The name peerkeeper gives a half: the prefix marks it as ours (Azure peerings carry no tags). */
export function halfName(remoteId: string): string {
  return `${MANAGED_HALF_PREFIX}${nameOf(remoteId)}`;
}

/** create-peering: PUT the half on the requester VNet. A Disconnected half is re-PUT, which brings it back to Initiated. */
export async function createPeering(
  deps: PeeringApplyDeps,
  action: ActionOf<'create-peering'>,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  const { requester, accepter } = action.target;
  if (!reachable(deps, requester))
    return { status: 'skipped', detail: `requester ${requester.id} is outside the managed subscriptions` };
  const vnet = await readVnet(deps, requester, ctx.deadline);
  if (!vnet) return { status: 'skipped', detail: `requester VNet ${requester.id} no longer exists` };
  const existing = halfTowards(vnet, accepter.id);
  if (existing && existing.properties.peeringState !== 'Disconnected')
    return { status: 'converged', peeringId: existing.id.toLowerCase() };
  const options = { ...DEFAULT_OPTIONS, ...action.after.options };
  const id = await putHalf(
    deps,
    vnet.id,
    existing?.name ?? halfName(accepter.id),
    accepter.id,
    options,
    ctx.deadline,
    false,
    existing,
  );
  return { status: 'done', peeringId: id };
}

/** accept-peering: create the reciprocal half on the accepter VNet with the options the policy wants. */
export async function acceptPeering(
  deps: PeeringApplyDeps,
  action: ActionOf<'accept-peering'>,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  const { requester, accepter } = action.target;
  if (!reachable(deps, accepter))
    return { status: 'skipped', detail: `accepter ${accepter.id} is outside the managed subscriptions` };
  const accepterVnet = await readVnet(deps, accepter, ctx.deadline);
  if (!accepterVnet) return { status: 'skipped', detail: `accepter VNet ${accepter.id} no longer exists` };
  let requesterHalfId: string | undefined;
  if (reachable(deps, requester)) {
    const requesterVnet = await readVnet(deps, requester, ctx.deadline);
    const request = requesterVnet && halfTowards(requesterVnet, accepter.id);
    if (!requesterVnet || !request)
      return { status: 'skipped', detail: `no half on ${requester.id} towards ${accepter.id}: nothing to accept` };
    requesterHalfId = request.id.toLowerCase();
    // A Disconnected request would make ARM refuse the reciprocal (RemotePeeringIsDisconnected): re-PUT it first.
    if (request.properties.peeringState === 'Disconnected') {
      await putHalf(
        deps,
        requesterVnet.id,
        request.name,
        accepter.id,
        optionsOf(request),
        ctx.deadline,
        false,
        request,
      );
    }
  }
  const existing = halfTowards(accepterVnet, requester.id);
  const pairId = (accepterHalfId: string): string | undefined => {
    if (!requesterHalfId) return undefined;
    return requester.id.toLowerCase() < accepter.id.toLowerCase() ? requesterHalfId : accepterHalfId;
  };
  if (existing && existing.properties.peeringState === 'Connected') {
    const id = pairId(existing.id.toLowerCase());
    return { status: 'converged', ...(id ? { peeringId: id } : {}) };
  }
  const options = { ...DEFAULT_OPTIONS, ...action.after.options };
  const halfId = await putHalf(
    deps,
    accepterVnet.id,
    existing?.name ?? halfName(requester.id),
    requester.id,
    options,
    ctx.deadline,
    false,
    existing,
  );
  const id = pairId(halfId);
  return { status: 'done', ...(id ? { peeringId: id } : {}) };
}

/** reject-peering: delete the remote-initiated half, which only works when it sits in one of our subscriptions. */
export async function rejectPeering(
  deps: PeeringApplyDeps,
  action: ActionOf<'reject-peering'>,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  const { requester, accepter } = action.target;
  if (!reachable(deps, requester)) {
    return {
      status: 'skipped',
      detail: `the requesting half lives in subscription ${requester.account}, outside ours: Azure has nothing to reject on our side`,
    };
  }
  const vnet = await readVnet(deps, requester, ctx.deadline);
  const half = vnet && halfTowards(vnet, accepter.id);
  if (!vnet || !half) return { status: 'converged', detail: 'the requesting half is already gone' };
  if (half.properties.peeringState === 'Connected')
    return { status: 'skipped', detail: `${half.id} is Connected: the request was accepted meanwhile` };
  const deleted = await deleteHalf(deps, vnet.id, half.name, ctx.deadline);
  return { status: deleted ? 'done' : 'converged' };
}

/** delete-peering: delete both halves we can reach. */
export async function deletePeering(
  deps: PeeringApplyDeps,
  action: ActionOf<'delete-peering'>,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  const { requester, accepter } = action.target;
  let deleted = 0;
  const out: string[] = [];
  for (const [local, remote] of [
    [requester, accepter],
    [accepter, requester],
  ] as const) {
    if (!reachable(deps, local)) {
      out.push(`${local.id} is outside the managed subscriptions`);
      continue;
    }
    const vnet = await readVnet(deps, local, ctx.deadline);
    const half = vnet && halfTowards(vnet, remote.id);
    if (vnet && half && (await deleteHalf(deps, vnet.id, half.name, ctx.deadline))) deleted += 1;
  }
  const detail = out.length > 0 ? { detail: out.join('; ') } : {};
  return { status: deleted > 0 ? 'done' : 'converged', ...detail };
}

/** update-peering: PUT new options on every reachable half and/or `?syncRemoteAddressSpace=true` on halves whose copy is stale. */
export async function updatePeering(
  deps: PeeringApplyDeps,
  action: ActionOf<'update-peering'>,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  const { requester, accepter } = action.target;
  let found = 0;
  let changed = 0;
  let unsyncedElsewhere = false;
  for (const [local, remote] of [
    [requester, accepter],
    [accepter, requester],
  ] as const) {
    if (!reachable(deps, local)) continue;
    const vnet = await readVnet(deps, local, ctx.deadline);
    const half = vnet && halfTowards(vnet, remote.id);
    if (!vnet || !half) continue;
    found += 1;
    const level = half.properties.peeringSyncLevel ?? 'FullyInSync';
    // "Local…NotInSync" = this half's copy of the remote address space is stale: syncing this half fixes it.
    const sync = action.sync === true && level.startsWith('Local');
    if (action.sync === true && level === 'RemoteNotInSync') unsyncedElsewhere = true;
    if (!sync && !differs(half, action.after)) continue;
    await putHalf(
      deps,
      vnet.id,
      half.name,
      remote.id,
      { ...optionsOf(half), ...action.after },
      ctx.deadline,
      sync,
      half,
    );
    changed += 1;
  }
  if (found === 0) return { status: 'skipped', detail: 'no half of this peering exists in the managed subscriptions' };
  if (changed > 0) return { status: 'done' };
  if (unsyncedElsewhere)
    return { status: 'skipped', detail: 'the half that needs a sync is outside the managed subscriptions' };
  return { status: 'converged' };
}
