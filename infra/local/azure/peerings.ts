import { randomUUID } from 'node:crypto';
import { ArmError } from './armError';
import { firstOverlap } from '../ranges';
import type { HalfOptions, HalfRecord, HalfSettings, VnetRecord } from './records';
import type { AzureEmulatorState } from './state';

/** Azure's limit: 500 peerings per virtual network. */
export const MAX_PEERINGS_PER_VNET = 500;

export type PeeringState = 'Initiated' | 'Connected' | 'Disconnected';
export type PeeringSyncLevel = 'FullyInSync' | 'LocalNotInSync' | 'RemoteNotInSync' | 'LocalAndRemoteNotInSync';

export interface PutHalfInput {
  remoteId: string;
  /** PUT replaces: options and settings left out go back to their defaults. */
  options?: Partial<HalfOptions>;
  settings?: Partial<HalfSettings>;
  /** `?syncRemoteAddressSpace=true`: refresh this half's copy of the remote address space. */
  sync?: boolean;
}

const DEFAULT_OPTIONS: HalfOptions = {
  allowVirtualNetworkAccess: true,
  allowForwardedTraffic: false,
  allowGatewayTransit: false,
  useRemoteGateways: false,
};
/** ARM's defaults: a full (not subnet) peering of both address families. */
const DEFAULT_SETTINGS: HalfSettings = {
  doNotVerifyRemoteGateways: false,
  peerCompleteVnets: true,
  enableOnlyIPv6Peering: false,
};

/** The half on `vnet` whose remote is `remoteId`, if any (a VNet may peer a given remote only once). */
export function halfTowards(vnet: VnetRecord, remoteId: string): HalfRecord | undefined {
  const key = remoteId.toLowerCase();
  for (const half of vnet.peerings.values()) if (half.remoteId.toLowerCase() === key) return half;
  return undefined;
}

/** Initiated until the remote VNet has the reciprocal half; Connected while both exist; Disconnected after one goes. */
export function halfState(state: AzureEmulatorState, vnet: VnetRecord, half: HalfRecord): PeeringState {
  const remote = state.vnet(half.remoteId);
  if (remote && halfTowards(remote, vnet.id)) return 'Connected';
  return half.wasConnected || !remote ? 'Disconnected' : 'Initiated';
}

function sameSpace(a: readonly string[], b: readonly string[]): boolean {
  const left = [...a].map((p) => p.toLowerCase()).sort();
  const right = [...b].map((p) => p.toLowerCase()).sort();
  return left.length === right.length && left.every((p, i) => p === right[i]);
}

/**
 * Local = this half's copy of the remote address space is stale (sync this half);
 * Remote = the reciprocal half's copy of our address space is stale (sync that one).
 * The portal shows them as "Local sync required" / "Remote sync required".
 */
export function syncLevel(state: AzureEmulatorState, vnet: VnetRecord, half: HalfRecord): PeeringSyncLevel {
  const remote = state.vnet(half.remoteId);
  if (!remote) return 'FullyInSync';
  const localStale = !sameSpace(half.remoteSnapshot, remote.addressPrefixes);
  const reciprocal = halfTowards(remote, vnet.id);
  const remoteStale = reciprocal !== undefined && !sameSpace(reciprocal.remoteSnapshot, vnet.addressPrefixes);
  if (localStale && remoteStale) return 'LocalAndRemoteNotInSync';
  if (localStale) return 'LocalNotInSync';
  return remoteStale ? 'RemoteNotInSync' : 'FullyInSync';
}

function overlapError(half: string, a: VnetRecord, b: VnetRecord, pair: [string, string]): ArmError {
  return new ArmError(
    400,
    'VnetAddressSpacesOverlap',
    `Cannot create or update peering ${half}. Virtual networks ${a.id} and ${b.id} cannot be peered because their address spaces overlap. Overlapping address prefixes: ${pair[0]}, ${pair[1]}`,
  );
}

/**
 * The error for an address-space change that would overlap a VNet this one is peered with; ARM accepts
 * the PUT and fails its operation with it (`VnetAddressSpaceOverlapsWithAlreadyPeeredVnet`).
 */
export function peeredOverlap(
  state: AzureEmulatorState,
  vnet: VnetRecord,
  prefixes: readonly string[],
): ArmError | undefined {
  const peered = new Map<string, VnetRecord>();
  for (const half of vnet.peerings.values()) {
    const remote = state.vnet(half.remoteId);
    if (remote) peered.set(remote.id.toLowerCase(), remote);
  }
  for (const other of state.vnets.values()) if (halfTowards(other, vnet.id)) peered.set(other.id.toLowerCase(), other);
  for (const remote of peered.values()) {
    const pair = firstOverlap(prefixes, remote.addressPrefixes);
    if (pair) {
      return new ArmError(
        400,
        'VnetAddressSpaceOverlapsWithAlreadyPeeredVnet',
        `Address space ${pair[0]} of virtual network ${vnet.id} overlaps with address space ${pair[1]} of virtual network ${remote.id} which is already peered with it.`,
      );
    }
  }
  return undefined;
}

