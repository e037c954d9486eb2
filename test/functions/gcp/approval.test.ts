import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { getFunction, getTestServer } from '@google-cloud/functions-framework/testing';
import { GCP_FUNCTION_NAMES, registerGcpFunctions } from '../../../functions/gcp';
import type { ApprovalWorkOutcome } from '../../../functions/gcp/approval-worker';
import { APPROVE_ACTION_ID, REJECT_ACTION_ID, approvalId } from '../../../shared/approvals';
import { MemoryCloud, MemoryProvider } from '../../../shared/providers/memory';
import type { MessagePublisher } from '../../../shared/providers/gcp';
import { staticSecrets } from '../../../shared/providers/secrets';
import { ApprovalWiring, APPROVAL_ENV } from '../../../shared/runtime/approvals';
import { createGcpRuntime, GCP_ENV, type GcpRuntime } from '../../../shared/runtime/gcp';
import { MemoryApprovalStore, MemoryAuditLog } from '../../../shared/stores/memory';
import vector from '../../fixtures/slack/slack-signature-verification-vector.json';
import { peerkeeperClick } from '../../approvals/slack/clicks';
import { FakeSlack } from '../../approvals/slack/fake-slack';
import { HUB, NOW, PARTNER, awsRef, estate, hubSpokePolicy, network, peering } from '../../support/estate-builder';

const SECRET = 'gcp-approval-signing-secret';
const APPROVAL_TOPIC = 'projects/peerkeeper-host/topics/peerkeeper-approval';
const DEAD_LETTER_TOPIC = 'projects/peerkeeper-host/topics/peerkeeper-dead-letter';
const slack = new FakeSlack();
// One registration and one real functions-framework server per HTTP function; each test swaps the runtime behind them.
let current: GcpRuntime;
const servers = new Map<string, { server: Server; url: string }>();

