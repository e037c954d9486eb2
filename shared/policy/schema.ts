import { z } from 'zod';
import { CloudSchema, PeeringOptionsSchema, SubnetSelectorSchema } from '../model';

const oneOrMany = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** A named set of networks. Every field narrows the set; omitted fields match anything. */
export const GroupSchema = z
  .strictObject({
    cloud: CloudSchema.describe('The cloud the networks live in.'),
    account: oneOrMany
      .optional()
      .describe(
        'AWS account ids, Azure subscription ids or GCP project ids. Listing an account is what allows requests from it.',
      ),
    region: oneOrMany.optional().describe('AWS regions or Azure locations (GCP networks are global).'),
    tags: z
      .record(z.string(), z.string())
      .optional()
      .describe('Network tags that must all match (AWS tags, Azure tags). "*" matches any value.'),
    accountLabels: z
      .record(z.string(), z.string())
      .optional()
      .describe('Labels of the account / subscription / project (GCP networks have no labels).'),
    name: oneOrMany.optional().describe('Network names or ids; a trailing * matches a prefix.'),
    organizationalUnit: oneOrMany
      .optional()
      .describe(
        'AWS only: OU ids (ou-…, or the root r-…) or OU paths by name below the root (Workloads/Prod); accounts in nested OUs are included. Discovered through AWS Organizations.',
      ),
    managementGroup: oneOrMany
      .optional()
      .describe('Azure only: management group names (ids); subscriptions in nested management groups are included.'),
    folder: oneOrMany
      .optional()
      .describe('GCP only: folder ids (folders/123 or 123); projects in nested folders are included.'),
    organization: z
      .string()
      .min(1)
      .optional()
      .describe('GCP only: the organization id (organizations/123 or 123); every project under it, in any folder.'),
  })
  .describe(
    'A named set of networks, selected by cloud, account, region, tags, account labels, name and organization structure (only ACTIVE accounts are governed).',
  );
export type Group = z.infer<typeof GroupSchema>;

export const RouteTableSelectorSchema = z
  .union([z.enum(['all', 'main', 'none']), z.strictObject({ tags: z.record(z.string(), z.string()) })])
  .describe('Which route tables of each side peerkeeper manages for this connection.');
export type RouteTableSelector = z.infer<typeof RouteTableSelectorSchema>;

export const ConnectionRoutesSchema = z.strictObject({
  tables: RouteTableSelectorSchema.default('all'),
  /** Azure UDRs cannot target a peering; when set, managed Azure tables route peer ranges to this appliance. */
  azureNextHop: z
    .string()
    .optional()
    .describe('Azure only: the virtual appliance IP address (IPv4 or IPv6) that peer ranges are routed through.'),
  destinations: z
    .union([z.literal('spokes'), z.array(z.string().min(1)).min(1)])
    .optional()
    .describe(
      'via: transit only (AWS spokes): the ranges routed toward the hub: "spokes" (every other attached spoke, the default) or summary CIDRs; groups the hub reaches are added.',
    ),
});

const connectionBase = {
  name: z
    .string()
    .min(1)
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes')
    .describe('Unique name; tagged on what peerkeeper creates and shown in every reason.'),
  approval: z
    .enum(['auto', 'chat'])
    .default('auto')
    .describe('auto: accept and create; chat: ask the approvers first.'),
  routes: ConnectionRoutesSchema.default({ tables: 'all' }).describe(
    'Which route tables get routes to the peer ranges (AWS; Azure through azureNextHop; GCP exchanges routes itself).',
  ),
  options: PeeringOptionsSchema.default({}).describe(
    'Peering options to keep: allowDnsResolution (AWS); allowVirtualNetworkAccess, allowForwardedTraffic, allowGatewayTransit, useRemoteGateways (Azure); exportCustomRoutes, importCustomRoutes (GCP).',
  ),
};

/** How a transit connection attaches a spoke (AWS: which subnets; GCP: which ranges the hub may not learn). */
export const AttachmentOptionsSchema = z.strictObject({
  subnets: SubnetSelectorSchema.default('first-per-az').describe(
    'AWS: the subnets of the attachment, one per Availability Zone: "first-per-az" or { tags: {…} }.',
  ),
  excludeExportRanges: z
    .array(z.string().min(1))
    .optional()
    .describe('GCP NCC: ranges a VPC spoke does not export to the hub (export filter).'),
});
export type AttachmentOptions = z.infer<typeof AttachmentOptionsSchema>;

