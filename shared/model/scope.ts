import { z } from 'zod';
import { CloudSchema, NetworkRefSchema } from './network';

/**
 * What one reconcile re-checks. Events only name a scope; the handler re-reads live state for it
 * (level-triggered: duplicate, late or lost events are harmless).
 * A region of '*' means "unknown: resolve by observing the account" — Azure resource ids carry no location,
 * so scopes built from Azure events use it.
 */
export const ScopeSchema = z.discriminatedUnion('kind', [
  /** Everything the policy names: the sweep. */
  z.object({ kind: z.literal('estate') }),
  /** One account / subscription / project, optionally one region of it. */
  z.object({
    kind: z.literal('account'),
    cloud: CloudSchema,
    account: z.string().min(1),
    region: z.string().optional(),
  }),
  z.object({ kind: z.literal('network'), network: NetworkRefSchema }),
  z.object({
    kind: z.literal('peering'),
    cloud: CloudSchema,
    account: z.string().min(1),
    region: z.string().min(1),
    peeringId: z.string().min(1),
  }),
  /** A route table; events rarely say which network it belongs to, so `network` is optional. */
  z.object({
    kind: z.literal('route-table'),
    cloud: CloudSchema,
    account: z.string().min(1),
    region: z.string().min(1),
    routeTableId: z.string().min(1),
    network: NetworkRefSchema.optional(),
  }),
]);
export type Scope = z.infer<typeof ScopeSchema>;

export const TriggerKindSchema = z.enum([
  'vending',
  'network',
  'peering',
  'route',
  'sweep',
  'poll',
  'approval',
  'request',
  'cli',
]);
export type TriggerKind = z.infer<typeof TriggerKindSchema>;

/** A normalized event: which scope to re-check, who caused it, and the event id (for idempotency and audit). */
export const TriggerSchema = z.object({
  scope: ScopeSchema,
  kind: TriggerKindSchema,
  eventId: z.string().min(1),
  /** The identity that caused the event (role ARN, principal, email), when the event says. */
  actor: z.string().optional(),
  /** When the event happened (ISO 8601), when the event says. */
  at: z.string().optional(),
  /** The API call or event type, for logs (e.g. `CreateRoute`). */
  source: z.string().optional(),
});
export type Trigger = z.infer<typeof TriggerSchema>;

/** Human-readable scope, for logs and plan headers. */
export function describeScope(scope: Scope): string {
  switch (scope.kind) {
    case 'estate':
      return 'estate';
    case 'account':
      return `${scope.cloud}:${scope.account}${scope.region ? `:${scope.region}` : ''}`;
    case 'network':
      return `${scope.network.cloud}:${scope.network.account}:${scope.network.region}:${scope.network.id}`;
    case 'peering':
      return `${scope.cloud}:${scope.account}:${scope.region}:${scope.peeringId}`;
    case 'route-table':
      return `${scope.cloud}:${scope.account}:${scope.region}:${scope.routeTableId}`;
  }
}
