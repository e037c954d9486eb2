import type { z } from 'zod';
import { MalformedEventError } from '../errors';

/** At most this many zod issues go into one error message; the rest would drown the first. */
const MAX_ISSUES_IN_MESSAGE = 3;

/**
 * Parses `value` with a (loose) zod schema or throws MalformedEventError naming the fields that are
 * wrong and a hint about what the sender probably meant to send.
 */
export function parseShape<T extends z.ZodType>(
  schema: T,
  value: unknown,
  what: string,
  hint: string,
  pathPrefix = '',
): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, MAX_ISSUES_IN_MESSAGE).map((issue) => {
    const path = `${pathPrefix}${issue.path.map(String).join('.')}` || '(root)';
    // zod says "Invalid input: expected string, received undefined"; for a person, the field is simply missing.
    return issue.message.endsWith('received undefined') ? `no ${path}` : `${path}: ${issue.message}`;
  });
  throw new MalformedEventError(`${what} is not readable (${issues.join('; ')}); ${hint}`);
}

/** A plain JSON object (not an array, not null), as a record for safe key lookups. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Nesting deeper than this in requestParameters is not a CloudTrail shape worth searching (they nest ≤ 4). */
const MAX_SEARCH_DEPTH = 8;

/**
 * The first non-empty string under a key named `key` (case-insensitive) anywhere in `value`, depth-first.
 * EC2 logs some calls as `{ vpcPeeringConnectionId }` and newer ones as `{ XRequest: { VpcPeeringConnectionId } }`;
 * searching by key copes with both without trusting anything else in the payload.
 */
export function findStringByKey(value: unknown, key: string, depth = 0): string | undefined {
  if (depth > MAX_SEARCH_DEPTH || typeof value !== 'object' || value === null) return undefined;
  const wanted = key.toLowerCase();
  const entries = Array.isArray(value)
    ? value.map((item, index) => [String(index), item] as const)
    : Object.entries(value);
  for (const [name, item] of entries) {
    if (name.toLowerCase() === wanted && typeof item === 'string' && item.length > 0) return item;
  }
  for (const [, item] of entries) {
    const found = findStringByKey(item, key, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
