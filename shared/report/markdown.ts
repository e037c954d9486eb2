import type { ComplianceReport, Latency } from './compliance';

/** A duration for people: 850 ms, 42 s, 12 min, 3.5 h, 2.1 d. */
export function humanDuration(ms: number | undefined): string {
  if (ms === undefined) return '—';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Math.round(ms / 1_000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}

/** `p50 42 s, p95 3 min (n = 17)`. */
export function describeLatency(l: Latency): string {
  return l.count === 0 ? 'none' : `p50 ${humanDuration(l.p50Ms)}, p95 ${humanDuration(l.p95Ms)} (n = ${l.count})`;
}

const cell = (v: string | number) => String(v).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const table = (head: readonly string[], rows: readonly (readonly (string | number)[])[]) =>
  [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');

/** The report as Markdown: a page for a wiki, a ticket or a pull request. */
export function renderReportMarkdown(r: ComplianceReport): string {
  const out: string[] = [
    `# peerkeeper compliance report`,
    '',
    `${r.window.since} → ${r.window.until}: ${r.entries} audit entries${r.clouds.length ? ` (${r.clouds.join(', ')})` : ''}.`,
    '',
  ];
  out.push('## Conformance', '');
  if (r.conformance) {
    const c = r.conformance;
    out.push(
      `Latest tallies (${c.at})${c.complete ? '' : ' (**incomplete observation**)'}: ${c.converged} of ${c.desired} desired links converged, ${c.pending} being fixed, ${c.held} held, ${c.refused} refused.`,
      '',
    );
  } else out.push('No sweep in the window.', '');
  out.push(
    '## Drift',
    '',
    `${r.drift.found} found, ${r.drift.reverted} reverted; time to revert ${describeLatency(r.drift.timeToRevert)}.`,
    '',
  );
  if (r.drift.byKind.length)
    out.push(
      table(
        ['kind', 'found', 'reverted', 'time to revert'],
        r.drift.byKind.map((k) => [k.kind, k.found, k.reverted, describeLatency(k.timeToRevert)]),
      ),
      '',
    );
  const a = r.approvals;
  out.push(
    '## Approvals',
    '',
    `${a.requested} requested, ${a.approved} approved, ${a.rejected} rejected, ${a.expired} expired, ${a.open} open; time to decide ${describeLatency(a.latency)}.`,
    '',
  );
  if (a.decisions.length)
    out.push(
      table(
        ['peering', 'decided', 'by', 'outcome', 'waited'],
        a.decisions.map((d) => [d.subject, d.decidedAt, d.by, d.outcome, humanDuration(d.latencyMs)]),
      ),
      '',
    );
  out.push('## Rejections', '');
  out.push(
    r.rejections.length
      ? table(
          ['reason', 'count'],
          r.rejections.map((x) => [x.reason, x.count]),
        )
      : 'None.',
    '',
  );
  out.push('## Unmanaged peerings', '');
  out.push(
    r.unmanagedPeerings.length
      ? table(
          ['peering', 'cloud', 'first seen', 'last seen'],
          r.unmanagedPeerings.map((u) => [u.subject, u.cloud ?? '', u.firstSeen, u.lastSeen]),
        )
      : 'None found.',
    '',
  );
  out.push('## Unreadable partitions', '');
  out.push(
    r.unreadablePartitions.length
      ? table(
          ['partition', 'sweeps in a row', 'times', 'last seen', 'last reason'],
          r.unreadablePartitions.map((u) => [u.partition, u.consecutive, u.times, u.lastSeen, u.lastReason]),
        )
      : 'Every partition was read.',
    '',
  );
  out.push(`${r.failures} failed action(s) in the window.`, '');
  return out.join('\n');
}
