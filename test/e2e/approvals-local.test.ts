import { CreateVpcPeeringConnectionCommand } from '@aws-sdk/client-ec2';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controlTowerVended, ec2As } from '../../infra/local/actors';
import { signSlackRequest, interactionBody, type ChatMessage } from '../../infra/local/chat/workspace';
import { LOCAL_POLICY_FILE, startLocalCloud, type LocalCloud } from '../../infra/local/cloud';
import { LOCAL_SLACK } from '../../infra/local/functions/approvals';
import { awsPeering, findMessage, waitFor } from '../../infra/local/inspect';
import { CAST } from '../../infra/local/scenario';
import { APPROVE_ACTION_ID, REJECT_ACTION_ID } from '../../shared/approvals';
import { runningClock, type TestClock } from '../support/clock';

/**
 * Issue 6's "Must show" in the local cloud, beyond the approve path local-cloud.test.ts covers: Reject, expiry,
 * an approval that became unsafe, and two approvers at once — over the EC2 emulator, the real handlers and the
 * chat stand-in's signed block_actions clicks. Each describe has its own cloud and its own clock.
 */

const APPROVER = { id: 'U0LOCALNET', name: 'local-approver' };
const SECOND_APPROVER = { id: 'U0SECONDNET', name: 'second-approver' };
const HOUR_MS = 3_600_000;

/** A cloud whose clocks (EC2 emulator, AWS runtime, endpoint, chat) are one injected clock, which a test can move forward. */
async function cloudWithClock(policyFile?: string): Promise<{ cloud: LocalCloud; clock: TestClock }> {
  const clock = runningClock();
  const cloud = await startLocalCloud({ now: clock.now, ...(policyFile ? { policyFile } : {}) });
  return { cloud, clock };
}

interface PartnerRequest {
  hubVpc: string;
  hubTable: string;
  partnerVpc: string;
  peeringId: string;
  message: ChatMessage;
}

/** The hub exists; the listed partner requests peering with it; the pending poll finds it and the approval is posted. */
async function partnerRequests(cloud: LocalCloud): Promise<PartnerRequest> {
  const hub = cloud.aws.state.createVpc({
    account: CAST.aws.hub,
    region: 'us-east-1',
    cidr: CAST.cidrs.hub,
    tags: { Name: 'hub', 'peerkeeper/role': 'hub' },
  });
  const partner = cloud.aws.state.createVpc({
    account: CAST.aws.partner,
    region: 'us-east-1',
    cidr: CAST.cidrs.partner,
    tags: { Name: 'partner-edge' },
  });
  const ec2 = await ec2As(cloud.aws.url, CAST.aws.partner, 'partner-netops');
  const out = await ec2.send(
    new CreateVpcPeeringConnectionCommand({
      VpcId: partner.vpcId,
      PeerVpcId: hub.vpcId,
      PeerOwnerId: CAST.aws.hub,
      PeerRegion: 'us-east-1',
    }),
  );
  ec2.destroy();
  const peeringId = out.VpcPeeringConnection!.VpcPeeringConnectionId!;
  await cloud.functions.aws.pendingPoll();
  await waitFor(
    () => cloud.settled().then(() => findMessage(cloud, peeringId) !== undefined),
    10_000,
    'the approval message',
  );
  return {
    hubVpc: hub.vpcId,
    hubTable: hub.mainRouteTableId,
    partnerVpc: partner.vpcId,
    peeringId,
    message: findMessage(cloud, peeringId)!,
  };
}

const shown = (cloud: LocalCloud, message: ChatMessage) => cloud.workspace.displayText(message).toLowerCase();
const ephemeralsOf = (cloud: LocalCloud, user: string) =>
  cloud.workspace.ephemerals.filter((e) => e.user === user).map((e) => e.text);

describe('Reject in chat (local cloud)', () => {
  let cloud: LocalCloud;
  let request: PartnerRequest;
  beforeAll(async () => {
    ({ cloud } = await cloudWithClock());
    request = await partnerRequests(cloud);
  }, 30_000);
  afterAll(() => cloud?.close());

  it('rejects the AWS peering in the emulator, adds no route, and the message says rejected', async () => {
    expect(cloud.aws.state.peerings.get(request.peeringId)!.status).toBe('pending-acceptance');
    const res = await cloud.chat.click(request.message.ts, REJECT_ACTION_ID, APPROVER);
    expect(res.status).toBe(200);
    await cloud.settled();
    expect(cloud.aws.state.peerings.get(request.peeringId)!.status).toBe('rejected');
    expect(cloud.aws.calls.of('RejectVpcPeeringConnection')).toBe(1);
    expect(cloud.aws.calls.of('AcceptVpcPeeringConnection')).toBe(0);
    expect(
      cloud.aws.state.routeTables.get(request.hubTable)!.routes.find((r) => r.destination === CAST.cidrs.partner),
    ).toBeUndefined();
    expect(shown(cloud, request.message)).toContain('rejected');
    expect(cloud.workspace.buttonsOf(request.message)).toEqual([]);
    const audit = await cloud.audit.list();
    expect(
      audit.some((e) => e.action === 'reject' && e.actor === `slack:${APPROVER.id}` && e.outcome === 'rejected'),
    ).toBe(true);
  });
});

