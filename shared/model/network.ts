import { z } from 'zod';

/** The three clouds peerkeeper governs. */
export const CloudSchema = z.enum(['aws', 'azure', 'gcp']);
export type Cloud = z.infer<typeof CloudSchema>;
export const CLOUDS: readonly Cloud[] = CloudSchema.options;

/**
 * Where a network lives. account = AWS account id | Azure subscription id | GCP project id;
 * region = AWS region | Azure location | 'global' (GCP networks are global);
 * id = vpc-… | VNet resource id | network name.
 */
export const NetworkRefSchema = z.object({
  cloud: CloudSchema,
  account: z.string().min(1),
  region: z.string().min(1),
  id: z.string().min(1),
});
export type NetworkRef = z.infer<typeof NetworkRefSchema>;

// Refs are never mutated once built (they come from adapters, snapshots and the planner), so one key per ref object
// is built once: at 100k networks a plan asks for ~10M keys, and a fresh string each time was most of the garbage
// and most of the Map hashing (a reused string keeps its hash).
const keys = new WeakMap<NetworkRef, string>();

/** A stable string key for a network: `cloud:account:region:id`. The same string object for the same ref object. */
export function networkKey(ref: NetworkRef): string {
  let key = keys.get(ref);
  if (key === undefined) {
    key = `${ref.cloud}:${ref.account}:${ref.region}:${ref.id}`;
    keys.set(ref, key);
  }
  return key;
}

/** True when both refs name the same network. */
export function sameNetwork(a: NetworkRef, b: NetworkRef): boolean {
  return networkKey(a) === networkKey(b);
}

/** Where a route sends traffic: a peering, or anything else (igw-, nat-, tgw-, VirtualAppliance:10.0.0.4, …). */
export const RouteTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('peering'), peeringId: z.string().min(1) }),
  z.object({ kind: z.literal('other'), id: z.string().min(1) }),
]);
export type RouteTarget = z.infer<typeof RouteTargetSchema>;

export const RouteSchema = z.object({
  destination: z.string().min(1),
  target: RouteTargetSchema,
  origin: z.enum(['static', 'propagated', 'system']),
  state: z.enum(['active', 'blackhole']).optional(),
});
export type Route = z.infer<typeof RouteSchema>;

export const TagsSchema = z.record(z.string(), z.string());

export const RouteTableSchema = z.object({
  id: z.string().min(1),
  network: NetworkRefSchema,
  main: z.boolean().optional(),
  tags: TagsSchema.default({}),
  routes: z.array(RouteSchema).default([]),
});
export type RouteTable = z.infer<typeof RouteTableSchema>;

export const NetworkSchema = z.object({
  ref: NetworkRefSchema,
  name: z.string().optional(),
  /** Every IPv4 and IPv6 range of the network (AWS VPC CIDRs, Azure address space, GCP subnet ranges). */
  cidrs: z.array(z.string().min(1)),
  tags: TagsSchema.default({}),
  routeTables: z.array(RouteTableSchema).default([]),
});
export type Network = z.infer<typeof NetworkSchema>;

/** Quotas a cloud applies to an account, where it exposes them (AWS Service Quotas); absent = not read. */
export const AccountQuotasSchema = z.object({
  peeringsPerNetwork: z.number().int().positive().optional(),
  routesPerTable: z.number().int().positive().optional(),
});

/** A container of an organization: an AWS root (r-…) or OU (ou-…), an Azure management group, a GCP organization or folder. */
export const OrganizationUnitSchema = z.object({
  /** AWS `r-…` / `ou-…`; Azure management group name; GCP `organizations/N` / `folders/N`. */
  id: z.string().min(1),
  /** The display name (AWS OU name, management group or folder display name): OU paths are built from these. */
  name: z.string().optional(),
});
export type OrganizationUnit = z.infer<typeof OrganizationUnitSchema>;

/** An AWS account, Azure subscription or GCP project, with what selectors and chat messages show. */
export const AccountSchema = z.object({
  cloud: CloudSchema,
  account: z.string().min(1),
  name: z.string().optional(),
  labels: TagsSchema.default({}),
  quotas: AccountQuotasSchema.optional(),
  /**
   * Where the account sits in its organization, root first, nearest container last (discovered). Absent = not
   * discovered: a group that selects by organization structure does not match it.
   */
  ancestors: z.array(OrganizationUnitSchema).optional(),
});
export type Account = z.infer<typeof AccountSchema>;
