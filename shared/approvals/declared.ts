import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parseCidr } from '../cidr';
import { CloudSchema, networkKey, NetworkRefSchema, type NetworkRef, type Peering } from '../model';
import type { ApprovalStore } from '../stores/ports';
import { ApprovalRecordSchema, type ApprovalRecord } from './record';

/**
 * A peering request peerkeeper cannot see: GCP cannot list incoming peerings, and an Azure half from another
 * tenant may leave no event with us. Someone declares it (`peerkeeper request`, `/peerkeeper request`); the
 * reconciler then judges it like an observed request (accept / chat / reject). AWS requests are always visible
 * to the accepter account, so they are never declared.
 */
export interface DeclaredRequest {
  /** `declared-<12 hex>` of the pair, so declaring the same pair twice is one request. */
  id: string;
  cloud: 'azure' | 'gcp';
  requester: NetworkRef;
  accepter: NetworkRef;
  /** The partner's ranges as declared: the only ones the overlap checks can use. */
  cidrs: string[];
  /** Who declared it (Slack user id or CLI identity): that identity may not approve it. */
  requestedBy?: string;
  createdAt: string;
  expiresAt: string;
}

/** A declared request is judged for 7 days, like an AWS pending request; declare it again after that. */
export const DECLARED_REQUEST_LIFETIME_MS = 7 * 24 * 3_600_000;
/** Ids of declared requests; no approval id (`aws-…`, `azure-…`, `gcp-…`) starts so. */
export const DECLARED_PREFIX = 'declared-';

/** The declared request's id (and the synthetic peering's id). */
export function declaredRequestId(requester: NetworkRef, accepter: NetworkRef): string {
  return (
    DECLARED_PREFIX +
    createHash('sha256')
      .update(`${networkKey(requester)}>${networkKey(accepter)}`)
      .digest('hex')
      .slice(0, 12)
  );
}

/** Parses `cloud:account:region:id` (the id may itself contain colons). */
export function parseNetworkKey(key: string): NetworkRef | undefined {
  const [cloud, account, region, ...rest] = key.split(':');
  const parsed = NetworkRefSchema.safeParse({ cloud, account, region, id: rest.join(':') });
  return parsed.success && rest.length > 0 ? parsed.data : undefined;
}

const DeclareInputSchema = z.object({
  requester: NetworkRefSchema.extend({ cloud: CloudSchema.exclude(['aws']) }),
  accepters: z.array(NetworkRefSchema).min(1),
  cidrs: z.array(z.string().min(1)).min(1),
});

/** Validates a declaration; the message says what to fix. */
export function declaredRequests(
  input: { requester: NetworkRef; accepters: NetworkRef[]; cidrs: string[]; requestedBy?: string },
  now: Date,
): DeclaredRequest[] {
  if (input.requester.cloud === 'aws')
    throw new RangeError(
      'AWS peering requests are visible to the accepter account; peerkeeper finds them without a declaration',
    );
  const parsed = DeclareInputSchema.safeParse(input);
  if (!parsed.success)
    throw new RangeError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  for (const cidr of input.cidrs) parseCidr(cidr); // throws with the bad CIDR named
  const cloud = input.requester.cloud;
  const wrong = input.accepters.find((a) => a.cloud !== cloud);
  if (wrong) throw new RangeError(`${networkKey(wrong)} is not in ${cloud}: a peering joins two networks of one cloud`);
  return input.accepters.map((accepter) => ({
    id: declaredRequestId(input.requester, accepter),
    cloud,
    requester: input.requester,
    accepter,
    cidrs: input.cidrs,
    ...(input.requestedBy ? { requestedBy: input.requestedBy } : {}),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + DECLARED_REQUEST_LIFETIME_MS).toISOString(),
  }));
}

/**
 * Declared requests kept in the approval store (so every cloud's store holds them without a new table): one
 * record per request, id `declared-…`, status `superseded` — final, so it is never listed as pending, never
 * expired, never decided. The approval of the request itself is an ordinary record keyed by the peering.
 */
export class DeclaredRequestRegistry {
  constructor(private readonly store: ApprovalStore) {}

  /** Stores the request; `exists` when the same pair was declared before (the first declaration stands). */
  async register(request: DeclaredRequest): Promise<'created' | 'exists'> {
    return this.store.put(
      ApprovalRecordSchema.parse({
        id: request.id,
        cloud: request.cloud,
        peeringId: request.id,
        requester: request.requester,
        accepter: request.accepter,
        requesterCidrs: request.cidrs,
        accepterCidrs: [],
        reason: 'declared peering request',
        status: 'superseded',
        createdAt: request.createdAt,
        expiresAt: request.expiresAt,
        note: 'declared request (not an approval)',
        version: 1,
        ...(request.requestedBy ? { requestedBy: request.requestedBy } : {}),
      } satisfies ApprovalRecord),
    );
  }

  /** Requests still within their lifetime at `now`. */
  async active(now: Date): Promise<DeclaredRequest[]> {
    const records = await this.store.listByStatus('superseded');
    return records
      .filter((r) => r.id.startsWith(DECLARED_PREFIX) && r.cloud !== 'aws' && Date.parse(r.expiresAt) > now.getTime())
      .map((r) => ({
        id: r.id,
        cloud: r.cloud as 'azure' | 'gcp',
        requester: r.requester,
        accepter: r.accepter,
        cidrs: r.requesterCidrs,
        ...(r.requestedBy ? { requestedBy: r.requestedBy } : {}),
        createdAt: r.createdAt,
        expiresAt: r.expiresAt,
      }));
  }

  /** What ReconcileDeps.declaredRequests wants: the active requests as `requested` peerings. */
  peerings(now: () => Date): () => Promise<Peering[]> {
    return async () => (await this.active(now())).map(declaredPeering);
  }
}

/** A declared request as the synthetic `requested` peering the planner judges. */
export function declaredPeering(request: DeclaredRequest): Peering {
  return {
    id: request.id,
    cloud: request.cloud,
    requester: request.requester,
    accepter: request.accepter,
    state: 'requested',
    options: {},
    tags: {},
    requesterCidrs: request.cidrs,
    message: `declared${request.requestedBy ? ` by ${request.requestedBy}` : ''} at ${request.createdAt}`,
    ...(request.requestedBy ? { requestedBy: request.requestedBy } : {}),
  };
}
