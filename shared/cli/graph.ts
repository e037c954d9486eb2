import { writeFileSync } from 'node:fs';
import { buildTopology, renderHtml, renderMermaid } from '../graph';
import { reconcileScope } from '../reconcile';
import { CliError } from './io';
import type { CliOutput } from './output';
import { openProviders } from './providers';

/** Options of `peerkeeper graph`. */
export interface GraphArgs {
  policy: string;
  estate?: string;
  provider?: string;
  stateDir?: string;
  format?: string;
  out?: string;
  now?: string;
}

/**
 * `peerkeeper graph`: observes (read-only), plans, and draws the topology — networks by cloud and account,
 * peerings with their state, drift (what the plan would change) and open approvals highlighted — as Mermaid
 * (default) or a self-contained HTML page with an SVG. Writes to --out, else stdout. Exit 0.
 */
export async function graphCommand(args: GraphArgs, io: CliOutput): Promise<number> {
  const format = args.format ?? (args.out?.endsWith('.html') ? 'html' : 'mermaid');
  if (format !== 'mermaid' && format !== 'html') throw new CliError(`--format ${format}: expected mermaid or html`);
  const selection = await openProviders(args, io);
  const now = selection.now;
  const result = await reconcileScope(
    { kind: 'estate' },
    {
      policy: selection.policy,
      providers: selection.providers,
      mode: 'observe',
      now: () => now,
      ...(selection.approvals ? { approvals: selection.approvals } : {}),
    },
  );
  const approvals = selection.approvals
    ? await selection.approvals.states(result.observation.peerings)
    : new Map<string, string>();
  await selection.close();
  const topology = buildTopology({ observation: result.observation, plan: result.plan, approvals });
  const text = format === 'html' ? renderHtml(topology) : renderMermaid(topology);
  if (args.out) {
    writeFileSync(args.out, text);
    io.err(
      `Wrote ${format} topology to ${args.out}: ${topology.edges.length} peering(s), ${topology.changes} change(s) pending.\n`,
    );
  } else io.out(text);
  return 0;
}
