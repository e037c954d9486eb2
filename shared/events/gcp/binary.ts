import { MalformedEventError } from '../../errors';

/** HTTP header values as Node and the functions framework hand them over. */
export type HttpHeaders = Record<string, string | string[] | undefined>;

/**
 * Builds a structured CloudEvent from a binary-mode request: every `ce-<attr>` header becomes attribute `<attr>`
 * (as @google-cloud/functions-framework does it: no percent-decoding, so ids like `…cloudaudit.googleapis.com%2Factivity…`
 * stay byte-identical to the structured form) and the body becomes `data`. Throws MalformedEventError when the body is
 * not JSON (Eventarc can be set to send protobuf; peerkeeper reads JSON only).
 */
export function cloudEventFromBinary(headers: HttpHeaders, body: unknown): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  let contentType: string | undefined;
  for (const [name, raw] of Object.entries(headers)) {
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (lower.startsWith('ce-') && lower.length > 3) event[lower.slice(3)] = value;
    if (lower === 'content-type') contentType = value.toLowerCase();
  }
  if (contentType !== undefined && !contentType.includes('json')) {
    throw new MalformedEventError(
      `GCP CloudEvent ${String(event['id'] ?? '(no id)')} has content-type "${contentType}"; ` +
        'peerkeeper reads JSON audit-log events only (set the Eventarc trigger to application/json).',
    );
  }
  event['data'] = jsonBody(body, event['id']);
  if (contentType !== undefined && event['datacontenttype'] === undefined) event['datacontenttype'] = contentType;
  return event;
}

function jsonBody(body: unknown, id: unknown): unknown {
  const text = body instanceof Uint8Array ? new TextDecoder().decode(body) : body;
  if (typeof text !== 'string') return body;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new MalformedEventError(`GCP CloudEvent ${String(id ?? '(no id)')} has a body that is not JSON.`, {
      cause: error,
    });
  }
}