describe('expiry (local cloud, clocks moved forward)', () => {
  let cloud: LocalCloud;
  let clock: TestClock;
  let request: PartnerRequest;
  let stale: ChatMessage;
  beforeAll(async () => {
    ({ cloud, clock } = await cloudWithClock());
    request = await partnerRequests(cloud);
    // What an approver's Slack client still shows if it never refreshed: the message with its buttons.
    stale = structuredClone(request.message);
  }, 30_000);
  afterAll(() => cloud?.close());

  it('the sweep leaves the approval open before its expiry', async () => {
    await cloud.functions.aws.sweep();
    await cloud.settled();
    expect((await cloud.approvals.service.lookup('aws', request.peeringId))!.status).toBe('pending');
    expect(
      cloud.workspace
        .buttonsOf(request.message)
        .map((b) => b.actionId)
        .sort(),
    ).toEqual([APPROVE_ACTION_ID, REJECT_ACTION_ID].sort());
  });

  it('closes the approval once the policy ttl (72 h) has passed and updates the message to say it expired', async () => {
    const record = (await cloud.approvals.service.lookup('aws', request.peeringId))!;
    // ttl 72 h < the AWS request's 7 days − 1 h, so the approval's expiry is the ttl.
    // (createdAt and the planner's expiry are read from the clock a few milliseconds apart)
    expect(Math.abs(Date.parse(record.expiresAt) - Date.parse(record.createdAt) - 72 * HOUR_MS)).toBeLessThan(1_000);
    clock.advance(73 * HOUR_MS);
    await cloud.functions.aws.sweep();
    await cloud.settled();
    expect((await cloud.approvals.service.lookup('aws', request.peeringId))!.status).toBe('expired');
    expect(shown(cloud, request.message)).toContain('expired');
    expect(cloud.workspace.buttonsOf(request.message)).toEqual([]);
    // Nothing was accepted; the AWS request itself lives 7 days, so it is still pending in the emulator.
    expect(cloud.aws.state.peerings.get(request.peeringId)!.status).toBe('pending-acceptance');
    expect(cloud.aws.calls.of('AcceptVpcPeeringConnection')).toBe(0);
    const audit = await cloud.audit.list();
    expect(audit.some((e) => e.action === 'expire' && e.actor === 'peerkeeper' && e.outcome === 'expired')).toBe(true);
  });

  it('a late click (from a client still showing the buttons) is told it expired and changes nothing', async () => {
    const button = cloud.workspace.buttonsOf(stale).find((b) => b.actionId === APPROVE_ACTION_ID)!;
    const raw = interactionBody(stale, button, APPROVER, `${cloud.endpoints.chat}/response/${APPROVER.id}`);
    const res = await fetch(cloud.endpoints.approvals, {
      method: 'POST',
      headers: signSlackRequest(raw, LOCAL_SLACK.signingSecret, clock.now()),
      body: raw,
    });
    expect(res.status).toBe(200);
    await cloud.settled();
    const told = ephemeralsOf(cloud, APPROVER.id);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/expired/i);
    expect((await cloud.approvals.service.lookup('aws', request.peeringId))!.status).toBe('expired');
    expect(cloud.aws.calls.of('AcceptVpcPeeringConnection')).toBe(0);
    expect(cloud.aws.state.peerings.get(request.peeringId)!.status).toBe('pending-acceptance');
  });
});

