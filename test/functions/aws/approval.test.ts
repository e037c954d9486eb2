import { createHmac } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { approvalHandler } from '../../../functions/aws/approval';
import { APPROVE_ACTION_ID, REJECT_ACTION_ID, approvalId, type SlackWork } from '../../../shared/approvals';
import { MemoryCloud, MemoryProvider } from '../../../shared/providers/memory';
import { staticSecrets } from '../../../shared/providers/secrets';
import { createAwsRuntime } from '../../../shared/runtime';
import { ApprovalWiring, APPROVAL_ENV } from '../../../shared/runtime/approvals';
import { MemoryApprovalStore, MemoryAuditLog } from '../../../shared/stores/memory';
import vector from '../../fixtures/slack/slack-signature-verification-vector.json';
import { peerkeeperClick } from '../../approvals/slack/clicks';
import { FakeSlack } from '../../approvals/slack/fake-slack';
import { HUB, NOW, PARTNER, awsRef, estate, hubSpokePolicy, network, peering } from '../../support/estate-builder';
import { IdempotencyTables, lambdaContext } from './harness';
import { powertools } from '../../../functions/aws/support/wiring';

const SECRET = 'aws-approval-signing-secret';
const tables = new IdempotencyTables();
const slack = new FakeSlack();
beforeAll(async () => {
  await tables.start();
  await slack.start();
});
afterAll(async () => {
  await tables.stop();
  await slack.stop();
});

const hub = network(awsRef(HUB, 'vpc-hub'), ['10.0.0.0/16'], { role: 'hub' });
const request = () =>
  peering('pcx-p', awsRef(PARTNER, 'vpc-p'), hub, 'requested', {
    requesterCidrs: ['172.16.0.0/16'],
    expiresAt: '2026-11-25T00:00:00.000Z',
  });

function signedEvent(
  rawBody: string,
  at: Date,
  opts: { secret?: string; base64?: boolean } = {},
): APIGatewayProxyEventV2 {
  const ts = String(Math.floor(at.getTime() / 1000));
  const signature = `v0=${createHmac('sha256', opts.secret ?? SECRET)
    .update(`v0:${ts}:${rawBody}`)
    .digest('hex')}`;
  return httpEvent(
    opts.base64 ? Buffer.from(rawBody).toString('base64') : rawBody,
    { 'x-slack-request-timestamp': ts, 'x-slack-signature': signature },
    opts.base64 === true,
  );
}

function httpEvent(body: string, headers: Record<string, string>, isBase64Encoded = false): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /slack',
    rawPath: '/slack',
    rawQueryString: '',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
    isBase64Encoded,
    requestContext: { requestId: `r-${Math.random()}`, http: { method: 'POST', path: '/slack' } },
  } as unknown as APIGatewayProxyEventV2;
}

async function setup(signingSecret = SECRET) {
  const cloudEstate = estate([hub], [request()]);
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  let clock = NOW;
  const cloud = new MemoryCloud(cloudEstate, () => clock);
  const policy = hubSpokePolicy({ approvals: { approvers: ['W111'], ttl: '72h', channel: 'C0APPROVALS' } });
  const store = new MemoryApprovalStore();
  const audit = new MemoryAuditLog();
  const env = {
    [APPROVAL_ENV.slackTokenSecret]: '/pk/token',
    [APPROVAL_ENV.slackSigningSecret]: '/pk/signing',
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
    secrets: staticSecrets({ '/pk/token': 'xoxb-test', '/pk/signing': signingSecret }),
  });
  const runtime = createAwsRuntime({
    policy,
    providers: { aws: new MemoryProvider('aws', cloud) },
    env: {},
    now: () => clock,
    approvalWiring: wiring,
    audit,
    queues: { sendWork: async (m) => m.length, deadLetter: async () => undefined },
    outcomes: { publish: async (events) => ({ published: events.length, failed: 0 }) },
  });
  const queued: { functionName: string; work: SlackWork }[] = [];
  const handler = approvalHandler({
    runtime: () => runtime,
    ...powertools('approval', 'SILENT'),
    persistenceStore: await tables.layer(),
    clock: () => clock,
    enqueue: async (functionName, work) => {
      queued.push({ functionName, work });
    },
  });
  // The partner's request is seen (event or poll): the policy routes it to chat, which opens the approval.
  await runtime.reconcileTrigger({ scope: { kind: 'estate' }, kind: 'poll', eventId: 'poll-1' }, lambdaContext());
  const id = approvalId('aws', 'pcx-p');
  const setClock = (at: Date) => {
    clock = at;
  };
  return { cloud, store, audit, runtime, handler, queued, id, setClock };
}

const click = (action: string, id: string, respond = 'click') =>
  peerkeeperClick(action, id, (p) => {
    p.response_url = `${slack.baseUrl}/respond/${respond}`;
  });
const drain = async (s: Awaited<ReturnType<typeof setup>>) => {
  for (const { work } of s.queued.splice(0)) await s.handler({ work }, lambdaContext('peerkeeper-prod-approval'));
};

