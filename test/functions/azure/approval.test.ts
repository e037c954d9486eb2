import { createHmac } from 'node:crypto';
import { HttpRequest, InvocationContext, type HttpResponseInit, type Timer } from '@azure/functions';
import { FUNCTION_NAMES, registerFunctions, type FunctionRegistry } from '../../../functions/azure/register';
import { approvalQueue, deadLetterQueue } from '../../../functions/azure/support/deps';
import { APPROVE_ACTION_ID, REJECT_ACTION_ID, approvalId } from '../../../shared/approvals';
import { MemoryCloud, MemoryProvider } from '../../../shared/providers/memory';
import { staticSecrets } from '../../../shared/providers/secrets';
import { ApprovalWiring, APPROVAL_ENV } from '../../../shared/runtime/approvals';
import { createAzureRuntime } from '../../../shared/runtime/azure';
import { MemoryIdempotencyStore } from '../../../shared/stores/idempotency';
import { MemoryApprovalStore, MemoryAuditLog } from '../../../shared/stores/memory';
import vector from '../../fixtures/slack/slack-signature-verification-vector.json';
import { peerkeeperClick } from '../../approvals/slack/clicks';
import { FakeSlack } from '../../approvals/slack/fake-slack';
import { HUB, NOW, PARTNER, awsRef, estate, hubSpokePolicy, network, peering } from '../../support/estate-builder';

type AnyHandler = (input: unknown, context: InvocationContext) => Promise<unknown>;
const SECRET = 'azure-approval-signing-secret';
const slack = new FakeSlack();
beforeAll(() => slack.start());
afterAll(() => slack.stop());

// The in-memory estate and provider stand in for the cloud: what is under test is the Azure functions' wiring.
const hub = network(awsRef(HUB, 'vpc-hub'), ['10.0.0.0/16'], { role: 'hub' });
const request = () =>
  peering('pcx-p', awsRef(PARTNER, 'vpc-p'), hub, 'requested', {
    requesterCidrs: ['172.16.0.0/16'],
    expiresAt: '2026-11-25T00:00:00.000Z',
  });

function signed(rawBody: string, at: Date, secret = SECRET): Record<string, string> {
  const ts = String(Math.floor(at.getTime() / 1000));
  return {
    'x-slack-request-timestamp': ts,
    'x-slack-signature': `v0=${createHmac('sha256', secret).update(`v0:${ts}:${rawBody}`).digest('hex')}`,
  };
}

async function setup(signingSecret = SECRET) {
  let clock = NOW;
  const cloud = new MemoryCloud(estate([hub], [request()]), () => clock);
  const policy = hubSpokePolicy({ approvals: { approvers: ['W111'], ttl: '72h', channel: 'C0APPROVALS' } });
  const store = new MemoryApprovalStore();
  const audit = new MemoryAuditLog();
  const env = {
    [APPROVAL_ENV.slackTokenSecret]: 'slack-bot-token',
    [APPROVAL_ENV.slackSigningSecret]: 'slack-signing-secret',
    [APPROVAL_ENV.slackApiUrl]: `${slack.baseUrl}/api`,
  };
  const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const wiring = new ApprovalWiring({
    policy,
    store,
    audit,
    env,
    log: silent,
    now: () => clock,
    secrets: staticSecrets({ 'slack-bot-token': 'xoxb-test', 'slack-signing-secret': signingSecret }),
  });
  const runtime = createAzureRuntime({
    policy,
    env: {},
    providers: { aws: new MemoryProvider('aws', cloud) },
    audit,
    idempotency: new MemoryIdempotencyStore(),
    now: () => clock,
    approvalWiring: wiring,
  });
  const handlers = new Map<string, AnyHandler>();
  const keep = (name: string, options: unknown) =>
    void handlers.set(name, (options as { handler: AnyHandler }).handler);
  registerFunctions({ eventGrid: keep, http: keep, timer: keep, storageQueue: keep } as unknown as FunctionRegistry, {
    runtime: () => runtime,
    clock: () => clock.getTime(),
  });
  const queued: unknown[] = [];
  let n = 0;
  const context = (functionName: string) =>
    new InvocationContext({ invocationId: `inv-${++n}`, functionName, logHandler: () => undefined });
  const post = async (body: string, headers: Record<string, string>): Promise<HttpResponseInit> => {
    const ctx = context(FUNCTION_NAMES.approval);
    const req = new HttpRequest({
      method: 'POST',
      url: 'http://127.0.0.1/api/slack',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: { string: body },
    });
    const response = (await handlers.get(FUNCTION_NAMES.approval)!(req, ctx)) as HttpResponseInit;
    const work = ctx.extraOutputs.get(approvalQueue);
    if (work !== undefined) queued.push(JSON.parse(JSON.stringify(work))); // the queue carries JSON
    return response;
  };
  const drain = async () => {
    const results = [];
    for (const message of queued.splice(0))
      results.push(await handlers.get(FUNCTION_NAMES.approvalWorker)!(message, context(FUNCTION_NAMES.approvalWorker)));
    return results;
  };
  const sweep = () =>
    handlers.get(FUNCTION_NAMES.sweep)!(
      {
        isPastDue: false,
        schedule: { adjustForDST: false },
        scheduleStatus: { last: '', next: '', lastUpdated: '' },
      } satisfies Timer,
      context(FUNCTION_NAMES.sweep),
    );
  // The partner's request is seen (event or sweep): the policy routes it to chat, which opens the approval.
  await runtime.reconcileTrigger({ scope: { kind: 'estate' }, kind: 'poll', eventId: 'poll-1' }, clock.getTime());
  return {
    cloud,
    store,
    audit,
    runtime,
    handlers,
    queued,
    post,
    drain,
    sweep,
    context,
    id: approvalId('aws', 'pcx-p'),
    setClock: (at: Date) => {
      clock = at;
    },
  };
}

