import { join } from 'node:path';
import { buildReport, renderReportHtml, renderReportMarkdown } from '../report';
import { listAll, openAuditLog } from '../stores/open-audit';
import { stateDir } from './approvals';
import { parseNow } from './clock';
import { CliError, writeText } from './io';
import type { CliOutput } from './output';

/** Arguments of `peerkeeper report`. */
export interface ReportArgs {
  /** Comma-separated audit stores (`file:DIR`, `dynamodb:TABLE`, `azure-table:TABLE`, `gcs:BUCKET`); default the embedded log. */
  store?: string;
  /** `30d`, `12h`, or an ISO date; default 30 days. */
  since?: string;
  /** End of the window (ISO); default now. */
  now?: string;
  format?: string;
  json?: boolean;
  out?: string;
  stateDir?: string;
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `--since 30d` (or 12h, 2w, 90m, or an ISO date) as the window's start. */
export function parseSince(text: string, until: Date): Date {
  const relative = /^(\d{1,5})([mhdw])$/.exec(text.trim());
  if (relative) return new Date(until.getTime() - Number(relative[1]) * UNIT_MS[relative[2]!]!);
  try {
    return parseNow(text);
  } catch {
    throw new CliError(`--since ${text}: expected a duration like 30d, 12h, 2w, or an ISO date`);
  }
}

/**
 * `peerkeeper report [--store S,…] [--since 30d] [--format markdown|html] [--json] [--out F]`: compliance over
 * time from the audit log(s). Several stores (one per cloud deployment) are read as one log.
 */
export async function reportCommand(
  args: ReportArgs,
  io: CliOutput,
  wallClock: () => Date = () => new Date(),
): Promise<number> {
  const until = args.now ? parseNow(args.now) : wallClock();
  const since = parseSince(args.since ?? '30d', until);
  if (since.getTime() >= until.getTime())
    throw new CliError(`--since ${args.since}: the window starts after it ends (${until.toISOString()})`);
  const format = args.json ? 'json' : (args.format ?? 'markdown');
  if (!['markdown', 'html', 'json'].includes(format))
    throw new CliError(`--format ${format}: expected markdown, html or json`);
  const addresses = (args.store ?? `file:${join(stateDir(args.stateDir), 'audit')}`)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  let entries;
  try {
    entries = await listAll(
      addresses.map((address) => ({ address, log: openAuditLog(address) })),
      since.toISOString(),
    );
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
  const report = buildReport(entries, { since, until });
  const text =
    format === 'json'
      ? `${JSON.stringify(report, null, 2)}\n`
      : format === 'html'
        ? renderReportHtml(report)
        : renderReportMarkdown(report);
  if (args.out) {
    writeText(args.out, text);
    io.err(`wrote ${args.out} (${report.entries} audit entries, ${report.window.since} → ${report.window.until})\n`);
  } else io.out(text);
  return 0;
}
