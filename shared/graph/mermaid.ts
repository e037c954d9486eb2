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

/** Mermaid labels are quoted; quotes and angle brackets become entities. */
function label(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

/** The label on an edge: state, then what the plan would do, then an open approval. */
export function edgeLabel(edge: TopologyEdge): string {
  const parts: string[] = [edge.state];
  if (edge.drift.length > 0) parts.push(`drift: ${edge.drift.join(', ')}`);
  if (edge.pendingApproval) parts.push('approval pending');
  return parts.join(' · ');
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
      lines.push(`    subgraph a${s++}["${label(account.name ? `${account.name} (${account.account})` : account.account)}"]`);
      for (const node of account.nodes) {
        const drift = node.routeDrift > 0 ? `<br/>route drift: ${node.routeDrift}` : '';
        lines.push(`      ${ids.get(node.key)}["${label(node.label)}<br/>${label(node.cidrs.join(', ') || node.region)}${drift}"]`);
      }
      lines.push('    end');
    }
    lines.push('  end');
  }
  topology.edges.forEach((edge) => {
    lines.push(`  ${ids.get(edge.from)} ---|"${label(edgeLabel(edge))}"| ${ids.get(edge.to)}`);
  });
  topology.edges.forEach((edge, i) => {
    const drifted = edge.drift.length > 0 || edge.pendingApproval;
    lines.push(`  linkStyle ${i} ${EDGE_STYLE[edge.state]}${drifted ? ',stroke:#d500f9' : ''}`);
  });
  lines.push('  classDef network fill:#ffffff,stroke:#455a64,color:#263238');
  lines.push('  classDef drift fill:#ffebee,stroke:#c62828,stroke-width:3px,color:#b71c1c');
  lines.push('  classDef pending fill:#f3e5f5,stroke:#8e24aa,stroke-width:3px,color:#4a148c');
  const all = [...ids.values()];
  if (all.length > 0) lines.push(`  class ${all.join(',')} network`);
  const drifted = topology.accounts.flatMap((a) => a.nodes).filter((node) => node.routeDrift > 0).map((node) => ids.get(node.key)!);
  if (drifted.length > 0) lines.push(`  class ${drifted.join(',')} drift`);
  const pending = [...new Set(topology.edges.filter((e) => e.pendingApproval).flatMap((e) => [e.from, e.to]))].map((k) => ids.get(k)!);
  if (pending.length > 0) lines.push(`  class ${pending.join(',')} pending`);
  return lines.join('\n') + '\n';
}
