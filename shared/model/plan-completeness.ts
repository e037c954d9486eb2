import type { Cloud } from './network';
import type { Problem } from './plan';

/** One partition's completeness as a plan reports it (`plan.partitions`). */
interface PartitionLike {
  cloud: Cloud;
  account: string;
  region?: string | undefined;
  complete: boolean;
  reasons: readonly string[];
}

/** What a gate needs from a plan to judge it: the flag, the per-partition list when present, else the gap lines. */
export interface CompletenessView {
  complete: boolean;
  partitions?: readonly PartitionLike[];
  problems: readonly Problem[];
}

/** A partition the observation could not read, and why (AccessDenied, throttled, truncated…). */
export interface UnreadPartitionSummary {
  /** `cloud:account[:region]`, as the gap lines and held actions spell partitions. */
  name: string;
  reasons: string[];
}

/** The problem code the planner gives each gap line of an incomplete observation. */
const GAP_CODE = 'incomplete-observation';

/**
 * The partitions a plan could not read, each once with every reason. Uses the structured `plan.partitions`
 * when the planner filled it; a plan without it (an older planner, or a snapshot's bare gaps) is read from
 * its gap lines, which start with the partition (`aws:111111111111:us-east-1: DescribeVpcs failed …`).
 * Empty for a complete plan.
 */
export function unreadPartitions(plan: CompletenessView): UnreadPartitionSummary[] {
  if (plan.complete) return [];
  const byName = new Map<string, string[]>();
  const add = (name: string, reasons: readonly string[]) => {
    const known = byName.get(name) ?? [];
    for (const r of reasons) if (!known.includes(r)) known.push(r);
    byName.set(name, known);
  };
  const structured = (plan.partitions ?? []).filter((p) => !p.complete);
  if (structured.length > 0) {
    for (const p of structured) add(`${p.cloud}:${p.account}${p.region ? `:${p.region}` : ''}`, p.reasons);
  } else {
    for (const problem of plan.problems) {
      if (problem.code !== GAP_CODE || problem.severity !== 'error') continue;
      const split = problem.message.indexOf(': ');
      if (split > 0) add(problem.message.slice(0, split), [problem.message.slice(split + 2)]);
      else add(problem.message, []);
    }
  }
  return [...byName.entries()].map(([name, reasons]) => ({ name, reasons }));
}

/**
 * The closing line of an incomplete plan: no "No changes" verdict can be drawn from a partial read, and a
 * gate must not read one into it (issue 12: an outage printed "No changes" and exited 0).
 */
export function incompleteVerdict(plan: CompletenessView): string {
  const unread = unreadPartitions(plan).length;
  return `Observation INCOMPLETE: ${unread} partition${unread === 1 ? '' : 's'} unread; no conclusion about ${unread === 1 ? 'it' : 'them'}.`;
}