export const ConnectionSchema = z.discriminatedUnion('topology', [
  z.strictObject({
    ...connectionBase,
    topology: z.literal('hub-spoke'),
    hub: z.string().describe('Group of hub networks; with via: transit, the name of a transitHubs entry.'),
    spokes: z.string().describe('Group of spoke networks; each is peered to the hub (or attached to it).'),
    via: z
      .enum(['peering', 'transit'])
      .default('peering')
      .describe('peering: a peering per spoke; transit: each spoke is attached to the transit hub `hub` names.'),
    attachment: AttachmentOptionsSchema.optional().describe('via: transit only: how spokes are attached.'),
  }),
  z.strictObject({
    ...connectionBase,
    topology: z.literal('mesh'),
    members: z.string().describe('Group whose networks are all peered with each other.'),
  }),
  z.strictObject({
    ...connectionBase,
    topology: z.literal('pair'),
    between: z
      .tuple([z.string(), z.string()])
      .describe('Two groups; every network of the first is peered with every network of the second.'),
  }),
]);
export type Connection = z.infer<typeof ConnectionSchema>;

/** A link to another cloud that already exists on a transit hub, and the groups it reaches there. */
export const TransitReachSchema = z.strictObject({
  through: z
    .string()
    .min(1)
    .describe(
      'The existing interconnect: a VPN or Direct Connect attachment (tgw-attach-…), a VPN or ExpressRoute gateway, an NCC hybrid spoke. Observed, never created.',
    ),
  groups: z.array(z.string().min(1)).min(1).describe("The other clouds' groups reached through it."),
  via: z
    .string()
    .optional()
    .describe('The transitHubs entry on the far side, for the path the plan names (spoke → hub → interconnect → hub).'),
});

/** A transit hub peerkeeper attaches spokes to: a Transit Gateway, a Virtual WAN hub or an NCC hub. */
export const TransitHubDeclSchema = z.strictObject({
  cloud: CloudSchema.describe(
    'aws: a Transit Gateway; azure: a Virtual WAN hub; gcp: a Network Connectivity Center hub.',
  ),
  account: z.string().min(1).describe("The hub's owner: AWS account, Azure subscription or GCP project."),
  region: z
    .string()
    .min(1)
    .default('global')
    .describe('AWS region of the TGW or Azure location of the hub; GCP hubs are global.'),
  id: z
    .string()
    .min(1)
    .describe(
      'tgw-…; the Virtual WAN hub name or resource id; the NCC hub name (projects/p/locations/global/hubs/h or h).',
    ),
  associate: z
    .string()
    .min(1)
    .describe('The hub route table each spoke is associated with: tgw-rtb-…, a hub route table name, an NCC group.'),
  propagate: z
    .array(z.string().min(1))
    .optional()
    .describe('Hub route tables each spoke propagates its ranges into (default: the associated one). Not on NCC.'),
  labels: z.array(z.string().min(1)).optional().describe('Azure: route table labels each connection propagates to.'),
  reaches: z
    .array(TransitReachSchema)
    .default([])
    .describe('Other clouds reached from this hub over interconnects that already exist.'),
});
export type TransitHubDecl = z.infer<typeof TransitHubDeclSchema>;

export const DenySchema = z.strictObject({
  between: z
    .tuple([z.string(), z.string()])
    .describe('Two groups that must never be peered (deny wins over connections).'),
  reason: z.string().min(1).describe('Shown when a request is rejected or a pair refused.'),
});
export type Deny = z.infer<typeof DenySchema>;

const durationPattern = /^(\d+)(m|h|d)$/;
export const DurationSchema = z.string().regex(durationPattern, 'a duration like 30m, 72h or 7d');

export const ProvidersSchema = z
  .strictObject({
    aws: z
      .strictObject({
        roleName: z.string().default('peerkeeper-member').describe('The role peerkeeper assumes in member accounts.'),
        externalId: z.string().optional().describe('The ExternalId the member role requires.'),
        regions: z.array(z.string()).min(1).default(['us-east-1']).describe('Regions to observe in every account.'),
        hubAccount: z.string().optional().describe('The account the functions run in.'),
        accounts: z
          .array(z.string())
          .optional()
          .describe('Accounts to observe; defaults to the accounts the groups name.'),
        organizationRole: z
          .string()
          .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'a role ARN')
          .optional()
          .describe(
            "Read-only role (named peerkeeper-organization-reader: the hub may assume only that name) in the management account or a delegated administrator, through which organizationalUnit groups are discovered; absent = the functions' own credentials.",
          ),
      })
      .optional(),
    azure: z
      .strictObject({
        tenantId: z.string().optional().describe('The Entra ID tenant.'),
        subscriptions: z.array(z.string()).optional().describe('Subscriptions to observe.'),
        managementGroup: z
          .string()
          .optional()
          .describe('Observe every Enabled subscription under this management group (nested groups included).'),
      })
      .optional(),
    gcp: z
      .strictObject({
        projects: z.array(z.string()).optional().describe('Projects to observe.'),
        folder: z
          .string()
          .optional()
          .describe('Observe every ACTIVE project under this folder (nested folders included).'),
        organization: z
          .string()
          .optional()
          .describe('Observe every ACTIVE project under this organization (in any folder).'),
      })
      .optional(),
  })
  .default({});

