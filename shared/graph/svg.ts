import type { Cloud } from '../model';
import { edgeLabel, edgeLabelLines } from './mermaid';
import type { EdgeState, Topology } from './topology';

const CLOUD_TITLE: Record<Cloud, string> = { aws: 'AWS', azure: 'Azure', gcp: 'Google Cloud' };
/**
 * A column per cloud: the account boxes (240 px) and, to their right, a 220 px gutter where that cloud's peerings
 * curve and carry their labels. Native peering never crosses clouds, so an edge never leaves its column. Three
 * columns make 1,420 px; the page scales the SVG to its width (1,280 px shows it at 0.9).
 */
const COLUMN_WIDTH = 460;
const NODE_WIDTH = 210;
/** How far right of a network box an edge's curve reaches: 16 px for neighbours up to 56 px for distant rows. */
const APEX_MIN = 16;
const APEX_MAX = 56;
/** Edge labels: 10.5 px text is about 6 px a character; a line is cut to what the gutter holds. */
const LABEL_CHARS = 27;
const NODE_HEIGHT = 44;
const NODE_GAP = 14;
const ACCOUNT_HEADER = 24;
const ACCOUNT_GAP = 18;
const TOP = 48;

/** Links peerkeeper does not own: grey and finely dotted, whatever their state (their state is in the label). */
const UNMANAGED = { stroke: '#78909c', dash: '2 3' };

const EDGE_COLOR: Record<EdgeState, { stroke: string; dash: string }> = {
  active: { stroke: '#2e7d32', dash: '' },
  requested: { stroke: '#ef6c00', dash: '6 4' },
  planned: { stroke: '#757575', dash: '2 4' },
  rejected: { stroke: '#c62828', dash: '1 3' },
  failed: { stroke: '#c62828', dash: '1 3' },
  expired: { stroke: '#9e9e9e', dash: '1 3' },
  deleted: { stroke: '#9e9e9e', dash: '1 3' },
};

/** Escapes text for XML content and attribute values. */
export function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface Box {
  x: number;
  y: number;
}

/** A label line cut to the gutter's width (the full text is in the edge's <title>). */
function fit(text: string): string {
  return text.length > LABEL_CHARS ? `${text.slice(0, LABEL_CHARS - 1)}…` : text;
}

/**
 * The topology as one SVG element, laid out in layers: a column per cloud, account boxes stacked in it,
 * a row per network. Peerings are curves in their cloud's gutter, coloured and dashed by state and labelled with
 * state and connection; unmanaged links are grey and dotted; networks peerkeeper does not observe (a partner's) are
 * dashed boxes with the CIDRs their peering announced. Drift (a plan action) is drawn thick magenta, an open
 * approval adds a purple badge. Every edge carries `data-peering`, `data-state` and `data-managed`, every network
 * `data-network`, so tests and scripts can read the picture.
 */