const click = (action: string, id: string, respond = 'click') =>
  peerkeeperClick(action, id, (p) => {
    p.response_url = `${slack.baseUrl}/respond/${respond}`;
  });

describe('Azure approval functions (app.http + storage queue worker)', () => {
  it("verifies Slack's published signature example over the raw body (and refuses it once a byte changes)", async () => {
    const s = await setup(vector.signing_secret);
    s.setClock(new Date(Number(vector.timestamp) * 1000));
    const ok = await s.post(vector.body, vector.headers);
    expect(ok.status).toBe(200);
    expect(JSON.parse(String(ok.body)).text).toMatch(/Usage/);
    expect((await s.post(vector.body.replace('roadrunner', 'roadrunnex'), vector.headers)).status).toBe(401);
  });

  it.each([
    { reason: 'no signature headers at all', headers: () => ({}) },
    {
      reason: 'signed with another secret',
      headers: () => signed(click(APPROVE_ACTION_ID, approvalId('aws', 'pcx-p')), NOW, 'forged'),
    },
    {
      reason: 'a replay older than 300 s',
      headers: () => signed(click(APPROVE_ACTION_ID, approvalId('aws', 'pcx-p')), new Date(NOW.getTime() - 301_000)),
    },
  ])('answers 401 and queues nothing: $reason', async ({ headers }) => {
    const s = await setup();
    const out = await s.post(click(APPROVE_ACTION_ID, s.id), headers());
    expect(out.status).toBe(401);
    expect(s.queued).toEqual([]);
    expect((await s.store.get(s.id))?.status).toBe('pending');
  });

  it('answers a signed approve within 1 s with the work on the approval queue; the worker decides and accepts', async () => {
    const s = await setup();
    const started = performance.now();
    const out = await s.post(click(APPROVE_ACTION_ID, s.id), signed(click(APPROVE_ACTION_ID, s.id), NOW));
    expect(out.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(s.queued).toEqual([
      expect.objectContaining({ kind: 'slack-decision', approvalId: s.id, decision: 'approve' }),
    ]);
    expect((await s.store.get(s.id))?.status).toBe('pending'); // the HTTP half records nothing
    expect(await s.drain()).toEqual([{ status: 'done', kind: 'slack-decision' }]);
    expect(await s.store.get(s.id)).toMatchObject({ status: 'approved', decidedBy: 'W111' });
    expect(s.cloud.peerings.get('aws:pcx-p')?.state).toBe('active');
    expect(JSON.stringify(slack.callsTo('/api/chat.update').at(-1)?.body)).toContain('Approved by <@W111>');
    expect((await s.audit.list()).map((e) => e.action)).toEqual(
      expect.arrayContaining(['request-approval', 'approve', 'accept-peering']),
    );
  });

  it('tells a duplicate click who decided, ephemerally, and changes nothing', async () => {
    const s = await setup();
    await s.post(click(REJECT_ACTION_ID, s.id), signed(click(REJECT_ACTION_ID, s.id), NOW));
    await s.drain();
    expect(s.cloud.peerings.get('aws:pcx-p')?.state).toBe('rejected');
    const dup = click(APPROVE_ACTION_ID, s.id, 'dup');
    await s.post(dup, signed(dup, NOW));
    expect(await s.drain()).toEqual([expect.objectContaining({ status: 'refused' })]);
    expect(slack.callsTo('/respond/dup').at(-1)?.body).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(/already rejected by <@W111>/),
    });
    expect((await s.store.get(s.id))?.status).toBe('rejected');
  });

  it('closes an expired approval in the timer sweep, says so on the message, and answers a late click with the closure', async () => {
    const s = await setup();
    const expiresAt = (await s.store.get(s.id))!.expiresAt;
    const later = new Date(Date.parse(expiresAt) + 60_000);
    s.setClock(later);
    await s.sweep();
    expect((await s.store.get(s.id))?.status).toBe('expired');
    expect(JSON.stringify(slack.callsTo('/api/chat.update').at(-1)?.body)).toMatch(/expired/i);
    const late = click(APPROVE_ACTION_ID, s.id, 'late');
    await s.post(late, signed(late, later));
    await s.drain();
    expect(slack.callsTo('/respond/late').at(-1)?.body).toMatchObject({ text: expect.stringMatching(/expired/) });
    expect(s.cloud.peerings.get('aws:pcx-p')?.state).toBe('requested');
  });

  it('dead-letters a queue message peerkeeper did not write, deciding nothing', async () => {
    const s = await setup();
    const ctx = s.context(FUNCTION_NAMES.approvalWorker);
    expect(
      await s.handlers.get(FUNCTION_NAMES.approvalWorker)!({ kind: 'slack-decision', approvalId: s.id }, ctx),
    ).toMatchObject({ status: 'dead-lettered' });
    expect(ctx.extraOutputs.get(deadLetterQueue)).toMatchObject({ input: { kind: 'slack-decision' } });
    expect((await s.store.get(s.id))?.status).toBe('pending');
  });
});
