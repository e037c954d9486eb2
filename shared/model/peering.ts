import { z } from 'zod';
import { CloudSchema, NetworkRefSchema, TagsSchema } from './network';

/** Normalized peering lifecycle. AWS pending-acceptance, Azure Initiated and GCP INACTIVE all map to `requested`. */
export const PeeringStateSchema = z.enum(['requested', 'active', 'rejected', 'failed', 'expired', 'deleted']);
export type PeeringState = z.infer<typeof PeeringStateSchema>;

/** Options any of the clouds know; each adapter maps the ones its cloud has and ignores the rest. */
export const PeeringOptionsSchema = z.object({
  /** AWS: allowDnsResolutionFromRemoteVpc. */
  allowDnsResolution: z.boolean().optional(),
  /** Azure. */
  allowVirtualNetworkAccess: z.boolean().optional(),
  allowForwardedTraffic: z.boolean().optional(),
  allowGatewayTransit: z.boolean().optional(),
  useRemoteGateways: z.boolean().optional(),
  /** GCP: custom route exchange is route propagation there. */
  exportCustomRoutes: z.boolean().optional(),
  importCustomRoutes: z.boolean().optional(),
  /** GCP: which families the peering exchanges; IPv6 flows only when both halves say IPV4_IPV6 (the API's default is IPV4_ONLY). */
  stackType: z.enum(['IPV4_ONLY', 'IPV4_IPV6']).optional(),
});
export type PeeringOptions = z.infer<typeof PeeringOptionsSchema>;

export const PeeringSchema = z.object({
  /** AWS pcx-…; Azure/GCP: a stable id the adapter derives from the two halves. */
  id: z.string().min(1),
  cloud: CloudSchema,
  requester: NetworkRefSchema,
  accepter: NetworkRefSchema,
  state: PeeringStateSchema,
  /** AWS: when a pending request expires (7 days after creation). */
  expiresAt: z.string().optional(),
  options: PeeringOptionsSchema.default({}),
  /** Tags on the peering (AWS: visible only in the creating account). `peerkeeper:managed=true` marks ours. */
  tags: TagsSchema.default({}),
  /** The ranges each side announced in the peering (AWS returns both sides' CIDR blocks); how we judge a partner we cannot observe. */
  requesterCidrs: z.array(z.string()).optional(),
  accepterCidrs: z.array(z.string()).optional(),
  /** Azure: the halves disagree with the current address spaces and need a sync. */
  needsSync: z.boolean().optional(),
  /** Why the cloud says it is in this state (e.g. AWS status message of a failed peering). */
  message: z.string().optional(),
  /** Who asked for it, when peerkeeper knows (a declared request): they may not approve it themselves. */
  requestedBy: z.string().optional(),
  /** GCP: CONSENSUS peerings change and go only when both networks' admins agree (requestRemovePeering on each side). */
  updateStrategy: z.enum(['INDEPENDENT', 'CONSENSUS']).optional(),
});
export type Peering = z.infer<typeof PeeringSchema>;

/** The tag peerkeeper puts on everything it creates. */
export const MANAGED_TAG = 'peerkeeper:managed';
/** The tag naming the policy connection a created peering serves. */
export const CONNECTION_TAG = 'peerkeeper:connection';

/** A peering that still carries traffic or may become active. */
export function isLive(state: PeeringState): boolean {
  return state === 'requested' || state === 'active';
}
