import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runCli } from '../../shared/cli/main';
import { buildReport, renderReportHtml, renderReportMarkdown } from '../../shared/report';
import { generateAuditLog } from '../support/audit-generator';

const UNTIL = new Date('2026-12-01T00:00:00.000Z');

/**
 * `peerkeeper report` over 10k and 100k audit entries (100k ≈ a year of a busy estate: hourly sweeps plus
 * ~250 actions a day). Two rows per size: the pure report (compute + Markdown + HTML), and the whole command
 * reading the embedded file store (JSON-lines, every line validated) and writing the HTML. Target (issue 15): < 2 s.
 */
export async function benchReport(): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  const since = new Date(UNTIL.getTime() - 90 * 86_400_000);
  for (const entries of [10_000, 100_000]) {
    const log = generateAuditLog({ entries, days: 90, until: UNTIL });
    const t0 = performance.now();
    const report = buildReport(log, { since, until: UNTIL });
    const html = renderReportHtml(report);
    const md = renderReportMarkdown(report);
    const ms = performance.now() - t0;
    rows.push({
      name: `report-${entries / 1000}k`,
      entries,
      ms: Math.round(ms),
      htmlBytes: html.length,
      markdownBytes: md.length,
      target: '< 2000 ms',
      pass: ms < 2000,
    });

    const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-report-bench-'));
    writeFileSync(join(dir, 'audit.jsonl'), log.map((e) => `${JSON.stringify(e)}\n`).join(''));
    const quiet = { out: () => undefined, err: () => undefined, color: false };
    const t1 = performance.now();
    const code = await runCli(
      [
        'report',
        '--store',
        `file:${dir}`,
        '--since',
        '90d',
        '--now',
        UNTIL.toISOString(),
        '--format',
        'html',
        '--out',
        join(dir, 'report.html'),
      ],
      quiet,
    );
    const cliMs = performance.now() - t1;
    rmSync(dir, { recursive: true, force: true });
    rows.push({
      name: `report-cli-file-${entries / 1000}k`,
      entries,
      ms: Math.round(cliMs),
      exitCode: code,
      target: '< 2000 ms (store read included)',
      pass: code === 0 && cliMs < 2000,
    });
  }
  return rows;
}
