import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import type { Notifier } from '../../../shared/approvals/notifier';
import { ApprovalService } from '../../../shared/approvals/service';
import { handleSlackRequest, type SlackHttpRequest } from '../../../shared/approvals/slack/endpoint';
import { APPROVE_ACTION_ID, REJECT_ACTION_ID } from '../../../shared/approvals/slack/parse';
import { MemoryApprovalStore, MemoryAuditLog } from '../../../shared/stores/memory';
import { sampleRecord } from '../../stores/contract';
import { peerkeeperClick } from './clicks';

const SECRET = 'fuzz-signing-secret';
const NOW = new Date('2024-05-01T10:05:00.000Z');
const TS = Math.floor(NOW.getTime() / 1000);
const RUNS = { numRuns: Number(process.env.FUZZ_RUNS ?? 200) };
const APPROVER = 'W111'; // the fixture's clicking user, made an approver so a signed click would decide

const sign = (body: string, ts = TS, secret = SECRET) =>
  `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;

/** A fresh service with one pending approval; a notifier that records instead of calling Slack (no network). */
async function setup() {
  const store = new MemoryApprovalStore();
  const told: string[] = [];
  const notifier: Notifier = {
    post: async () => undefined,
    update: async () => undefined,
    tell: async (_to, text) => {
      told.push(text);
    },
  };
  const service = new ApprovalService({
    store,
    audit: new MemoryAuditLog(),
    notifier,
    approvers: [APPROVER, 'U0APPROVE1'],
  });
  const { record } = await service.request(
    { ...sampleRecord('pcx-fuzz'), expiresAt: '2024-05-04T10:00:00.000Z' },
    new Date('2024-05-01T10:00:00.000Z'),
  );
  const decided = async () => (await store.get(record.id))?.status !== 'pending';
  return { record, decided, deps: { signingSecret: SECRET, service, notifier, now: NOW } };
}

/** Bodies Slack could never send, bodies it could, and everything between. */
const bodyArb = (approvalId: string) =>
  fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.jsonValue().map((j) => `payload=${encodeURIComponent(JSON.stringify(j))}`),
    fc
      .record({
        action: fc.constantFrom(APPROVE_ACTION_ID, REJECT_ACTION_ID, 'other.button', ''),
        value: fc.oneof(fc.constant(approvalId), fc.string()),
      })
      .map(({ action, value }) => peerkeeperClick(action, value)),
    fc
      .record({
        text: fc.oneof(fc.string(), fc.constantFrom(`approve ${approvalId}`, `reject ${approvalId} no`, 'pending')),
        user: fc.constantFrom(APPROVER, 'U0X'),
      })
      .map(({ text, user }) => new URLSearchParams({ command: '/peerkeeper', text, user_id: user }).toString()),
    fc.constant(peerkeeperClick(APPROVE_ACTION_ID, approvalId)),
  );

const headerArb = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'X-Slack-Request-Timestamp',
      'x-slack-request-timestamp',
      'X-Slack-Signature',
      'x-slack-signature',
      'Content-Type',
    ),
    fc.string(),
  ),
  fc.oneof(
    fc.string(),
    fc.array(fc.string(), { maxLength: 2 }),
    fc.constant(undefined),
    fc.constant(String(TS)),
    fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }).map((h) => `v0=${h}`),
  ),
);

async function answer(request: SlackHttpRequest, deps: Awaited<ReturnType<typeof setup>>['deps']) {
  try {
    return await handleSlackRequest(request, deps);
  } catch (error) {
    throw new Error(
      `handleSlackRequest threw instead of answering: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    );
  }
}

describe('Slack endpoint fuzzing', () => {
  it('answers arbitrary unsigned bodies and headers with 401 and never decides', async () => {
    const { record, decided, deps } = await setup();
    await fc.assert(
      fc.asyncProperty(bodyArb(record.id), headerArb, async (rawBody, headers) => {
        const result = await answer({ rawBody, headers }, deps);
        expect(result.response.status).toBe(401);
        expect(result.reconcile).toBeUndefined();
        expect(await decided()).toBe(false);
      }),
      RUNS,
    );
  });

  it('refuses a deciding click whose signature is almost right (one hex digit, the secret, the clock or the version off)', async () => {
    const { record, decided, deps } = await setup();
    const body = peerkeeperClick(APPROVE_ACTION_ID, record.id);
    const tamper = fc.oneof(
      fc.nat(63).map((i) => {
        const s = sign(body);
        const c = s[3 + i] === '0' ? '1' : '0';
        return { ts: String(TS), sig: s.slice(0, 3 + i) + c + s.slice(4 + i) };
      }),
      fc
        .string({ minLength: 1 })
        .filter((s) => s !== SECRET)
        .map((secret) => ({ ts: String(TS), sig: sign(body, TS, secret) })),
      fc
        .integer({ min: 301, max: 10_000_000 })
        .chain((skew) => fc.constantFrom(-skew, skew))
        .map((skew) => ({ ts: String(TS + skew), sig: sign(body, TS + skew) })),
      fc.constant({ ts: String(TS), sig: sign(body).replace('v0=', 'v1=') }),
      fc.string().map((extra) => ({ ts: String(TS), sig: sign(body + extra + ' ') })),
    );
    await fc.assert(
      fc.asyncProperty(tamper, async ({ ts, sig }) => {
        const result = await answer(
          { rawBody: body, headers: { 'X-Slack-Request-Timestamp': ts, 'X-Slack-Signature': sig } },
          deps,
        );
        expect(result.response.status).toBe(401);
        expect(await decided()).toBe(false);
      }),
      RUNS,
    );
    // The same body correctly signed does decide: the refusals above are the signature's doing.
    const ok = await answer(
      { rawBody: body, headers: { 'X-Slack-Request-Timestamp': String(TS), 'X-Slack-Signature': sign(body) } },
      deps,
    );
    expect(ok.reconcile?.status).toBe('approved');
  });

  it('answers arbitrary signed bodies with 200 or 400, never throwing, deciding only on a real click or command', async () => {
    const id = (await setup()).record.id; // deterministic: the sample record's id
    let decisions = 0;
    await fc.assert(
      fc.asyncProperty(bodyArb(id), async (rawBody) => {
        const { decided, deps } = await setup();
        const result = await answer(
          { rawBody, headers: { 'x-slack-request-timestamp': String(TS), 'x-slack-signature': sign(rawBody) } },
          deps,
        );
        expect([200, 400]).toContain(result.response.status);
        const form = new URLSearchParams(rawBody);
        if (await decided()) {
          decisions += 1;
          expect(form.has('payload') || form.has('command')).toBe(true);
          expect(rawBody).toContain(id); // the decision names this approval, by button value or command text
        }
        if (result.reconcile) expect(result.reconcile.id).toBe(id);
      }),
      RUNS,
    );
    expect(decisions).toBeGreaterThan(0); // not vacuous: valid clicks and commands were in the mix
  });
});
