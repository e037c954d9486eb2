import { xml } from '../graph/svg';
import type { DayCounts } from './compliance';

/** One coloured series of a chart. */
export interface Series {
  key: keyof DayCounts & string;
  label: string;
  color: string;
}

/** What each day's stacked bar shows, bottom to top. */
export const ACTIVITY_SERIES: readonly Series[] = [
  { key: 'accepted', label: 'accepted', color: '#2e7d32' },
  { key: 'created', label: 'created', color: '#81c784' },
  { key: 'reverted', label: 'reverted', color: '#1565c0' },
  { key: 'rejected', label: 'rejected', color: '#ef6c00' },
  { key: 'held', label: 'held', color: '#9e9e9e' },
  { key: 'failed', label: 'failed', color: '#c62828' },
];

const W = 760;
const H = 220;
const PAD = { left: 44, right: 12, top: 12, bottom: 40 };

/** A round axis maximum ≥ max: 1, 2, 5 × 10ⁿ. */
function niceMax(max: number): number {
  if (max <= 0) return 1;
  const pow = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((m) => m * pow).find((v) => v >= max)!;
}

function axes(maxY: number, days: readonly DayCounts[], unit: string): string[] {
  const plotH = H - PAD.top - PAD.bottom;
  const out: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const y = PAD.top + plotH - (plotH * i) / 4;
    out.push(
      `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}" class="grid"/>`,
      `<text x="${PAD.left - 6}" y="${y + 4}" text-anchor="end">${(maxY * i) / 4}${unit}</text>`,
    );
  }
  // About 8 date labels, whatever the window: 30 days → every 4th, 90 days → every 12th.
  const every = Math.max(1, Math.ceil(days.length / 8));
  const step = (W - PAD.left - PAD.right) / Math.max(1, days.length);
  days.forEach((d, i) => {
    if (i % every === 0)
      out.push(
        `<text x="${PAD.left + step * i + step / 2}" y="${H - PAD.bottom + 16}" text-anchor="middle">${xml(d.day.slice(5))}</text>`,
      );
  });
  return out;
}

function legend(series: readonly { label: string; color: string }[]): string {
  return series
    .map(
      (s, i) =>
        `<g transform="translate(${PAD.left + i * 110},${H - 12})"><rect width="10" height="10" y="-9" fill="${s.color}"/><text x="14">${xml(s.label)}</text></g>`,
    )
    .join('');
}

/** Stacked bars of what peerkeeper did each day. Each bar carries data-day and data-total for tests and tooltips. */
export function activityChart(days: readonly DayCounts[], series: readonly Series[] = ACTIVITY_SERIES): string {
  const plotH = H - PAD.top - PAD.bottom;
  const totals = days.map((d) => series.reduce((n, s) => n + Number(d[s.key] ?? 0), 0));
  const maxY = niceMax(Math.max(0, ...totals));
  const step = (W - PAD.left - PAD.right) / Math.max(1, days.length);
  const bars = days.map((d, i) => {
    let y = PAD.top + plotH;
    const parts = series
      .map((s) => {
        const h = (Number(d[s.key] ?? 0) / maxY) * plotH;
        y -= h;
        return h > 0
          ? `<rect x="${(PAD.left + step * i + step * 0.1).toFixed(1)}" y="${y.toFixed(1)}" width="${(step * 0.8).toFixed(1)}" height="${h.toFixed(1)}" fill="${s.color}"/>`
          : '';
      })
      .join('');
    return `<g class="bar" data-day="${xml(d.day)}" data-total="${totals[i]}"><title>${xml(d.day)}: ${series.map((s) => `${Number(d[s.key] ?? 0)} ${s.label}`).join(', ')}</title>${parts}</g>`;
  });
  return svg('activity', 'Actions per day', [...axes(maxY, days, ''), ...bars, legend(series)]);
}

/** Share of desired links converged at each day's last sweep, as a line (days without a sweep are skipped). */
export function conformanceChart(days: readonly DayCounts[]): string {
  const plotH = H - PAD.top - PAD.bottom;
  const step = (W - PAD.left - PAD.right) / Math.max(1, days.length);
  const points = days.flatMap((d, i) =>
    d.desired
      ? [{ x: PAD.left + step * i + step / 2, y: PAD.top + plotH - ((d.converged ?? 0) / d.desired) * plotH, d }]
      : [],
  );
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
  const dots = points.map(
    (p) =>
      `<circle class="point" cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="2.5" data-day="${xml(p.d.day)}"><title>${xml(p.d.day)}: ${p.d.converged ?? 0} of ${p.d.desired} converged</title></circle>`,
  );
  return svg('conformance', 'Desired links converged (last sweep of each day)', [
    ...axes(100, days, '%'),
    path ? `<path d="${path}" fill="none" stroke="#2e7d32" stroke-width="2"/>` : '',
    ...dots,
  ]);
}

/** Horizontal bars, one per label (rejection reasons, drift kinds). */
export function horizontalBars(id: string, title: string, rows: readonly { label: string; value: number }[]): string {
  const rowH = 22;
  const height = Math.max(1, rows.length) * rowH + 8;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const labelW = 300;
  const bars = rows.map(
    (r, i) =>
      `<g class="hbar" data-label="${xml(r.label)}" data-value="${r.value}"><text x="${labelW - 6}" y="${i * rowH + 15}" text-anchor="end">${xml(r.label.length > 48 ? `${r.label.slice(0, 47)}…` : r.label)}</text>` +
      `<rect x="${labelW}" y="${i * rowH + 4}" width="${(((W - labelW - 60) * r.value) / max).toFixed(1)}" height="${rowH - 8}" fill="#ef6c00"/>` +
      `<text x="${labelW + ((W - labelW - 60) * r.value) / max + 6}" y="${i * rowH + 15}">${r.value}</text></g>`,
  );
  return `<svg id="${id}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" aria-label="${xml(title)}"><title>${xml(title)}</title>${rows.length ? bars.join('') : '<text x="10" y="18">none</text>'}</svg>`;
}

function svg(id: string, title: string, body: readonly string[]): string {
  return `<svg id="${id}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${xml(title)}"><title>${xml(title)}</title>${body.join('')}</svg>`;
}