beforeAll(async () => {
  await slack.start();
  registerGcpFunctions(() => current);
  for (const name of [GCP_FUNCTION_NAMES.approval, GCP_FUNCTION_NAMES.sweep]) {
    const server = getTestServer(name);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.set(name, { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` });
  }
});
afterAll(async () => {
  await slack.stop();
  await Promise.all([...servers.values()].map(({ server }) => new Promise((resolve) => server.close(resolve))));
});

// The in-memory estate and provider stand in for the cloud: what is under test is the GCP functions' wiring.
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
    [GCP_ENV.approvalTopic]: APPROVAL_TOPIC,
    [GCP_ENV.deadLetterTopic]: DEAD_LETTER_TOPIC,
    [GCP_ENV.workTopic]: 'projects/peerkeeper-host/topics/peerkeeper-work',
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
  const published: { topic: string; data: unknown }[] = [];
  let failPublish = false;
  const publisher: MessagePublisher = {
    publish: async (topic, messages) => {
      if (failPublish) throw new Error('Pub/Sub unavailable');
      published.push(...messages.map((m) => ({ topic, data: JSON.parse(JSON.stringify(m.data)) as unknown }))); // Pub/Sub carries JSON
      return messages.length;
    },
  };
  current = createGcpRuntime({
    policy,
    env,
    providers: { aws: new MemoryProvider('aws', cloud) },
    audit,
    publisher,
    now: () => clock,
    approvalWiring: wiring,
  });
  const queued = () => published.filter((p) => p.topic === APPROVAL_TOPIC).map((p) => p.data);
  const post = async (body: string, headers: Record<string, string>) => {
    const res = await fetch(servers.get(GCP_FUNCTION_NAMES.approval)!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });
    return { status: res.status, body: await res.text() };
  };
  const worker = (event: unknown) =>
    (getFunction(GCP_FUNCTION_NAMES.approvalWorker) as (e: CloudEvent<unknown>) => Promise<ApprovalWorkOutcome>)(
      event as CloudEvent<unknown>,
    );
  let n = 0;
  const drain = async (): Promise<ApprovalWorkOutcome[]> => {
    const results: ApprovalWorkOutcome[] = [];
    for (const data of queued().splice(0)) results.push(await worker(pubsubEvent(`msg-${++n}`, data)));
    published.splice(0, published.length, ...published.filter((p) => p.topic !== APPROVAL_TOPIC));
    return results;
  };
  const sweep = () =>
    fetch(servers.get(GCP_FUNCTION_NAMES.sweep)!.url, {
      method: 'POST',
      headers: { 'x-cloudscheduler-jobname': 'peerkeeper-sweep', 'x-cloudscheduler-scheduletime': clock.toISOString() },
    });
  // The partner's request is seen (event or sweep): the policy routes it to chat, which opens the approval.
  await current.reconcileTrigger({ scope: { kind: 'estate' }, kind: 'poll', eventId: 'poll-1' }, clock.getTime());
  return {
    cloud,
    store,
    audit,
    published,
    queued,
    post,
    worker,
    drain,
    sweep,
    id: approvalId('aws', 'pcx-p'),
    setClock: (at: Date) => {
      clock = at;
    },
    failPublishing: () => {
      failPublish = true;
    },
  };
}

/** The `messagePublished` CloudEvent Eventarc's Pub/Sub trigger delivers for one message on the approval topic. */
function pubsubEvent(id: string, data: unknown): unknown {
  return {
    specversion: '1.0',
    id,
    type: 'google.cloud.pubsub.topic.v1.messagePublished',
    source: `//pubsub.googleapis.com/${APPROVAL_TOPIC}`,
    data: {
      message: { data: Buffer.from(JSON.stringify(data)).toString('base64'), messageId: id },
      subscription: 'projects/peerkeeper-host/subscriptions/eventarc-approval',
    },
  };
}

const click = (action: string, id: string, respond = 'click') =>
  peerkeeperClick(action, id, (p) => {
    p.response_url = `${slack.baseUrl}/respond/${respond}`;
  });

describe('GCP approval functions (http endpoint + Pub/Sub approval worker)', () => {
  it("verifies Slack's published signature example over the framework's raw body (and refuses it once a byte changes)", async () => {
    const s = await setup(vector.signing_secret);
    s.setClock(new Date(Number(vector.timestamp) * 1000));
    const ok = await s.post(vector.body, vector.headers);
    expect(ok.status).toBe(200);
    expect((JSON.parse(ok.body) as { text: string }).text).toMatch(/Usage/);
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
  ])('answers 401 and publishes nothing: $reason', async ({ headers }) => {
    const s = await setup();
    const out = await s.post(click(APPROVE_ACTION_ID, s.id), headers());
    expect(out.status).toBe(401);
    expect(s.published).toEqual([]);
    expect((await s.store.get(s.id))?.status).toBe('pending');
  });

  it('answers a signed approve within 1 s with the work on the approval topic; the worker decides and accepts', async () => {
    const s = await setup();
    const started = performance.now();
    const out = await s.post(click(APPROVE_ACTION_ID, s.id), signed(click(APPROVE_ACTION_ID, s.id), NOW));
    expect(out.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(s.queued()).toEqual([
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

  it('answers 503 when the work cannot be published, so Slack shows the clicker an error; nothing is decided', async () => {
    const s = await setup();
    s.failPublishing();
    const out = await s.post(click(APPROVE_ACTION_ID, s.id), signed(click(APPROVE_ACTION_ID, s.id), NOW));
    expect(out.status).toBe(503);
    expect((await s.store.get(s.id))?.status).toBe('pending');
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

  it('skips a redelivered Pub/Sub message (same event id) instead of answering the clicker twice', async () => {
    const s = await setup();
    const body = click(APPROVE_ACTION_ID, s.id);
    await s.post(body, signed(body, NOW));
    const [work] = s.queued();
    expect(await s.worker(pubsubEvent('msg-again', work))).toEqual({ status: 'done', kind: 'slack-decision' });
    expect(await s.worker(pubsubEvent('msg-again', work))).toMatchObject({ status: 'duplicate' });
    expect(s.cloud.peerings.get('aws:pcx-p')?.state).toBe('active');
  });

  it('closes an expired approval in the sweep, says so on the message, and answers a late click with the closure', async () => {
    const s = await setup();
    const expiresAt = (await s.store.get(s.id))!.expiresAt;
    const later = new Date(Date.parse(expiresAt) + 60_000);
    s.setClock(later);
    expect((await s.sweep()).status).toBe(200);
    expect((await s.store.get(s.id))?.status).toBe('expired');
    expect(JSON.stringify(slack.callsTo('/api/chat.update').at(-1)?.body)).toMatch(/expired/i);
    const late = click(APPROVE_ACTION_ID, s.id, 'late');
    await s.post(late, signed(late, later));
    await s.drain();
    expect(slack.callsTo('/respond/late').at(-1)?.body).toMatchObject({ text: expect.stringMatching(/expired/) });
    expect(s.cloud.peerings.get('aws:pcx-p')?.state).toBe('requested');
  });

  it.each([
    {
      reason: 'work peerkeeper did not write (no decision)',
      event: (id: string) => pubsubEvent('msg-bad', { kind: 'slack-decision', approvalId: id }),
    },
    {
      reason: 'a message that is not JSON',
      event: () => ({ id: 'msg-garbage', data: { message: { data: Buffer.from('not json').toString('base64') } } }),
    },
    { reason: 'an event with no message data', event: () => ({ id: 'msg-empty', data: {} }) },
  ])('dead-letters $reason on the dead-letter topic, deciding nothing', async ({ event }) => {
    const s = await setup();
    const input = event(s.id);
    expect(await s.worker(input)).toMatchObject({ status: 'dead-lettered' });
    expect(s.published.filter((p) => p.topic === DEAD_LETTER_TOPIC)).toEqual([
      { topic: DEAD_LETTER_TOPIC, data: { error: expect.objectContaining({ name: 'MalformedEventError' }), input } },
    ]);
    expect((await s.store.get(s.id))?.status).toBe('pending');
  });
});