describe('an approval for a request that became unsafe meanwhile (local cloud)', () => {
  let cloud: LocalCloud;
  let clock: TestClock;
  let request: PartnerRequest;
  let overlapping: string;
  let acceptsBefore: number;
  beforeAll(async () => {
    ({ cloud, clock } = await cloudWithClock());
    request = await partnerRequests(cloud);
    // Between the message and the click: a new spoke whose range is the partner's is vended and peered to the hub.
    const spoke = cloud.aws.state.createVpc({
      account: CAST.aws.spoke,
      region: 'us-east-1',
      cidr: CAST.cidrs.partner,
      tags: { Name: 'payments', 'peerkeeper/role': 'spoke' },
    });
    cloud.bus.publish('aws', controlTowerVended(CAST.aws.hub, CAST.aws.spoke, 'payments', clock.now()));
    await cloud.settled();
    overlapping = awsPeering(cloud, request.hubVpc, spoke.vpcId)?.id ?? 'none';
    acceptsBefore = cloud.aws.calls.of('AcceptVpcPeeringConnection');
  }, 30_000);
  afterAll(() => cloud?.close());

  it('the overlapping spoke is peered to the hub first (the premise)', () => {
    expect(acceptsBefore).toBe(1); // peerkeeper accepting its own hub–spoke request
    expect(cloud.aws.state.peerings.get(request.peeringId)!.status).toBe('pending-acceptance');
    expect(cloud.aws.state.peerings.get(overlapping)?.status).toBe('active');
    expect(
      cloud.aws.state.routeTables.get(request.hubTable)!.routes.find((r) => r.destination === CAST.cidrs.partner)
        ?.vpcPeeringConnectionId,
    ).toBe(overlapping);
  });

  it('records the click but does not accept, and tells the decider why', async () => {
    const res = await cloud.chat.click(request.message.ts, APPROVE_ACTION_ID, APPROVER);
    expect(res.status).toBe(200);
    await cloud.settled();
    expect((await cloud.approvals.service.lookup('aws', request.peeringId))!).toMatchObject({
      status: 'approved',
      decidedBy: APPROVER.id,
    });
    // The only accept is the hub–spoke one from before the click; an overlap refusal is final, so the request is rejected.
    expect(cloud.aws.calls.of('AcceptVpcPeeringConnection')).toBe(acceptsBefore);
    expect(cloud.aws.state.peerings.get(request.peeringId)!.status).toBe('rejected');
    // The hub's route to the overlapping range still points at the spoke, not the partner.
    expect(
      cloud.aws.state.routeTables.get(request.hubTable)!.routes.find((r) => r.destination === CAST.cidrs.partner)
        ?.vpcPeeringConnectionId,
    ).toBe(overlapping);
    const told = ephemeralsOf(cloud, APPROVER.id);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain(request.peeringId);
    expect(told[0]).toMatch(/did not accept/);
    expect(told[0]).toContain(`${CAST.cidrs.partner} overlaps ${CAST.cidrs.partner}`);
    const audit = await cloud.audit.list();
    expect(audit.some((e) => e.action === 'approve' && e.actor === `slack:${APPROVER.id}`)).toBe(true);
    expect(audit.some((e) => e.action === 'accept-peering' && e.subject.includes(request.peeringId))).toBe(false);
  });
});

describe('two approvers clicking at the same moment (local cloud)', () => {
  let cloud: LocalCloud;
  let request: PartnerRequest;
  let dir: string;
  beforeAll(async () => {
    // The scenario's policy with a second approver (the shipped one lists only U0LOCALNET).
    dir = mkdtempSync(join(tmpdir(), 'peerkeeper-approvals-'));
    const policyFile = join(dir, 'policy.yaml');
    const policy = readFileSync(LOCAL_POLICY_FILE, 'utf8').replace(
      'approvers: [U0LOCALNET]',
      `approvers: [${APPROVER.id}, ${SECOND_APPROVER.id}]`,
    );
    if (!policy.includes(SECOND_APPROVER.id))
      throw new Error('the local policy no longer names its approvers as expected');
    writeFileSync(policyFile, policy);
    ({ cloud } = await cloudWithClock(policyFile));
    request = await partnerRequests(cloud);
  }, 30_000);
  afterAll(async () => {
    await cloud?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records exactly one decision, accepts once, and tells the other who decided', async () => {
    const clicks = await Promise.all([
      cloud.chat.click(request.message.ts, APPROVE_ACTION_ID, APPROVER),
      cloud.chat.click(request.message.ts, APPROVE_ACTION_ID, SECOND_APPROVER),
    ]);
    expect(clicks.map((c) => c.status)).toEqual([200, 200]);
    await cloud.settled();
    const record = (await cloud.approvals.service.lookup('aws', request.peeringId))!;
    expect(record.status).toBe('approved');
    const winner = record.decidedBy;
    expect([APPROVER.id, SECOND_APPROVER.id]).toContain(winner);
    const loser = winner === APPROVER.id ? SECOND_APPROVER.id : APPROVER.id;
    expect(cloud.aws.calls.of('AcceptVpcPeeringConnection')).toBe(1);
    expect(cloud.aws.state.peerings.get(request.peeringId)!.status).toBe('active');
    const decisions = (await cloud.audit.list()).filter((e) => e.action === 'approve' && e.outcome === 'approved');
    expect(decisions.map((e) => e.actor)).toEqual([`slack:${winner}`]);
    expect(ephemeralsOf(cloud, winner!)).toEqual([]);
    const told = ephemeralsOf(cloud, loser);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain(`<@${winner}>`);
    expect(told[0]).toMatch(/already approved/);
  });
});
