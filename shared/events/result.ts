import { MalformedEventError } from '../errors';
import { TriggerSchema, type Trigger } from '../model';

/**
 * What a normalizer makes of one raw event: work for `reconcileScope`, or a reason to do nothing.
 * Ignoring is an answer, not an error: failed calls, our own writes and read-only calls are normal traffic.
 */
export type NormalizeResult = { kind: 'work'; trigger: Trigger } | { kind: 'ignore'; reason: string; eventId?: string };

/** Options every normalizer takes: the identities peerkeeper itself acts as (see isOwnIdentity). */
export interface NormalizeOptions {
  identities: readonly string[];
}

/**
 * Wraps a trigger as work after checking it against TriggerSchema, so no normalizer can hand the
 * handler a trigger it would reject later (an empty account id, say); such an event is malformed.
 */
export function work(trigger: Trigger, cloud: string): NormalizeResult {
  const parsed = TriggerSchema.safeParse(trigger);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'invalid';
    throw new MalformedEventError(`${cloud} event ${trigger.eventId || '(no id)'} names an unusable scope (${where}).`);
  }
  return { kind: 'work', trigger: parsed.data };
}

/** An event that needs no work, with the reason for the log. */
export function ignore(reason: string, eventId?: string): NormalizeResult {
  return eventId === undefined ? { kind: 'ignore', reason } : { kind: 'ignore', reason, eventId };
}