/** PUT of one half: validates like ARM (remote exists, no overlap, ≤500 per VNet, remote not Disconnected). */
export function putHalf(
  state: AzureEmulatorState,
  vnetId: string,
  name: string,
  input: PutHalfInput,
  visibleAt: number,
): { record: HalfRecord; created: boolean } {
  const vnet = state.requireVnet(vnetId);
  const halfId = `${vnet.id}/virtualNetworkPeerings/${name}`;
  const existing = vnet.peerings.get(name.toLowerCase());
  if (!input.remoteId)
    throw new ArmError(
      400,
      'InvalidRequestFormat',
      `Cannot parse the request: properties.remoteVirtualNetwork.id is required for ${halfId}.`,
    );
  if (existing && existing.remoteId.toLowerCase() !== input.remoteId.toLowerCase()) {
    throw new ArmError(
      400,
      'CannotChangeRemoteVirtualNetwork',
      `Peering ${halfId} cannot change its remote virtual network.`,
    );
  }
  const remote = state.vnet(input.remoteId);
  if (!remote)
    throw new ArmError(
      400,
      'InvalidResourceReference',
      `Resource ${input.remoteId} referenced by resource ${halfId} was not found.`,
    );
  if (remote.id.toLowerCase() === vnet.id.toLowerCase())
    throw new ArmError(400, 'InvalidRequestFormat', `Peering ${halfId} cannot peer a virtual network with itself.`);
  const twin = halfTowards(vnet, remote.id);
  if (!existing && twin) {
    throw new ArmError(
      400,
      'AnotherPeeringAlreadyReferencesRemoteVnet',
      `Peering ${halfId} cannot be created because another peering ${vnet.id}/virtualNetworkPeerings/${twin.name} already references remote virtual network ${remote.id}.`,
    );
  }
  if (state.isPending(remote)) {
    throw new ArmError(
      400,
      'ReferencedResourceNotProvisioned',
      `Cannot proceed with operation because resource ${remote.id} used by resource ${halfId} is not in Succeeded state. Resource is in Updating state and the last operation that updated/is updating the resource is PutVirtualNetworkOperation.`,
    );
  }
  const pair = firstOverlap(vnet.addressPrefixes, remote.addressPrefixes);
  if (pair) throw overlapError(halfId, vnet, remote, pair);
  if (!existing && vnet.peerings.size >= MAX_PEERINGS_PER_VNET) {
    throw new ArmError(
      400,
      'PeeringCountLimitReached',
      `Virtual network ${vnet.id} already has the maximum of ${MAX_PEERINGS_PER_VNET} peerings.`,
    );
  }
  const reciprocal = halfTowards(remote, vnet.id);
  if (reciprocal && halfState(state, remote, reciprocal) === 'Disconnected') {
    throw new ArmError(
      400,
      'RemotePeeringIsDisconnected',
      `Cannot create or update peering ${halfId} because remote peering ${remote.id}/virtualNetworkPeerings/${reciprocal.name} referencing parent virtual network ${vnet.id} is in Disconnected state. Update or re-create the remote peering to get it back to Initiated state. Peering gets Disconnected when remote vnet or remote peering is deleted and re-created.`,
    );
  }
  const record: HalfRecord = existing ?? {
    name,
    remoteId: remote.id,
    options: { ...DEFAULT_OPTIONS },
    settings: { ...DEFAULT_SETTINGS },
    remoteSnapshot: [...remote.addressPrefixes],
    wasConnected: false,
    resourceGuid: randomUUID(),
    visibleAt,
  };
  // PUT replaces the whole half, as ARM does: what the body leaves out is reset, never kept from before.
  record.options = { ...DEFAULT_OPTIONS, ...input.options };
  record.settings = { ...DEFAULT_SETTINGS, ...input.settings };
  // Updating a Disconnected half brings it back to Initiated (ARM's documented way out of Disconnected).
  if (existing && !reciprocal) record.wasConnected = false;
  if (input.sync) record.remoteSnapshot = [...remote.addressPrefixes];
  vnet.peerings.set(name.toLowerCase(), record);
  if (reciprocal) {
    record.wasConnected = true;
    reciprocal.wasConnected = true;
  }
  return { record, created: !existing };
}

/** DELETE of one half; the reciprocal half, if any, becomes Disconnected. */
export function deleteHalf(state: AzureEmulatorState, vnetId: string, name: string): boolean {
  return state.requireVnet(vnetId).peerings.delete(name.toLowerCase());
}