describe('AWS approval function (API Gateway HTTP API + async self-invoke)', () => {
  it("verifies Slack's published signature example over the raw body (and refuses it once a byte changes)", async () => {
    const s = await setup(vector.signing_secret);
    s.setClock(new Date(Number(vector.timestamp) * 1000));
    const ok = await s.handler(httpEvent(vector.body, vector.headers), lambdaContext());
    expect(ok).toMatchObject({ statusCode: 200 });
    expect(JSON.parse((ok as { body: string }).body).text).toMatch(/Usage/);
    const forged = await s.handler(
      httpEvent(vector.body.replace('roadrunner', 'roadrunnex'), vector.headers),
      lambdaContext(),
    );
    expect(forged).toMatchObject({ statusCode: 401 });
  });

  it.each([
    {
      reason: 'no signature headers at all',
      event: () => httpEvent(click(APPROVE_ACTION_ID, approvalId('aws', 'pcx-p')), {}),
    },
    {
      reason: 'signed with another secret',
      event: () => signedEvent(click(APPROVE_ACTION_ID, approvalId('aws', 'pcx-p')), NOW, { secret: 'forged' }),
    },
    {
      reason: 'a replay older than 300 s',
      event: () => signedEvent(click(APPROVE_ACTION_ID, approvalId('aws', 'pcx-p')), new Date(NOW.getTime() - 301_000)),
    },
  ])('answers 401 and queues nothing: $reason', async ({ event }) => {
    const s = await setup();
    const out = await s.handler(event(), lambdaContext());
    expect(out).toMatchObject({ statusCode: 401 });
    expect(s.queued).toEqual([]);
    expect((await s.store.get(s.id))?.status).toBe('pending');
  });

  it('answers a signed, base64-encoded approve within 1 s with the work queued on itself; the worker decides and accepts', async () => {
    const s = await setup();
    const started = performance.now();
    const out = await s.handler(
      signedEvent(click(APPROVE_ACTION_ID, s.id), NOW, { base64: true }),
      lambdaContext('peerkeeper-prod-approval'),
    );
    const tookMs = performance.now() - started;
    expect(out).toMatchObject({ statusCode: 200 });
    expect(tookMs).toBeLessThan(1000);
    expect(s.queued).toEqual([
      {
        functionName: 'peerkeeper-prod-approval',
        work: expect.objectContaining({ kind: 'slack-decision', approvalId: s.id, decision: 'approve' }),
      },
    ]);
    expect((await s.store.get(s.id))?.status).toBe('pending'); // the HTTP half records nothing
    await drain(s);
    expect(await s.store.get(s.id)).toMatchObject({ status: 'approved', decidedBy: 'W111' });
    expect(s.cloud.peerings.get('aws:pcx-p')?.state).toBe('active');
    expect(JSON.stringify(slack.callsTo('/api/chat.update').at(-1)?.body)).toContain('Approved by <@W111>');
    expect((await s.audit.list()).map((e) => e.action)).toEqual(
      expect.arrayContaining(['request-approval', 'approve', 'accept-peering']),
    );
  });

  it('tells a duplicate click who decided, ephemerally, and changes nothing', async () => {
    const s = await setup();
    await s.handler(signedEvent(click(REJECT_ACTION_ID, s.id), NOW), lambdaContext());
    await drain(s);
    expect(s.cloud.peerings.get('aws:pcx-p')?.state).toBe('rejected');
    await s.handler(signedEvent(click(APPROVE_ACTION_ID, s.id, 'dup'), NOW), lambdaContext());
    await drain(s);
    expect(slack.callsTo('/respond/dup').at(-1)?.body).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(/already rejected by <@W111>/),
    });
    expect((await s.store.get(s.id))?.status).toBe('rejected');
  });

  it('closes an expired approval in the sweep, says so on the message, and answers a late click with the closure', async () => {
    const s = await setup();
    const expiresAt = (await s.store.get(s.id))!.expiresAt;
    s.setClock(new Date(Date.parse(expiresAt) + 60_000));
    expect(await s.runtime.expireApprovals()).toBe(1);
    expect((await s.store.get(s.id))?.status).toBe('expired');
    expect(JSON.stringify(slack.callsTo('/api/chat.update').at(-1)?.body)).toMatch(/expired/i);
    await s.handler(
      signedEvent(click(APPROVE_ACTION_ID, s.id, 'late'), new Date(Date.parse(expiresAt) + 60_000)),
      lambdaContext(),
    );
    await drain(s);
    expect(slack.callsTo('/respond/late').at(-1)?.body).toMatchObject({ text: expect.stringMatching(/expired/) });
    expect(s.cloud.peerings.get('aws:pcx-p')?.state).toBe('requested');
  });

  it('refuses an approval whose request became unsafe meanwhile, and tells the approver why', async () => {
    const s = await setup();
    // The partner re-announces a range that overlaps the hub (e.g. after a CIDR change): accepting would now overlap.
    s.cloud.peerings.set('aws:pcx-p', { ...s.cloud.peerings.get('aws:pcx-p')!, requesterCidrs: ['10.0.128.0/20'] });
    await s.handler(signedEvent(click(APPROVE_ACTION_ID, s.id, 'unsafe'), NOW), lambdaContext());
    await drain(s);
    expect((await s.store.get(s.id))?.status).toBe('approved');
    expect(s.cloud.peerings.get('aws:pcx-p')?.state).not.toBe('active');
    expect(slack.callsTo('/respond/unsafe').at(-1)?.body).toMatchObject({
      text: expect.stringMatching(/did not accept pcx-p: .*overlap/i),
    });
  });
});
