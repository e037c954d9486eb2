import { z } from 'zod';
import { CloudSchema, NetworkRefSchema, TagsSchema } from './network';

/**
 * Where a transit hub lives: an AWS Transit Gateway (`tgw-…`, in the owner's account and region), an Azure Virtual
 * WAN hub (the virtualHubs resource id, in its subscription and location) or a Google NCC hub
 * (`projects/p/locations/global/hubs/h`, region `global`). Same shape as a network ref, so partition and key
 * functions work on both.
 */
export const TransitHubRefSchema = NetworkRefSchema;
export type TransitHubRef = z.infer<typeof TransitHubRefSchema>;

/** Where a hub route sends traffic: one of the hub's attachments, or anything else (a blackhole, a VPN, an NVA…). */
export const TransitRouteTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('attachment'), attachmentId: z.string().min(1) }),
  z.object({ kind: z.literal('other'), id: z.string().min(1) }),
]);
export type TransitRouteTarget = z.infer<typeof TransitRouteTargetSchema>;

/** One route of a hub route table: learned from a propagating attachment, or static (someone wrote it). */
export const TransitRouteSchema = z.object({
  destination: z.string().min(1),
  target: TransitRouteTargetSchema,
  origin: z.enum(['static', 'propagated']),
  state: z.enum(['active', 'blackhole']).optional(),
});
export type TransitRoute = z.infer<typeof TransitRouteSchema>;

/**
 * A hub route table: a TGW route table (`tgw-rtb-…`), a Virtual WAN hub route table (its name, e.g. `defaultRouteTable`)
 * or an NCC group (its name, e.g. `default`), which is what an NCC spoke is associated with.
 */
export const TransitRouteTableSchema = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  tags: TagsSchema.default({}),
  routes: z.array(TransitRouteSchema).default([]),
  /** NCC: the projects whose spokes this group accepts without review (peerkeeper may manage the list). */
  autoAccept: z.array(z.string()).optional(),
});
export type TransitRouteTable = z.infer<typeof TransitRouteTableSchema>;

/** A link out of the cloud that already exists on a hub: observed, never created (issue 17). */
export const InterconnectSchema = z.object({
  /** tgw-attach-… (vpn / direct-connect-gateway), a VPN or ExpressRoute gateway id, an NCC hybrid spoke name. */
  id: z.string().min(1),
  kind: z.enum(['vpn', 'direct-connect', 'expressroute', 'interconnect', 'hybrid-spoke']),
  name: z.string().optional(),
  state: z.enum(['active', 'other']).default('active'),
});
export type Interconnect = z.infer<typeof InterconnectSchema>;

export const TransitHubSchema = z.object({
  ref: TransitHubRefSchema,
  name: z.string().optional(),
  tags: TagsSchema.default({}),
  routeTables: z.array(TransitRouteTableSchema).default([]),
  interconnects: z.array(InterconnectSchema).default([]),
});
export type TransitHub = z.infer<typeof TransitHubSchema>;

/**
 * Normalized attachment lifecycle. AWS pendingAcceptance and NCC PENDING_REVIEW are `requested`; AWS
 * pending/modifying and Azure Updating/Provisioning are `pending`; AWS available, Azure Succeeded and NCC ACTIVE are
 * `active`.
 */
export const AttachmentStateSchema = z.enum(['requested', 'pending', 'active', 'rejected', 'failed', 'deleted']);
export type AttachmentState = z.infer<typeof AttachmentStateSchema>;

/** NCC export filters of a VPC spoke (ranges the hub must not, or may only, learn from it). */
export const ExportFiltersSchema = z.object({
  exclude: z.array(z.string()).optional(),
  include: z.array(z.string()).optional(),
});

/** A network attached to a transit hub: a TGW VPC attachment, a hubVirtualNetworkConnection, an NCC VPC spoke. */
export const AttachmentSchema = z.object({
  /** tgw-attach-…; the hubVirtualNetworkConnections resource id; `projects/p/locations/global/spokes/s`. */
  id: z.string().min(1),
  cloud: CloudSchema,
  hub: TransitHubRefSchema,
  network: NetworkRefSchema,
  state: AttachmentStateSchema,
  /** The hub route table (NCC: group) the attachment is associated with; absent = none. */
  association: z.string().optional(),
  /** The hub route tables the attachment propagates its ranges into (Azure: propagated route tables). */
  propagations: z.array(z.string()).default([]),
  /** Azure: the labels the connection propagates to. */
  labels: z.array(z.string()).optional(),
  exportFilters: ExportFiltersSchema.optional(),
  /** `peerkeeper:managed=true` marks ours (Azure: the connection's name prefix; NCC: a label). */
  tags: TagsSchema.default({}),
  /** AWS: the subnets the attachment has an interface in (one per Availability Zone). */
  subnets: z.array(z.string()).optional(),
  message: z.string().optional(),
  requestedBy: z.string().optional(),
});
export type Attachment = z.infer<typeof AttachmentSchema>;

/** An attachment that carries traffic or may become active. */
export function isLiveAttachment(state: AttachmentState): boolean {
  return state === 'requested' || state === 'pending' || state === 'active';
}

/** How an AWS attachment picks its subnets: the first subnet (by id) in each Availability Zone, or those tagged. */
export const SubnetSelectorSchema = z.union([
  z.literal('first-per-az'),
  z.strictObject({ tags: z.record(z.string(), z.string()) }),
]);
export type SubnetSelector = z.infer<typeof SubnetSelectorSchema>;

/** Names an attachment inside a plan; `id` is absent only for one an earlier create-attachment of the plan makes. */
export const AttachmentHandleSchema = z.object({
  id: z.string().optional(),
  hub: TransitHubRefSchema,
  network: NetworkRefSchema,
});
export type AttachmentHandle = z.infer<typeof AttachmentHandleSchema>;

/** How an attachment routes: its association and propagations (and Azure labels, NCC export filters). */
export const AttachmentRoutingSchema = z.object({
  association: z.string().optional(),
  propagations: z.array(z.string()),
  labels: z.array(z.string()).optional(),
  exportFilters: ExportFiltersSchema.optional(),
});
export type AttachmentRouting = z.infer<typeof AttachmentRoutingSchema>;
