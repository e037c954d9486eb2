import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../shared/cli/main';
import type { CliOutput } from '../../shared/cli/output';
import { parseSince } from '../../shared/cli/report';
import type { ComplianceReport } from '../../shared/report';
import { FileAuditLog } from '../../shared/stores/file';
import { generateAuditLog } from '../support/audit-generator';

function capture(): CliOutput & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    color: false,
    out: (t: string) => {
      io.stdout += t;
    },
    err: (t: string) => {
      io.stderr += t;
    },
  };
  return io;
}

const UNTIL = '2026-12-01T00:00:00.000Z';

describe('peerkeeper report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-report-'));
  const aws = join(dir, 'aws-audit');
  const azure = join(dir, 'azure-audit');

  beforeAll(async () => {
    // Two deployments' logs: the report reads both as one.
    const entries = generateAuditLog({ entries: 600, days: 10, until: new Date(UNTIL) });
    const a = new FileAuditLog(aws);
    const b = new FileAuditLog(azure);
    for (const [i, e] of entries.entries()) await (i % 2 === 0 ? a : b).append(e);
  });

  it('reads several stores as one log and prints JSON for scripts', async () => {
    const io = capture();
    expect(
      await runCli(['report', '--store', `file:${aws},file:${azure}`, '--since', '10d', '--now', UNTIL, '--json'], io),
    ).toBe(0);
    const report = JSON.parse(io.stdout) as ComplianceReport;
    expect(report.entries).toBe(600);
    expect(report.window).toEqual({ since: '2026-11-21T00:00:00.000Z', until: UNTIL });
    expect(report.days).toHaveLength(11);
    expect(report.unreadablePartitions).toEqual([
      expect.objectContaining({ partition: 'aws:333333333333:us-east-1', consecutive: 3 }),
    ]);
  });

  it('narrows the window with --since, so fewer entries count', async () => {
    const io = capture();
    expect(
      await runCli(['report', '--store', `file:${aws},file:${azure}`, '--since', '2d', '--now', UNTIL, '--json'], io),
    ).toBe(0);
    const report = JSON.parse(io.stdout) as ComplianceReport;
    expect(report.entries).toBeGreaterThan(0);
    expect(report.entries).toBeLessThan(600);
  });

  it('writes a self-contained HTML page with --format html --out', async () => {
    const io = capture();
    const out = join(dir, 'report.html');
    expect(
      await runCli(['report', '--store', `file:${aws}`, '--now', UNTIL, '--format', 'html', '--out', out], io),
    ).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<svg id="activity"');
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
    expect(io.stderr).toContain(`wrote ${out}`);
  });

  it('refuses an unknown store kind, naming the kinds it knows', async () => {
    const io = capture();
    expect(await runCli(['report', '--store', 'mysql:audit', '--now', UNTIL], io)).toBe(1);
    expect(io.stderr).toContain('expected one of file, dynamodb, azure-table, gcs');
  });
});

describe('parseSince', () => {
  const until = new Date(UNTIL);
  const cases: { reason: string; input: string; want: string }[] = [
    { reason: 'days back from the end of the window', input: '30d', want: '2026-11-01T00:00:00.000Z' },
    { reason: 'hours back', input: '12h', want: '2026-11-30T12:00:00.000Z' },
    { reason: 'weeks back', input: '2w', want: '2026-11-17T00:00:00.000Z' },
    { reason: 'an ISO date is taken as is', input: '2026-11-15T00:00:00Z', want: '2026-11-15T00:00:00.000Z' },
  ];
  it.each(cases)('$reason', ({ input, want }) => {
    expect(parseSince(input, until).toISOString()).toBe(want);
  });

  it('refuses a duration it cannot read', () => {
    expect(() => parseSince('a month', until)).toThrow(/expected a duration like 30d/);
  });
});
