import type { Cloud } from '../model';
import { edgeLabel } from './mermaid';
import type { EdgeState, Topology } from './topology';

const CLOUD_TITLE: Record<Cloud, string> = { aws: 'AWS', azure: 'Azure', gcp: 'Google Cloud' };
const COLUMN_WIDTH = 340;
const NODE_WIDTH = 230;
const NODE_HEIGHT = 44;
const NODE_GAP = 14;
const ACCOUNT_HEADER = 24;
const ACCOUNT_GAP = 18;
const TOP = 48;

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

interface Box { x: number; y: number }

/**
 * The topology as one SVG element, laid out in layers: a column per cloud, account boxes stacked in it,
 * a row per network. Peerings are curves between networks, coloured and dashed by state; drift (a plan
 * action) is drawn thick magenta, an open approval adds a purple badge. Every edge carries
 * `data-peering` and `data-state`, every network `data-network`, so tests and scripts can read the picture.
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
      parts.push(`<g class="account" data-account="${xml(account.account)}"><rect x="${x}" y="${y}" width="${NODE_WIDTH + 30}" height="${boxHeight}" rx="8"/>`
        + `<text x="${x + 10}" y="${y + 16}" class="account-title">${xml(title.length > 42 ? `${title.slice(0, 40)}…` : title)}</text></g>`);
      account.nodes.forEach((node, i) => {
        const ny = y + ACCOUNT_HEADER + i * (NODE_HEIGHT + NODE_GAP);
        at.set(node.key, { x: x + 15, y: ny });
        const drift = node.routeDrift > 0;
        parts.push(`<g class="network${drift ? ' drift' : ''}" data-network="${xml(node.key)}">`
          + `<rect x="${x + 15}" y="${ny}" width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="6"/>`
          + `<text x="${x + 25}" y="${ny + 18}" class="name">${xml(node.label)}${drift ? ` ⚠ ${node.routeDrift} route${node.routeDrift === 1 ? '' : 's'}` : ''}</text>`
          + `<text x="${x + 25}" y="${ny + 34}" class="cidr">${xml(node.cidrs.join(', ') || node.region)}</text></g>`);
      });
      y += boxHeight + ACCOUNT_GAP;
    }
    height = Math.max(height, y);
  });
  const edgeParts = topology.edges.map((edge) => {
    const a = at.get(edge.from);
    const b = at.get(edge.to);
    if (!a || !b) return '';
    const style = EDGE_COLOR[edge.state];
    const drifted = edge.drift.length > 0;
    const sameColumn = a.x === b.x;
    const [x1, y1] = [sameColumn || a.x < b.x ? a.x + NODE_WIDTH : a.x, a.y + NODE_HEIGHT / 2];
    const [x2, y2] = [sameColumn || b.x < a.x ? b.x + NODE_WIDTH : b.x, b.y + NODE_HEIGHT / 2];
    // Edges within a column bulge to the right, further the further apart the networks are.
    const bulge = sameColumn ? 40 + Math.abs(y2 - y1) / 4 : (x2 - x1) / 2;
    const path = sameColumn ? `M${x1},${y1} C${x1 + bulge},${y1} ${x2 + bulge},${y2} ${x2},${y2}` : `M${x1},${y1} C${x1 + bulge},${y1} ${x2 - bulge},${y2} ${x2},${y2}`;
    const midX = sameColumn ? Math.max(x1, x2) + bulge * 0.75 : (x1 + x2) / 2;
    const midY = (y1 + y2) / 2;
    const title = `${edge.id}: ${edgeLabel(edge)}`;
    return `<g class="edge state-${edge.state}${drifted ? ' drift' : ''}${edge.pendingApproval ? ' pending' : ''}" data-peering="${xml(edge.id)}" data-state="${edge.state}"><title>${xml(title)}</title>`
      + (drifted ? `<path d="${path}" class="halo"/>` : '')
      + `<path d="${path}" stroke="${style.stroke}"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''}/>`
      + (edge.pendingApproval ? `<g class="badge"><circle cx="${midX}" cy="${midY}" r="9"/><text x="${midX}" y="${midY + 4}">?</text></g>` : '')
      + '</g>';
  });
  const width = 40 + Math.max(1, clouds.length) * COLUMN_WIDTH;
  const legend = legendSvg(20, height + 10);
  return `<svg xmlns="http://www.w3.org/2000/svg" class="peerkeeper-topology" width="${width}" height="${height + 40}" viewBox="0 0 ${width} ${height + 40}" data-changes="${topology.changes}">`
    + `<style>${SVG_STYLE}</style>${parts.join('')}${edgeParts.join('')}${legend}</svg>`;
}

const SVG_STYLE = [
  'text{font:12px system-ui,sans-serif;fill:#263238}', '.cloud{font-size:16px;font-weight:600}',
  '.account rect{fill:#eceff1;stroke:#b0bec5}', '.account-title{font-size:11px;fill:#546e7a}',
  '.network rect{fill:#fff;stroke:#455a64}', '.network.drift rect{fill:#ffebee;stroke:#c62828;stroke-width:3}',
  '.name{font-weight:600}', '.cidr{font-size:11px;fill:#607d8b}',
  '.edge path{fill:none;stroke-width:2.5}', '.edge path.halo{stroke:#d500f9;stroke-width:8;opacity:.35}',
  '.badge circle{fill:#8e24aa}', '.badge text{fill:#fff;font-weight:700;text-anchor:middle}',
].join('');

function legendSvg(x: number, y: number): string {
  const items: [string, EdgeState][] = [['active', 'active'], ['requested', 'requested'], ['planned', 'planned'], ['rejected / failed', 'rejected']];
  return items.map(([text, state], i) => {
    const lx = x + i * 150;
    const s = EDGE_COLOR[state];
    return `<g class="legend"><path d="M${lx},${y} h30" stroke="${s.stroke}" stroke-width="2.5"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/><text x="${lx + 36}" y="${y + 4}">${text}</text></g>`;
  }).join('') + `<g class="legend"><path d="M${x + 600},${y} h30" stroke="#d500f9" stroke-width="8" opacity=".35"/><text x="${x + 636}" y="${y + 4}">drift</text></g>`;
}

/** A self-contained HTML page around the SVG: no scripts, no external assets. */
export function renderHtml(topology: Topology, title = 'peerkeeper topology'): string {
  const summary = topology.changes === 0 ? 'Converged: the plan has no changes.' : `${topology.changes} change(s) pending in the plan (drift is highlighted).`;
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${xml(title)}</title>`
    + '<style>body{font:14px system-ui,sans-serif;margin:24px;color:#263238}</style></head>'
    + `<body><h1>${xml(title)}</h1><p>${xml(summary)}</p>${renderSvg(topology)}</body></html>\n`;
}
