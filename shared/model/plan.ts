import { z } from 'zod';
import { CloudSchema, NetworkRefSchema, RouteSchema, TagsSchema } from './network';
import { PeeringOptionsSchema, PeeringSchema } from './peering';
import { ScopeSchema } from './scope';
import { AttachmentHandleSchema, AttachmentRoutingSchema, AttachmentSchema, SubnetSelectorSchema } from './transit';

/** Stable action names: scripts depend on them (`--json`). */
export const ACTION_KINDS = [
  'create-peering',
  'accept-peering',
  'reject-peering',
  'delete-peering',
  'update-peering',
  'create-route',
  'replace-route',
  'delete-route',
  'request-approval',
  'report',
  'create-attachment',
  'accept-attachment',
  'reject-attachment',
  'update-attachment',
  'delete-attachment',
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/**
 * Names a peering inside a plan. `id` is absent only for a peering that an earlier
 * `create-peering` of the same plan creates; the executor resolves it by its two networks.
 */
export const PeeringHandleSchema = z.object({
  id: z.string().optional(),
  requester: NetworkRefSchema,
  accepter: NetworkRefSchema,
});
export type PeeringHandle = z.infer<typeof PeeringHandleSchema>;

/** One route slot: a destination in one route table of one network. */
export const RouteAddressSchema = z.object({
  network: NetworkRefSchema,
  routeTableId: z.string().min(1),
  destination: z.string().min(1),
});
export type RouteAddress = z.infer<typeof RouteAddressSchema>;

/** What a planned route points at: a peering (maybe created earlier in the plan) or another next hop. */
export const PlannedRouteTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('peering'), peering: PeeringHandleSchema }),
  z.object({ kind: z.literal('other'), id: z.string().min(1) }),
]);
export type PlannedRouteTarget = z.infer<typeof PlannedRouteTargetSchema>;

const base = { cloud: CloudSchema, reason: z.string().min(1), connection: z.string().optional() };

export const ActionSchema = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('create-peering'),
    ...base,
    target: PeeringHandleSchema,
    after: z.object({ options: PeeringOptionsSchema, tags: TagsSchema }),
    /** The managed peering this one recreates (deleted, expired, failed), so the old peering's event covers it. */
    replaces: z.string().optional(),
  }),
  z.object({
    action: z.literal('accept-peering'),
    ...base,
    target: PeeringHandleSchema,
    /**
     * `tags`: peerkeeper's own tags for the accepter's view of a peering it requested. AWS shows a peering's
     * tags only in the account that set them, so without them the accepter cannot tell the link is ours.
     */
    after: z.object({ options: PeeringOptionsSchema, tags: TagsSchema.optional() }),
  }),
  z.object({ action: z.literal('reject-peering'), ...base, target: PeeringHandleSchema }),
  z.object({ action: z.literal('delete-peering'), ...base, target: PeeringHandleSchema, before: PeeringSchema }),
  z.object({
    action: z.literal('update-peering'),
    ...base,
    target: PeeringHandleSchema,
    before: PeeringOptionsSchema,
    after: PeeringOptionsSchema,
    sync: z.boolean().optional(),
  }),
  // `peer`: the network whose range the route carries, so a scoped plan (an event on the peer) keeps it.
  z.object({
    action: z.literal('create-route'),
    ...base,
    target: RouteAddressSchema,
    after: PlannedRouteTargetSchema,
    peer: NetworkRefSchema.optional(),
  }),
  z.object({
    action: z.literal('replace-route'),
    ...base,
    target: RouteAddressSchema,
    before: RouteSchema,
    after: PlannedRouteTargetSchema,
    peer: NetworkRefSchema.optional(),
  }),
  z.object({ action: z.literal('delete-route'), ...base, target: RouteAddressSchema, before: RouteSchema }),
  // An attachment's approval names the spoke as requester and the transit hub as accepter (`link: 'attachment'`).
  z.object({
    action: z.literal('request-approval'),
    ...base,
    target: PeeringHandleSchema,
    expiresAt: z.string(),
    link: z.literal('attachment').optional(),
  }),
  z.object({
    action: z.literal('report'),
    ...base,
    /** What the finding is about; `networks` lets a scoped plan keep the findings of its scope. */
    target: z.object({ subject: z.string(), networks: z.array(NetworkRefSchema).optional() }),
    severity: z.enum(['info', 'warning', 'error']),
  }),
  // Transit links (issue 17): attach a network to a hub, decide a pending attachment, keep its routing as declared.
  z.object({
    action: z.literal('create-attachment'),
    ...base,
    target: AttachmentHandleSchema,
    after: z.object({ routing: AttachmentRoutingSchema, tags: TagsSchema, subnets: SubnetSelectorSchema.optional() }),
  }),
  z.object({
    action: z.literal('accept-attachment'),
    ...base,
    target: AttachmentHandleSchema,
    after: z.object({ routing: AttachmentRoutingSchema, tags: TagsSchema.optional() }),
  }),
  z.object({ action: z.literal('reject-attachment'), ...base, target: AttachmentHandleSchema }),
  z.object({
    action: z.literal('update-attachment'),
    ...base,
    target: AttachmentHandleSchema,
    before: AttachmentRoutingSchema,
    after: AttachmentRoutingSchema,
  }),
  z.object({
    action: z.literal('delete-attachment'),
    ...base,
    target: AttachmentHandleSchema,
    before: AttachmentSchema,
  }),
]);
export type Action = z.infer<typeof ActionSchema>;
export type ActionOf<K extends ActionKind> = Extract<Action, { action: K }>;

