import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startLocalCloud, type LocalCloud } from '../../infra/local/cloud';
import { runScenario } from '../../infra/local/scenario';
import { runCli } from '../../shared/cli/main';
import type { CliOutput } from '../../shared/cli/output';
import { FileAuditLog } from '../../shared/stores/file';
import type { AuditEntry } from '../../shared/stores/ports';
import { generateAuditLog } from '../support/audit-generator';
import { runningClock } from '../support/clock';

/**
 * `peerkeeper report --format html` over the audit log of a real `npm start` run plus a generated 90-day log
 * (10k entries), opened in headless Chromium: the page renders its charts from inline SVG with nothing fetched.
 * PEERKEEPER_REPORT_SCREENSHOT=docs/compliance-report.png keeps the screenshot (README shows it).
 * Needs Debian's chromium at /usr/bin/chromium, or PLAYWRIGHT_CHROMIUM (see chat-browser.test.ts).
 */
const executablePath = process.env.PLAYWRIGHT_CHROMIUM ?? '/usr/bin/chromium';
const quiet: CliOutput = { out: () => undefined, err: () => undefined, color: false };

let browser: Browser;
let cloud: LocalCloud;
const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-report-e2e-'));
const page = join(dir, 'report.html');
let scenarioEntries: AuditEntry[];

beforeAll(async () => {
  if (!existsSync(executablePath))
    throw new Error(`chromium not found at ${executablePath}: apt-get install -y chromium, or set PLAYWRIGHT_CHROMIUM`);
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  cloud = await startLocalCloud({ stateDir: dir, now: runningClock().now });
  await runScenario(cloud);
  await cloud.close();
  const audit = new FileAuditLog(join(dir, 'audit'));
  scenarioEntries = await audit.list();
  // The window ends a minute after the run's last entry and the generated history ends where the run began:
  // times come from the data, not from the test's clock.
  const first = Date.parse(scenarioEntries[0]!.at);
  const until = new Date(Date.parse(scenarioEntries[scenarioEntries.length - 1]!.at) + 60_000).toISOString();
  for (const e of generateAuditLog({ entries: 10_000, days: 90, until: new Date(first - 1) })) await audit.append(e);
  expect(
    await runCli(
      [
        'report',
        '--store',
        `file:${join(dir, 'audit')}`,
        '--since',
        '90d',
        '--now',
        until,
        '--format',
        'html',
        '--out',
        page,
      ],
      quiet,
    ),
  ).toBe(0);
}, 90_000);

afterAll(async () => {
  await browser?.close();
});

describe('the compliance report in headless Chromium', () => {
  it('draws a bar per day, the conformance line and the rejection reasons, and fetches nothing', async () => {
    const tab = await browser.newPage({ viewport: { width: 880, height: 1250 } });
    const requests: string[] = [];
    tab.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    await tab.goto(`file://${page}`);

    const bars = tab.locator('#activity g.bar');
    expect(await bars.count()).toBe(91);
    const tallest = await tab.locator('#activity g.bar rect').first().boundingBox();
    expect(tallest?.height ?? 0).toBeGreaterThan(0);
    expect(await tab.locator('#conformance circle.point').count()).toBeGreaterThanOrEqual(89);
    const reasons = await tab
      .locator('#rejections g.hbar')
      .evaluateAll((gs) => gs.map((g) => g.getAttribute('data-label')));
    expect(reasons).toEqual(
      expect.arrayContaining([
        'requester account not listed in the policy',
        'CIDR overlap',
        'denied by policy: spokes talk through the hub',
      ]),
    );
    expect(requests).toEqual([]);

    const shot = process.env.PEERKEEPER_REPORT_SCREENSHOT
      ? resolve(process.env.PEERKEEPER_REPORT_SCREENSHOT)
      : join(dir, 'report.png');
    // The first screen: tiles, both charts and the drift table (the full page runs to 5,000 px of tables).
    await tab.screenshot({ path: shot });
    expect(existsSync(shot)).toBe(true);
    await tab.close();
  }, 30_000);

  it('shows the npm start run: the partner approved in chat by the local approver, the stranger rejected, drift reverted', async () => {
    const tab = await browser.newPage();
    await tab.goto(`file://${page}`);
    expect(scenarioEntries.some((e) => e.kind === 'route-drift' && e.outcome === 'done')).toBe(true);
    await tab.locator('#approvals td', { hasText: 'slack:U0LOCALNET' }).first().waitFor({ timeout: 5_000 });
    const stranger = scenarioEntries.find((e) => e.action === 'reject-peering' && e.outcome === 'done');
    expect(stranger?.reason).toMatch(/not listed in the policy/);
    expect(await tab.locator('#drift td', { hasText: 'route-drift' }).count()).toBe(1);
    await tab.close();
  }, 30_000);
});
