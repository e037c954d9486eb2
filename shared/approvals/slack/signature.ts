import { createHmac, timingSafeEqual } from 'node:crypto';
import { TerminalError } from '../../errors';

/** A request that is not provably from Slack: answer 401 and do not parse it. */
export class SlackSignatureError extends TerminalError {
  override readonly name: string = 'SlackSignatureError';
}

/** Slack's replay window: requests whose timestamp is more than 5 minutes from now, either way, are refused. */
export const SLACK_MAX_SKEW_SECONDS = 300;

export interface SlackSignatureInput {
  /** The body exactly as received, before any parsing or decoding. */
  rawBody: string | Buffer;
  /** X-Slack-Request-Timestamp (seconds since the epoch). */
  timestamp: string | undefined;
  /** X-Slack-Signature (`v0=<64 hex>`). */
  signature: string | undefined;
  signingSecret: string;
  now: Date;
}

/**
 * Verifies a Slack request: HMAC-SHA256 with the signing secret over `v0:<timestamp>:<raw body>`,
 * compared in constant time. Only version `v0` exists; anything else is refused. Throws
 * SlackSignatureError; its messages never contain the secret or the signature.
 */
export function verifySlackSignature(input: SlackSignatureInput): void {
  const { timestamp, signature } = input;
  if (!timestamp) throw new SlackSignatureError('missing X-Slack-Request-Timestamp');
  if (!signature) throw new SlackSignatureError('missing X-Slack-Signature');
  if (!/^\d{1,12}$/.test(timestamp))
    throw new SlackSignatureError('X-Slack-Request-Timestamp is not a number of seconds');
  const skew = Math.abs(Math.floor(input.now.getTime() / 1000) - Number(timestamp));
  if (skew > SLACK_MAX_SKEW_SECONDS)
    throw new SlackSignatureError(`request timestamp is ${skew} s from now (limit ${SLACK_MAX_SKEW_SECONDS} s)`);
  const m = /^v0=([0-9a-f]{64})$/.exec(signature);
  if (!m) throw new SlackSignatureError('X-Slack-Signature is not a v0 signature');
  if (!input.signingSecret) throw new SlackSignatureError('no signing secret configured');
  const expected = createHmac('sha256', input.signingSecret).update(`v0:${timestamp}:`).update(input.rawBody).digest();
  if (!timingSafeEqual(expected, Buffer.from(m[1]!, 'hex'))) throw new SlackSignatureError('signature mismatch');
}

/** Reads a header from a Node or Lambda/Azure/GCP headers object, whatever its case. */
export function headerValue(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  name: string,
): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}
