import { xml } from '../graph/svg';
import { activityChart, conformanceChart, horizontalBars } from './charts';
import type { ComplianceReport } from './compliance';
import { describeLatency, humanDuration } from './markdown';

const STYLE = `body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:24px auto;max-width:820px;color:#212121}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #e0e0e0}
table{border-collapse:collapse;width:100%;font-size:13px}td,th{border-bottom:1px solid #eee;padding:3px 6px;text-align:left}
.tiles{display:flex;gap:10px;flex-wrap:wrap}.tile{border:1px solid #e0e0e0;border-radius:6px;padding:8px 12px;min-width:120px}
.tile b{display:block;font-size:22px}.warn b{color:#c62828}svg text{font-size:11px;fill:#424242}svg .grid{stroke:#eee}`;

function table(
  id: string,
  head: readonly string[],
  rows: readonly (readonly (string | number)[])[],
  empty: string,
): string {
  if (rows.length === 0) return `<p id="${id}">${xml(empty)}</p>`;
  return `<table id="${id}"><thead><tr>${head.map((h) => `<th>${xml(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${xml(String(c))}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function tile(label: string, value: string | number, warn = false): string {
  return `<div class="tile${warn ? ' warn' : ''}"><b>${xml(String(value))}</b>${xml(label)}</div>`;
}

/**
 * The report as one self-contained HTML page: inline CSS and SVG, no script, no external fetch, so it can
 * be mailed, archived as evidence, or opened offline.
 */
export function renderReportHtml(r: ComplianceReport): string {
  const c = r.conformance;
  const a = r.approvals;
  const body = [
    `<h1>peerkeeper compliance report</h1>`,
    `<p>${xml(r.window.since)} → ${xml(r.window.until)} · ${r.entries} audit entries${r.clouds.length ? ` · ${xml(r.clouds.join(', '))}` : ''}</p>`,
    `<div class="tiles" id="summary">`,
    c
      ? tile('desired links converged', `${c.converged}/${c.desired}`, c.converged < c.desired)
      : tile('conformance tallies', 'none', true),
    tile('held', c?.held ?? 0, (c?.held ?? 0) > 0),
    tile('refused', c?.refused ?? 0),
    tile('drift reverted', `${r.drift.reverted}/${r.drift.found}`),
    tile('p95 time to revert', humanDuration(r.drift.timeToRevert.p95Ms)),
    tile('approvals open', a.open),
    tile('unreadable partitions', r.unreadablePartitions.length, r.unreadablePartitions.length > 0),
    tile('failed actions', r.failures, r.failures > 0),
    `</div>`,
    `<h2>Activity</h2>`,
    activityChart(r.days),
    `<h2>Conformance</h2>`,
    conformanceChart(r.days),
    c
      ? `<p>Latest tallies (${xml(c.at)})${c.complete ? '' : ' (incomplete observation)'}: ${c.converged} converged, ${c.pending} being fixed, ${c.held} held, ${c.refused} refused of ${c.desired} desired.</p>`
      : '<p>No sweep in the window.</p>',
    `<h2>Drift</h2>`,
    `<p>${r.drift.found} found, ${r.drift.reverted} reverted; time to revert ${xml(describeLatency(r.drift.timeToRevert))}.</p>`,
    table(
      'drift',
      ['kind', 'found', 'reverted', 'time to revert'],
      r.drift.byKind.map((k) => [k.kind, k.found, k.reverted, describeLatency(k.timeToRevert)]),
      'No drift.',
    ),
    `<h2>Approvals</h2>`,
    `<p>${a.requested} requested, ${a.approved} approved, ${a.rejected} rejected, ${a.expired} expired, ${a.open} open; time to decide ${xml(describeLatency(a.latency))}.</p>`,
    table(
      'approvals',
      ['peering', 'decided', 'by', 'outcome', 'waited'],
      a.decisions.map((d) => [d.subject, d.decidedAt, d.by, d.outcome, humanDuration(d.latencyMs)]),
      'No decisions.',
    ),
    `<h2>Rejections</h2>`,
    horizontalBars(
      'rejections',
      'Rejections by reason',
      r.rejections.map((x) => ({ label: x.reason, value: x.count })),
    ),
    `<h2>Unmanaged peerings</h2>`,
    table(
      'unmanaged',
      ['peering', 'cloud', 'first seen', 'last seen'],
      r.unmanagedPeerings.map((u) => [u.subject, u.cloud ?? '', u.firstSeen, u.lastSeen]),
      'None found.',
    ),
    `<h2>Unreadable partitions</h2>`,
    table(
      'unreadable',
      ['partition', 'sweeps in a row', 'times', 'last seen', 'last reason'],
      r.unreadablePartitions.map((u) => [u.partition, u.consecutive, u.times, u.lastSeen, u.lastReason]),
      'Every partition was read.',
    ),
  ];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>peerkeeper compliance ${xml(r.window.since.slice(0, 10))} – ${xml(r.window.until.slice(0, 10))}</title><style>${STYLE}</style></head><body>${body.join('\n')}</body></html>\n`;
}