/** Quotas the clouds apply, when the defaults were raised; an account's own applied quota wins when observed. */
export const CloudLimitsSchema = z.strictObject({
  peeringsPerNetwork: z
    .number()
    .int()
    .positive()
    .max(10_000)
    .optional()
    .describe('Peerings one network may have (AWS: active peerings per VPC, at most 125).'),
  routesPerTable: z
    .number()
    .int()
    .positive()
    .max(10_000)
    .optional()
    .describe('Routes one route table may hold (AWS: at most 1,000).'),
});

/** The one policy file that governs all three clouds. */
export const PolicySchema = z.strictObject({
  version: z.literal(1).describe('Policy format version.'),
  mode: z.enum(['observe', 'enforce']).default('enforce').describe('observe: plan and report only; enforce: act.'),
  /** peerkeeper's own identities; events they cause produce no work. */
  identities: z
    .array(z.string())
    .default([])
    .describe('Role ARNs, principal ids or service-account emails that are peerkeeper itself.'),
  providers: ProvidersSchema,
  groups: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/), GroupSchema),
  transitHubs: z
    .record(
      z.string().regex(/^[A-Za-z0-9_-]+$/),
      TransitHubDeclSchema.describe('A transit hub, named for connections (via: transit, hub: <name>).'),
    )
    .default({})
    .describe('Transit hubs that hub-spoke connections with via: transit attach spokes to.'),
  connections: z.array(ConnectionSchema).default([]),
  deny: z.array(DenySchema).default([]),
  unmatchedRequests: z
    .enum(['reject', 'ignore', 'chat'])
    .default('reject')
    .describe('What to do with a request no connection matches.'),
  approvals: z
    .strictObject({
      approvers: z.array(z.string()).default([]).describe('Slack user ids (U…) or user group ids (S…).'),
      ttl: DurationSchema.default('72h').describe(
        "How long an approval stays open: 1h to 7d, the clouds' request expiry (capped at the cloud's own expiry − 1 h).",
      ),
      channel: z.string().optional().describe('Slack channel id for approval messages.'),
    })
    .default({ approvers: [], ttl: '72h' }),
  drift: z
    .strictObject({
      routes: z
        .enum(['revert', 'report'])
        .default('revert')
        .describe('Managed routes that drifted: put back, or only report.'),
      peerings: z
        .enum(['revert', 'report'])
        .default('revert')
        .describe('Managed peerings deleted or changed: recreate / fix, or only report.'),
      unknownPeerings: z
        .enum(['report', 'ignore'])
        .default('report')
        .describe('Peerings the policy does not know: never touched, reported or ignored.'),
    })
    .default({ routes: 'revert', peerings: 'revert', unknownPeerings: 'report' }),
  limits: z
    .strictObject({
      maxChangesPerRun: z
        .number()
        .int()
        .positive()
        .default(50)
        .describe('Blast-radius cap: changes one run may make; the rest waits for the next run.'),
      aws: CloudLimitsSchema.optional().describe(
        'Applied AWS quotas when raised (defaults: 50 active peerings per VPC, 50 routes per table).',
      ),
      azure: CloudLimitsSchema.optional().describe(
        'Azure limits (defaults: 500 peerings per VNet, 400 routes per table).',
      ),
      gcp: CloudLimitsSchema.optional().describe('GCP quotas (default: 25 peerings per network).'),
    })
    .default({ maxChangesPerRun: 50 }),
});
export type Policy = z.infer<typeof PolicySchema>;
export type PolicyInput = z.input<typeof PolicySchema>;

/** Milliseconds in a policy duration such as `72h`. */
export function durationMs(duration: string): number {
  const m = durationPattern.exec(duration);
  if (!m) throw new Error(`not a duration: ${duration}`);
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}
