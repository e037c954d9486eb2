import { CreateVpcPeeringConnectionCommand } from '@aws-sdk/client-ec2';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { ec2As } from '../../infra/local/actors';
import { startLocalCloud, type LocalCloud } from '../../infra/local/cloud';
import { findMessage, waitFor } from '../../infra/local/inspect';
import { CAST } from '../../infra/local/scenario';
import { buildTopology, renderHtml } from '../../shared/graph';
import { EstateSchema } from '../../shared/model';
import { planScope } from '../../shared/planner';
import { loadPolicy } from '../../shared/policy';
import { runningClock } from '../support/clock';

/**
 * The chat stand-in in a real browser: the approval appears on the page, a person clicks Approve, the
 * signed payload reaches the real approval endpoint, the peering becomes active and the picture updates.
 * Needs Debian's chromium (apt-get install -y chromium) at /usr/bin/chromium, or PLAYWRIGHT_CHROMIUM.
 */
const executablePath = process.env.PLAYWRIGHT_CHROMIUM ?? '/usr/bin/chromium';

let cloud: LocalCloud;
let browser: Browser;
let peeringId: string;

beforeAll(async () => {
  if (!existsSync(executablePath)) {
    throw new Error(
      `chromium not found at ${executablePath}: install Debian's package (apt-get update && apt-get install -y chromium) or set PLAYWRIGHT_CHROMIUM to a Chromium binary`,
    );
  }
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  cloud = await startLocalCloud({ now: runningClock().now });
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
  peeringId = out.VpcPeeringConnection!.VpcPeeringConnectionId!;
  await cloud.functions.aws.pendingPoll();
  await waitFor(
    () => cloud.settled().then(() => findMessage(cloud, peeringId) !== undefined),
    10_000,
    'the approval message',
  );
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await cloud?.close();
});

/** The width the pictures must fit: a 1280 px laptop screen (issue 16: the GCP column was cut off at 1400 px). */
const WIDTH = 1280;
const DOCS = join(__dirname, '..', '..', 'docs');

describe('the chat stand-in in headless Chromium', () => {
  it('fits 1280 px, draws Slack mrkdwn (no raw markup) with glyphs the fonts have, and is screenshotted into docs/', async () => {
    const page = await browser.newPage({ viewport: { width: WIDTH, height: 900 } });
    await page.goto(`${cloud.chat.url}/`);
    const message = page.locator('.msg', { hasText: peeringId });
    await message.waitFor({ timeout: 5_000 });
    await page.locator('#topology svg').waitFor({ timeout: 5_000 });
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(WIDTH);
    const svg = await page.locator('#topology svg').boundingBox();
    expect(svg!.x + svg!.width).toBeLessThanOrEqual(WIDTH);
    const text = await message.innerText();
    expect(text).toContain('Requester:');
    expect(text).not.toMatch(/\*Requester:\*|<@|<!date|:white_check_mark:/);
    expect(await message.locator('b', { hasText: 'Requester:' }).count()).toBe(1);
    await page.screenshot({ path: join(DOCS, 'chat-stand-in.png') });
    await page.close();
  }, 30_000);

  it("draws the example's topology within 1280 px, every edge labelled, and screenshots it into docs/", async () => {
    const policy = loadPolicy(readFileSync('examples/policy.yaml', 'utf8'), 'examples/policy.yaml').policy;
    const estate = EstateSchema.parse(JSON.parse(readFileSync('examples/estate.json', 'utf8')));
    const plan = planScope({ policy, observation: estate, now: new Date(estate.observedAt) });
    const page = await browser.newPage({ viewport: { width: WIDTH, height: 900 } });
    await page.setContent(renderHtml(buildTopology({ observation: estate, plan })));
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(WIDTH);
    const edges = page.locator('g.edge');
    expect(await edges.count()).toBeGreaterThan(0);
    expect(await page.locator('g.edge text.label').count()).toBe(await edges.count());
    await page.screenshot({ path: join(DOCS, 'topology.png'), fullPage: true });
    await page.close();
  }, 30_000);

  it('shows the approval, takes the Approve click, and the peering turns active in the picture', async () => {
    const page = await browser.newPage();
    await page.goto(`${cloud.chat.url}/`);
    const edge = page.locator(`#topology g.edge[data-peering="${peeringId}"]`);

    // The approval message and the pending request in the picture.
    const message = page.locator('.msg', { hasText: peeringId });
    await message.waitFor({ timeout: 5_000 });
    await edge.waitFor({ timeout: 5_000 });
    expect(await edge.getAttribute('data-state')).toBe('requested');
    expect(await edge.getAttribute('class')).toContain('pending');

    await message.getByRole('button', { name: 'Approve' }).click();

    await page.locator('#outcome', { hasText: 'approval endpoint' }).waitFor({ timeout: 5_000 });
    await page
      .locator(`#topology g.edge[data-peering="${peeringId}"][data-state="active"]`)
      .waitFor({ timeout: 10_000 });
    await message.getByRole('button').first().waitFor({ state: 'detached', timeout: 5_000 });
    expect((await message.textContent())?.toLowerCase()).toContain('approved');
    expect(await edge.getAttribute('class')).not.toContain('pending');

    await cloud.settled();
    expect(cloud.aws.state.peerings.get(peeringId)!.status).toBe('active');
    const audit = await cloud.audit.list();
    expect(audit.some((e) => e.action === 'approve' && e.actor === 'slack:U0LOCALNET')).toBe(true);
    await page.close();
  }, 30_000);

  it('refuses a click from someone who is not an approver, and says why on the page', async () => {
    const page = await browser.newPage();
    await page.goto(`${cloud.chat.url}/`);
    // A second request, so there is a live button to click.
    const ec2 = await ec2As(cloud.aws.url, CAST.aws.partner, 'partner-netops');
    const second = cloud.aws.state.createVpc({
      account: CAST.aws.partner,
      region: 'us-east-1',
      cidr: '10.98.0.0/16',
      tags: { Name: 'partner-2' },
    });
    const hub = [...cloud.aws.state.vpcs.values()].find((v) => v.account === CAST.aws.hub)!;
    const out = await ec2.send(
      new CreateVpcPeeringConnectionCommand({
        VpcId: second.vpcId,
        PeerVpcId: hub.id,
        PeerOwnerId: CAST.aws.hub,
        PeerRegion: 'us-east-1',
      }),
    );
    ec2.destroy();
    const id = out.VpcPeeringConnection!.VpcPeeringConnectionId!;
    await cloud.functions.aws.pendingPoll();
    await waitFor(
      () => cloud.settled().then(() => findMessage(cloud, id) !== undefined),
      10_000,
      'the second approval message',
    );

    await page.fill('#user', 'U0SOMEONEELSE');
    const message = page.locator('.msg', { hasText: id });
    await message.getByRole('button', { name: 'Approve' }).click();
    await page.locator('#outcome', { hasText: /not an approver|not allowed|approvers/i }).waitFor({ timeout: 5_000 });
    await cloud.settled();
    expect(cloud.aws.state.peerings.get(id)!.status).toBe('pending-acceptance');
    await page.close();
  }, 30_000);
});
