import { z } from 'zod';
import { AccountSchema, CloudSchema, NetworkSchema } from './network';
import { PeeringSchema } from './peering';
import { AttachmentSchema, TransitHubSchema } from './transit';

/**
 * A partition (cloud, account, region) that an observation could not read completely, and why. Decisions that
 * depend on it are held; everything else proceeds (DESIGN §11). `account: '*'` covers every account of the cloud
 * (a failed discovery, or a subscription list); no `region` covers every region of the account.
 */
export const UnreadPartitionSchema = z.object({
  cloud: CloudSchema,
  account: z.string().min(1),
  region: z.string().min(1).optional(),
  /** One line per failed or truncated read: AccessDenied, throttled, truncated page… */
  reason: z.string().min(1),
});
export type UnreadPartition = z.infer<typeof UnreadPartitionSchema>;

/**
 * What one observation saw, of any cloud. `complete` is false when any list call failed or was truncated;
 * `unread` says where, and the planner holds every decision that depends on those partitions.
 */
export const ObservationSchema = z.object({
  complete: z.boolean(),
  /** Why the observation is incomplete (one line per failed or truncated read). */
  gaps: z.array(z.string()).default([]),
  /**
   * Which partitions the gaps are in. An incomplete observation without any (an old snapshot) is taken as knowing
   * nothing for certain: every change is held.
   */
  unread: z.array(UnreadPartitionSchema).optional(),
  accounts: z.array(AccountSchema).default([]),
  networks: z.array(NetworkSchema),
  peerings: z.array(PeeringSchema),
  /** Transit hubs (TGW, Virtual WAN hubs, NCC hubs) in the partitions read, with their route tables and interconnects. */
  transitHubs: z.array(TransitHubSchema).optional(),
  /** Networks attached to transit hubs, as the hub's owner (and the spoke's account) sees them. */
  attachments: z.array(AttachmentSchema).optional(),
});
export type Observation = z.infer<typeof ObservationSchema>;

/** The estate snapshot file the CLI reads and writes (`--estate`, `--out`). */
export const EstateSchema = ObservationSchema.extend({
  version: z.literal(1),
  observedAt: z.string(),
});
export type Estate = z.infer<typeof EstateSchema>;

/** The JSON Schema of the estate snapshot format. */
export function estateJsonSchema(): unknown {
  return z.toJSONSchema(EstateSchema, { io: 'input' });
}

type AttachmentView = NonNullable<Observation['attachments']>[number];

/** One attachment seen from two accounts: routing from whichever view has it, tags from both. */
function joinAttachmentViews(a: AttachmentView, b: AttachmentView): AttachmentView {
  return {
    ...a,
    ...b,
    tags: { ...a.tags, ...b.tags },
    propagations: b.propagations.length ? b.propagations : a.propagations,
    ...((b.association ?? a.association) !== undefined ? { association: b.association ?? a.association } : {}),
  };
}

/** Joins observations of several partitions; the result is complete only if every part was. */
export function mergeObservations(parts: readonly Observation[]): Observation {
  const networks = new Map<string, Observation['networks'][number]>();
  const peerings = new Map<string, Observation['peerings'][number]>();
  const accounts = new Map<string, Observation['accounts'][number]>();
  const hubs = new Map<string, NonNullable<Observation['transitHubs']>[number]>();
  const attachments = new Map<string, NonNullable<Observation['attachments']>[number]>();
  const gaps: string[] = [];
  const unread: UnreadPartition[] = [];
  let complete = true;
  for (const part of parts) {
    complete &&= part.complete;
    gaps.push(...part.gaps);
    unread.push(...(part.unread ?? []));
    for (const a of part.accounts) accounts.set(`${a.cloud}:${a.account}`, a);
    for (const n of part.networks) networks.set(`${n.ref.cloud}:${n.ref.account}:${n.ref.region}:${n.ref.id}`, n);
    for (const p of part.peerings) peerings.set(`${p.cloud}:${p.id}`, p);
    for (const h of part.transitHubs ?? []) hubs.set(`${h.ref.cloud}:${h.ref.id}`, h);
    for (const a of part.attachments ?? []) {
      // The spoke's account and the hub's owner each see the attachment; the owner sees its routing: keep both.
      const seen = attachments.get(`${a.cloud}:${a.id}`);
      attachments.set(`${a.cloud}:${a.id}`, seen ? joinAttachmentViews(seen, a) : a);
    }
  }
  return {
    complete,
    gaps,
    unread,
    accounts: [...accounts.values()],
    networks: [...networks.values()],
    peerings: [...peerings.values()],
    ...(hubs.size ? { transitHubs: [...hubs.values()] } : {}),
    ...(attachments.size ? { attachments: [...attachments.values()] } : {}),
  };
}
