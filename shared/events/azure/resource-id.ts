/**
 * An Azure Resource Manager id split into its parts, e.g.
 * `/subscriptions/S/resourceGroups/G/providers/Microsoft.Network/virtualNetworks/V/virtualNetworkPeerings/P`
 * → { subscription: 'S', resourceGroup: 'G', provider: 'Microsoft.Network', types: [['virtualNetworks','V'], ['virtualNetworkPeerings','P']] }.
 */
export interface ArmId {
  subscription: string | undefined;
  resourceGroup: string | undefined;
  provider: string | undefined;
  /** Type/name pairs below the provider, outermost first. */
  types: readonly (readonly [string, string])[];
}

/** Parses an ARM resource id; undefined when it is not one (ARM ids are case-insensitive, casing is kept here). */
export function parseArmId(id: string): ArmId | undefined {
  const parts = id.split('/');
  if (parts[0] !== '' || parts.length < 3) return undefined;
  const segments = parts.slice(1);
  if (segments.some((segment) => segment.length === 0)) return undefined;
  let subscription: string | undefined;
  let resourceGroup: string | undefined;
  let provider: string | undefined;
  let index = 0;
  if (segments[index]?.toLowerCase() === 'subscriptions') {
    subscription = segments[index + 1];
    index += 2;
  }
  if (subscription !== undefined && segments[index]?.toLowerCase() === 'resourcegroups') {
    resourceGroup = segments[index + 1];
    index += 2;
  }
  if (segments[index]?.toLowerCase() === 'providers') {
    provider = segments[index + 1];
    index += 2;
  }
  if (index > segments.length) return undefined;
  const rest = segments.slice(index);
  if (rest.length % 2 !== 0 || (rest.length > 0 && provider === undefined)) return undefined;
  const types: (readonly [string, string])[] = [];
  for (let at = 0; at < rest.length; at += 2) types.push([rest[at] ?? '', rest[at + 1] ?? '']);
  return { subscription, resourceGroup, provider, types };
}

/**
 * The id of the resource `depth` types deep (1 = the top resource under the provider), lower-cased: ARM treats
 * ids case-insensitively but events spell them inconsistently (`resourcegroups` in one, `resourceGroups` in the
 * next), and peerkeeper keys networks by id.
 */
export function armIdPrefix(arm: ArmId, depth: number): string | undefined {
  if (
    arm.subscription === undefined ||
    arm.resourceGroup === undefined ||
    arm.provider === undefined ||
    arm.types.length < depth
  )
    return undefined;
  const types = arm.types
    .slice(0, depth)
    .map(([type, name]) => `/${type}/${name}`)
    .join('');
  return `/subscriptions/${arm.subscription}/resourcegroups/${arm.resourceGroup}/providers/${arm.provider}${types}`.toLowerCase();
}