export function renderSvg(topology: Topology): string {
  const clouds = [...new Set(topology.accounts.map((a) => a.cloud))];
  const at = new Map<string, Box>();
  const parts: string[] = [];
  let height = TOP;
  clouds.forEach((cloud, column) => {
    const x = 20 + column * COLUMN_WIDTH;
    parts.push(`<text x="${x}" y="28" class="cloud">${xml(CLOUD_TITLE[cloud])}</text>`);
    let y = TOP;
    for (const account of topology.accounts.filter((a) => a.cloud === cloud)) {
      const boxHeight = ACCOUNT_HEADER + account.nodes.length * (NODE_HEIGHT + NODE_GAP);
      const title = account.name ? `${account.name} · ${account.account}` : account.account;
      parts.push(
        `<g class="account" data-account="${xml(account.account)}"><rect x="${x}" y="${y}" width="${NODE_WIDTH + 30}" height="${boxHeight}" rx="8"/>` +
          `<text x="${x + 10}" y="${y + 16}" class="account-title">${xml(title.length > 38 ? `${title.slice(0, 37)}…` : title)}</text></g>`,
      );
      account.nodes.forEach((node, i) => {
        const ny = y + ACCOUNT_HEADER + i * (NODE_HEIGHT + NODE_GAP);
        at.set(node.key, { x: x + 15, y: ny });
        const drift = node.routeDrift > 0;
        const ranges = node.cidrs.join(', ') || (node.external ? 'CIDRs unknown' : node.region);
        const cidrs = node.hub ? `transit hub · ${node.region}` : node.external ? `external · ${ranges}` : ranges;
        const name = `${node.label}${drift ? ` ⚠ ${node.routeDrift} route${node.routeDrift === 1 ? '' : 's'}` : ''}`;
        parts.push(
          `<g class="network${drift ? ' drift' : ''}${node.external ? ' external' : ''}${node.hub ? ' hub' : ''}" data-network="${xml(node.key)}">` +
            `<rect x="${x + 15}" y="${ny}" width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="6"/>` +
            `<text x="${x + 25}" y="${ny + 18}" class="name">${xml(name.length > 30 ? `${name.slice(0, 29)}…` : name)}</text>` +
            `<text x="${x + 25}" y="${ny + 34}" class="cidr">${xml(cidrs.length > 34 ? `${cidrs.slice(0, 33)}…` : cidrs)}</text></g>`,
        );
      });
      y += boxHeight + ACCOUNT_GAP;
    }
    height = Math.max(height, y);
  });
  const spans = topology.edges.map((e) => Math.abs((at.get(e.from)?.y ?? 0) - (at.get(e.to)?.y ?? 0)));
  const longest = Math.max(1, ...spans);
  const edgeParts = topology.edges.map((edge, i) => {
    const a = at.get(edge.from);
    const b = at.get(edge.to);
    if (!a || !b) return '';
    const style = edge.managed ? EDGE_COLOR[edge.state] : UNMANAGED;
    const drifted = edge.drift.length > 0;
    // Both ends on the right edge of their boxes; the curve bows into the gutter, further for rows further apart,
    // and never past APEX_MAX (a cubic's apex is 3/4 of its control offset), so it stays in its own column.
    const [x1, y1, x2, y2] = [a.x + NODE_WIDTH, a.y + NODE_HEIGHT / 2, b.x + NODE_WIDTH, b.y + NODE_HEIGHT / 2];
    const apex = APEX_MIN + ((APEX_MAX - APEX_MIN) * spans[i]!) / longest;
    const bulge = (apex * 4) / 3;
    const path = `M${x1},${y1} C${x1 + bulge},${y1} ${x2 + bulge},${y2} ${x2},${y2}`;
    const midX = Math.max(x1, x2) + apex;
    const midY = (y1 + y2) / 2;
    const lines = edgeLabelLines(edge);
    const text = lines
      .map((line, j) => `<tspan x="${midX + 12}" dy="${j === 0 ? 0 : 12}">${xml(fit(line))}</tspan>`)
      .join('');
    const labelY = midY + 4 - ((lines.length - 1) * 12) / 2;
    return (
      `<g class="edge state-${edge.state}${edge.managed ? '' : ' unmanaged'}${drifted ? ' drift' : ''}${edge.pendingApproval ? ' pending' : ''}" data-peering="${xml(edge.id)}" data-state="${edge.state}" data-managed="${edge.managed}"><title>${xml(`${edge.id}: ${edgeLabel(edge)}`)}</title>` +
      (drifted ? `<path d="${path}" class="halo"/>` : '') +
      `<path d="${path}" stroke="${style.stroke}"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''}${edge.managed ? '' : ' stroke-width="1.5"'}/>` +
      (edge.pendingApproval
        ? `<g class="badge"><circle cx="${midX}" cy="${midY}" r="8"/><text x="${midX}" y="${midY + 4}">?</text></g>`
        : `<circle class="dot" cx="${midX}" cy="${midY}" r="3" fill="${style.stroke}"/>`) +
      `<text class="label" y="${labelY}">${text}</text>` +
      '</g>'
    );
  });
  const width = 40 + Math.max(1, clouds.length) * COLUMN_WIDTH;
  const legend = legendSvg(20, height + 10, width - 40);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="peerkeeper-topology" width="${width}" height="${height + 20 + legend.height}" viewBox="0 0 ${width} ${height + 20 + legend.height}" style="max-width:100%;height:auto" data-changes="${topology.changes}">` +
    `<style>${SVG_STYLE}</style>${parts.join('')}${edgeParts.join('')}${legend.svg}</svg>`
  );
}

const SVG_STYLE = [
  'text{font:12px system-ui,sans-serif;fill:#263238}',
  '.cloud{font-size:16px;font-weight:600}',
  '.account rect{fill:#eceff1;stroke:#b0bec5}',
  '.account-title{font-size:11px;fill:#546e7a}',
  '.network rect{fill:#fff;stroke:#455a64}',
  '.network.drift rect{fill:#ffebee;stroke:#c62828;stroke-width:3}',
  '.network.external rect{fill:#fafafa;stroke:#9e9e9e;stroke-dasharray:4 3}',
  '.network.external .name{fill:#616161}',
  '.network.hub rect{fill:#e3f2fd;stroke:#1565c0;stroke-width:2}',
  '.name{font-weight:600}',
  '.cidr{font-size:11px;fill:#607d8b}',
  '.edge .label{font-size:10.5px;fill:#37474f;paint-order:stroke;stroke:#fff;stroke-width:3px}',
  '.edge.unmanaged .label{fill:#78909c;font-style:italic}',
  '.edge path{fill:none;stroke-width:2.5}',
  '.edge path.halo{stroke:#d500f9;stroke-width:8;opacity:.35}',
  '.badge circle{fill:#8e24aa}',
  '.badge text{fill:#fff;font-weight:700;text-anchor:middle}',
].join('');

/** The legend, in rows of 220 px cells that fit the picture's width (one cloud alone is 460 px wide). */
function legendSvg(x: number, y: number, width: number): { svg: string; height: number } {
  const line =
    (s: { stroke: string; dash: string }, extra = '') =>
    (lx: number, ly: number) =>
      `<path d="M${lx},${ly} h30" stroke="${s.stroke}" stroke-width="2.5"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}${extra}/>`;
  const items: [string, (lx: number, ly: number) => string][] = [
    ['active', line(EDGE_COLOR.active)],
    ['requested', line(EDGE_COLOR.requested)],
    ['planned', line(EDGE_COLOR.planned)],
    ['rejected / failed', line(EDGE_COLOR.rejected)],
    ['unmanaged (left alone)', line(UNMANAGED)],
    [
      'drift (the plan changes it)',
      (lx, ly) => `<path d="M${lx},${ly} h30" stroke="#d500f9" stroke-width="8" opacity=".35"/>`,
    ],
    [
      'external network',
      (lx, ly) =>
        `<rect x="${lx}" y="${ly - 8}" width="30" height="16" rx="3" fill="#fafafa" stroke="#9e9e9e" stroke-dasharray="4 3"/>`,
    ],
  ];
  const perRow = Math.max(1, Math.floor(width / 220));
  const svg = items
    .map(([text, mark], i) => {
      const lx = x + (i % perRow) * 220;
      const ly = y + Math.floor(i / perRow) * 22;
      return `<g class="legend">${mark(lx, ly)}<text x="${lx + 36}" y="${ly + 4}">${text}</text></g>`;
    })
    .join('');
  return { svg, height: Math.ceil(items.length / perRow) * 22 + 10 };
}

/** A self-contained HTML page around the SVG: no scripts, no external assets. */
export function renderHtml(topology: Topology, title = 'peerkeeper topology'): string {
  const summary =
    topology.changes === 0
      ? 'Converged: the plan has no changes.'
      : `${topology.changes} change(s) pending in the plan (drift is highlighted).`;
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${xml(title)}</title>` +
    '<style>body{font:14px system-ui,sans-serif;margin:24px;color:#263238}</style></head>' +
    `<body><h1>${xml(title)}</h1><p>${xml(summary)}</p>${renderSvg(topology)}</body></html>\n`
  );
}
