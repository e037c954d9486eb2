import type { EdgeState, Topology, TopologyEdge } from './topology';

const CLOUD_TITLE = { aws: 'AWS', azure: 'Azure', gcp: 'Google Cloud' } as const;

/** Mermaid has no edge classes: each edge state gets a linkStyle (colour, dash) by index. */
const EDGE_STYLE: Record<EdgeState, string> = {
  active: 'stroke:#2e7d32,stroke-width:2px',
  requested: 'stroke:#ef6c00,stroke-width:2px,stroke-dasharray:6 4',
  planned: 'stroke:#757575,stroke-width:2px,stroke-dasharray:2 4',
  rejected: 'stroke:#c62828,stroke-width:1px,stroke-dasharray:1 3',
  failed: 'stroke:#c62828,stroke-width:1px,stroke-dasharray:1 3',
  expired: 'stroke:#9e9e9e,stroke-width:1px,stroke-dasharray:1 3',
  deleted: 'stroke:#9e9e9e,stroke-width:1px,stroke-dasharray:1 3',
};

/** Links peerkeeper does not own: grey, dotted, whatever their state. */
const UNMANAGED_STYLE = 'stroke:#78909c,stroke-width:1.5px,stroke-dasharray:2 2';

/** Mermaid labels are quoted; quotes and angle brackets become entities. */
function label(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

/**
 * The lines of an edge's label: state and connection (or `unmanaged`: peerkeeper leaves it alone), then what the
 * plan would do, then an open approval.
 */
export function edgeLabelLines(edge: TopologyEdge): string[] {
  const lines = [
    [
      edge.attachment ? 'attachment' : undefined,
      edge.state,
      edge.connection ?? (edge.managed ? undefined : 'unmanaged'),
    ]
      .filter(Boolean)
      .join(' · '),
  ];
  if (edge.drift.length > 0) lines.push(`drift: ${edge.drift.join(', ')}`);
  if (edge.pendingApproval) lines.push('approval pending');
  return lines;
}

/** The label on an edge, on one line. */
export function edgeLabel(edge: TopologyEdge): string {
  return edgeLabelLines(edge).join(' · ');
}

/**
 * The topology as a Mermaid flowchart: one subgraph per cloud, one per account inside it, a node per network
 * (name and CIDRs), an edge per peering labelled with its state. Classes `drift` and `pending` mark networks
 * with route drift and peerings waiting for a human; edge colours follow the state.
 */
export function renderMermaid(topology: Topology): string {
  const ids = new Map<string, string>();
  let n = 0;
  for (const account of topology.accounts) for (const node of account.nodes) ids.set(node.key, `n${n++}`);
  const lines = ['flowchart LR'];
  const clouds = [...new Set(topology.accounts.map((a) => a.cloud))];
  let s = 0;
  for (const cloud of clouds) {
    lines.push(`  subgraph c_${cloud}["${CLOUD_TITLE[cloud]}"]`);
    for (const account of topology.accounts.filter((a) => a.cloud === cloud)) {
      lines.push(
        `    subgraph a${s++}["${label(account.name ? `${account.name} (${account.account})` : account.account)}"]`,
      );
      for (const node of account.nodes) {
        const drift = node.routeDrift > 0 ? `<br/>route drift: ${node.routeDrift}` : '';
        const external = node.external ? '<br/>external: not observed' : '';
        const text = `${node.hub ? 'transit hub<br/>' : ''}${label(node.label)}<br/>${label(node.cidrs.join(', ') || node.region)}${external}${drift}`;
        // A transit hub is a hexagon: spokes attach to it, they do not peer with it.
        lines.push(node.hub ? `      ${ids.get(node.key)}{{"${text}"}}` : `      ${ids.get(node.key)}["${text}"]`);
      }
      lines.push('    end');
    }
    lines.push('  end');
  }
  // Unmanaged links are dotted (-.-), so they read as "not ours" even without colour.
  topology.edges.forEach((edge) => {
    lines.push(
      `  ${ids.get(edge.from)} ${edge.managed ? '---' : '-.-'}|"${label(edgeLabel(edge))}"| ${ids.get(edge.to)}`,
    );
  });
  topology.edges.forEach((edge, i) => {
    const drifted = edge.drift.length > 0 || edge.pendingApproval;
    const style = edge.managed ? EDGE_STYLE[edge.state] : UNMANAGED_STYLE;
    lines.push(`  linkStyle ${i} ${style}${drifted ? ',stroke:#d500f9' : ''}`);
  });
  lines.push('  classDef network fill:#ffffff,stroke:#455a64,color:#263238');
  lines.push('  classDef drift fill:#ffebee,stroke:#c62828,stroke-width:3px,color:#b71c1c');
  lines.push('  classDef pending fill:#f3e5f5,stroke:#8e24aa,stroke-width:3px,color:#4a148c');
  lines.push('  classDef external fill:#fafafa,stroke:#9e9e9e,stroke-dasharray:4 3,color:#616161');
  const all = [...ids.values()];
  if (all.length > 0) lines.push(`  class ${all.join(',')} network`);
  const external = topology.accounts
    .flatMap((a) => a.nodes)
    .filter((node) => node.external)
    .map((node) => ids.get(node.key)!);
  if (external.length > 0) lines.push(`  class ${external.join(',')} external`);
  const drifted = topology.accounts
    .flatMap((a) => a.nodes)
    .filter((node) => node.routeDrift > 0)
    .map((node) => ids.get(node.key)!);
  if (drifted.length > 0) lines.push(`  class ${drifted.join(',')} drift`);
  const pending = [...new Set(topology.edges.filter((e) => e.pendingApproval).flatMap((e) => [e.from, e.to]))].map(
    (k) => ids.get(k)!,
  );
  if (pending.length > 0) lines.push(`  class ${pending.join(',')} pending`);
  return lines.join('\n') + '\n';
}