/** Deletions and replacements: what a partial view is most tempted to get wrong (DESIGN §2 rule 4). */
export function isDestructive(action: Action): boolean {
  return (
    action.action === 'delete-peering' ||
    action.action === 'delete-route' ||
    action.action === 'replace-route' ||
    action.action === 'delete-attachment'
  );
}

const ATTACHMENT_KINDS: ReadonlySet<ActionKind> = new Set([
  'create-attachment',
  'accept-attachment',
  'reject-attachment',
  'update-attachment',
  'delete-attachment',
]);
export type AttachmentAction = ActionOf<
  'create-attachment' | 'accept-attachment' | 'reject-attachment' | 'update-attachment' | 'delete-attachment'
>;

/** True for the actions on transit attachments (their target names a hub and a network). */
export function isAttachmentAction(action: Action): action is AttachmentAction {
  return ATTACHMENT_KINDS.has(action.action);
}

/** What an action is about, in one line: audit entries, held actions and logs use the same words. */
export function actionSubject(action: Action): string {
  if (action.action === 'report') return action.target.subject;
  if (isAttachmentAction(action)) {
    const t = action.target;
    return `${action.cloud}:${t.id ?? `${t.network.id}->${t.hub.id}`}`;
  }
  const t = action.target;
  return 'network' in t
    ? `${action.cloud}:${t.routeTableId}:${t.destination}`
    : `${action.cloud}:${t.id ?? `${t.requester.id}->${t.accepter.id}`}`;
}

/** True for actions that change the cloud (everything but approvals requests and reports). */
export function isMutating(action: Action): boolean {
  return action.action !== 'report' && action.action !== 'request-approval';
}

export const ProblemSchema = z.object({
  severity: z.enum(['info', 'warning', 'error']),
  code: z.string(),
  message: z.string(),
});
export type Problem = z.infer<typeof ProblemSchema>;

/**
 * An action the planner would take but may not yet: its decision depends on partitions (`cloud:account:region`)
 * that were not read completely. Never executed; the next complete read decides it (DESIGN §11).
 */
export const HeldActionSchema = z.object({
  action: ActionSchema,
  waitingFor: z.array(z.string()).min(1),
  reason: z.string().min(1),
});
export type HeldAction = z.infer<typeof HeldActionSchema>;

/** Whether one partition (cloud, account, region) was read completely, and if not, why. */
export const PartitionStatusSchema = z.object({
  cloud: CloudSchema,
  account: z.string().min(1),
  region: z.string().optional(),
  complete: z.boolean(),
  reasons: z.array(z.string()),
});
export type PartitionStatus = z.infer<typeof PartitionStatusSchema>;

/** A plan is data: ordered actions, each with a reason, and whether the observation behind it was complete. */
export const PlanSchema = z.object({
  complete: z.boolean(),
  scope: ScopeSchema,
  mode: z.enum(['observe', 'enforce']),
  actions: z.array(ActionSchema),
  /** Actions waiting for a complete read of what they depend on; never executed. */
  held: z.array(HeldActionSchema).default([]),
  /** Per-partition completeness: what was read and what was not (the planner lists the unread ones). */
  partitions: z.array(PartitionStatusSchema).default([]),
  problems: z.array(ProblemSchema),
});
export type Plan = z.infer<typeof PlanSchema>;
