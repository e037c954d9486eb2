import { createHmac } from 'node:crypto';
import vector from '../../fixtures/slack/slack-signature-verification-vector.json';
import {
  headerValue,
  SlackSignatureError,
  verifySlackSignature,
  type SlackSignatureInput,
} from '../../../shared/approvals/slack/signature';

const ts = Number(vector.timestamp);
const valid: SlackSignatureInput = {
  rawBody: vector.body,
  timestamp: vector.headers['X-Slack-Request-Timestamp'],
  signature: vector.headers['X-Slack-Signature'],
  signingSecret: vector.signing_secret,
  now: new Date(ts * 1000),
};

// A form body as Slack sends it: spaces encoded as '+'.
const SPACED = 'command=%2Fpeerkeeper&text=approve+aws-22b9df9b5bab&user_id=U012AB3CD';

function sign(body: string, timestamp: number, secret = vector.signing_secret): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

describe('verifySlackSignature', () => {
  it("accepts Slack's documented worked example", () => {
    expect(vector.sig_basestring).toBe(`v0:${vector.timestamp}:${vector.body}`);
    expect(() => verifySlackSignature(valid)).not.toThrow();
    expect(() => verifySlackSignature({ ...valid, rawBody: Buffer.from(vector.body) })).not.toThrow();
  });

  const cases: { reason: string; change: Partial<SlackSignatureInput>; message: RegExp }[] = [
    {
      reason: 'a different signing secret gives a different HMAC',
      change: { signingSecret: '8f742231b10e8888abcd99yyyzzz85a6' },
      message: /mismatch/,
    },
    {
      reason: 'one changed byte of the body breaks the signature',
      change: { rawBody: vector.body.replace('roadrunner', 'roadrunnex') },
      message: /mismatch/,
    },
    {
      reason: 'a body with an extra trailing newline is not the signed body',
      change: { rawBody: `${vector.body}\n` },
      message: /mismatch/,
    },
    {
      reason: 'a correctly signed request 301 s old is a possible replay',
      change: { timestamp: String(ts - 301), signature: sign(vector.body, ts - 301) },
      message: /301 s from now/,
    },
    {
      reason: 'a correctly signed request 301 s in the future is refused too',
      change: { timestamp: String(ts + 301), signature: sign(vector.body, ts + 301) },
      message: /301 s from now/,
    },
    {
      reason: 'a body re-serialized after parsing (a + became %20) is not the signed body',
      change: {
        rawBody: [...new URLSearchParams(SPACED)].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&'),
        signature: sign(SPACED, ts),
      },
      message: /mismatch/,
    },
    {
      reason: 'a non-ASCII body signed as UTF-8 bytes does not verify under another encoding of the same text',
      change: { rawBody: Buffer.from('text=caf\u00e9 \u2713', 'latin1'), signature: sign('text=caf\u00e9 \u2713', ts) },
      message: /mismatch/,
    },
    {
      reason: 'the timestamp is part of the signed string',
      change: { timestamp: String(ts - 1) },
      message: /mismatch/,
    },
    {
      reason: 'only version v0 exists',
      change: { signature: vector.headers['X-Slack-Signature'].replace('v0=', 'v1=') },
      message: /not a v0 signature/,
    },
    {
      reason: 'a truncated signature is not a signature',
      change: { signature: vector.headers['X-Slack-Signature'].slice(0, 40) },
      message: /not a v0 signature/,
    },
    { reason: 'missing X-Slack-Signature', change: { signature: undefined }, message: /missing X-Slack-Signature/ },
    {
      reason: 'missing X-Slack-Request-Timestamp',
      change: { timestamp: undefined },
      message: /missing X-Slack-Request-Timestamp/,
    },
    {
      reason: 'an empty timestamp header counts as missing',
      change: { timestamp: '' },
      message: /missing X-Slack-Request-Timestamp/,
    },
    { reason: 'a timestamp that is not seconds', change: { timestamp: '1531420618.5' }, message: /not a number/ },
    { reason: 'no configured secret verifies nothing', change: { signingSecret: '' }, message: /no signing secret/ },
  ];
  it.each(cases)('refuses: $reason', ({ change, message }) => {
    const attempt = (): void => verifySlackSignature({ ...valid, ...change });
    expect(attempt).toThrow(SlackSignatureError);
    expect(attempt).toThrow(message);
  });

  it('verifies a non-ASCII body over its UTF-8 bytes, as Slack signs it', () => {
    const body = 'text=caf\u00e9 \u2713 r\u00e9seau&user_id=U012AB3CD';
    expect(() =>
      verifySlackSignature({ ...valid, rawBody: Buffer.from(body, 'utf8'), signature: sign(body, ts) }),
    ).not.toThrow();
    expect(() => verifySlackSignature({ ...valid, rawBody: body, signature: sign(body, ts) })).not.toThrow();
  });

  it('accepts 300 s of skew either way (the boundary is inclusive)', () => {
    for (const skew of [-300, 300]) {
      expect(() =>
        verifySlackSignature({ ...valid, timestamp: String(ts + skew), signature: sign(vector.body, ts + skew) }),
      ).not.toThrow();
    }
  });

  it('never puts the secret or the signature in its messages', () => {
    try {
      verifySlackSignature({ ...valid, signingSecret: 'wrong-secret-value' });
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(SlackSignatureError);
      expect(String((error as Error).message)).not.toMatch(/wrong-secret-value|a2114d57|8f742231/);
      expect((error as SlackSignatureError).retryable).toBe(false);
    }
  });
});

describe('headerValue', () => {
  it('finds headers whatever their case, taking the first of repeated ones', () => {
    expect(headerValue({ 'X-Slack-Signature': 'a' }, 'x-slack-signature')).toBe('a');
    expect(headerValue({ 'x-slack-signature': ['b', 'c'] }, 'X-Slack-Signature')).toBe('b');
    expect(headerValue({}, 'x-slack-signature')).toBeUndefined();
  });
});
