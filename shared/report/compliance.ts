import type { AuditEntry } from '../stores/ports';
import { rejectionClass } from './rejections';

/** Percentiles of a set of durations, in milliseconds; undefined when there are none. */
export interface Latency {
  count: number;
  p50Ms?: number;
  p95Ms?: number;
}

/** One day of activity (UTC), for the charts. */
export interface DayCounts {
  day: string;
  accepted: number;
  rejected: number;
  reverted: number;
  created: number;
  held: number;
  failed: number;
  /** The last conformance tally of that day, if a sweep ran. */
  converged?: number;
  desired?: number;
}

/** What `peerkeeper report` computes from the audit log of one window. Plain data: rendered as Markdown, JSON or HTML. */
export interface ComplianceReport {
  window: { since: string; until: string };
  entries: number;
  clouds: string[];
  /** The last sweep's tally in the window. */
  conformance?: {
    at: string;
    complete: boolean;
    desired: number;
    converged: number;
    pending: number;
    held: number;
    refused: number;
  };
  drift: {
    found: number;
    reverted: number;
    timeToRevert: Latency;
    byKind: { kind: string; found: number; reverted: number; timeToRevert: Latency }[];
  };
  approvals: {
    requested: number;
    approved: number;
    rejected: number;
    expired: number;
    open: number;
    latency: Latency;
    /** The newest decisions first, at most 50 (the JSON has the counts of all). */
    decisions: {
      subject: string;
      requestedAt?: string;
      decidedAt: string;
      by: string;
      outcome: string;
      latencyMs?: number;
    }[];
  };
  rejections: { reason: string; count: number }[];
  unmanagedPeerings: { subject: string; cloud?: string; firstSeen: string; lastSeen: string; reason: string }[];
  unreadablePartitions: {
    partition: string;
    times: number;
    consecutive: number;
    firstSeen: string;
    lastSeen: string;
    lastReason: string;
  }[];
  failures: number;
  days: DayCounts[];
}

const DAY_MS = 86_400_000;
const DECISIONS_SHOWN = 50;
const APPROVAL_STATUS = /-(pending|approved|rejected|expired|superseded)$/;

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** p50/p95 of durations. */
export function latencyOf(values: number[]): Latency {
  if (values.length === 0) return { count: 0 };
  const sorted = Float64Array.from(values).sort();
  return { count: values.length, p50Ms: percentile(Array.from(sorted), 50), p95Ms: percentile(Array.from(sorted), 95) };
}

function emptyDay(day: string): DayCounts {
  return { day, accepted: 0, rejected: 0, reverted: 0, created: 0, held: 0, failed: 0 };
}

/**
 * Compliance over a window from audit entries in time order (as every AuditLog lists them). One pass over
 * the entries plus sorting the durations: 100k entries take well under 2 s (see `npm run bench`).
 * `since` and `until` bound the window; entries outside it are ignored, so a caller may pass a superset.
 */
export function buildReport(entries: readonly AuditEntry[], window: { since: Date; until: Date }): ComplianceReport {
  const since = window.since.toISOString();
  const until = window.until.toISOString();
  const days = new Map<string, DayCounts>();
  for (let t = Date.parse(since.slice(0, 10)); t <= window.until.getTime(); t += DAY_MS)
    days.set(new Date(t).toISOString().slice(0, 10), emptyDay(new Date(t).toISOString().slice(0, 10)));
  const clouds = new Set<string>();
  const driftKinds = new Map<string, { found: number; reverted: number; ms: number[] }>();
  const requested = new Map<string, string>();
  const decisions: ComplianceReport['approvals']['decisions'] = [];
  const approvals = { requested: 0, approved: 0, rejected: 0, expired: 0 };
  const rejections = new Map<string, number>();
  const unmanaged = new Map<string, ComplianceReport['unmanagedPeerings'][number]>();
  const unreadable = new Map<string, ComplianceReport['unreadablePartitions'][number]>();
  const unreadableAt = new Map<string, Set<string>>();
  // When each subject (the estate, or one account) was tallied: the sweeps a partition's streak is counted over.
  const sweepTimes = new Map<string, string[]>();
  // The latest estate tally (CLI, local cloud), else the latest tally of each account (every cloud's sweep) summed.
  const tallies = new Map<string, NonNullable<ComplianceReport['conformance']>>();
  let estateTally: ComplianceReport['conformance'];
  let conformance: ComplianceReport['conformance'];
  let failures = 0;
  let count = 0;
  for (const e of entries) {
    if (e.at < since || e.at > until) continue;
    count++;
    if (e.cloud) clouds.add(e.cloud);
    const dayKey = e.at.slice(0, 10);
    const day = days.get(dayKey) ?? days.set(dayKey, emptyDay(dayKey)).get(dayKey)!;
    if (e.outcome === 'failed') {
      failures++;
      day.failed++;
    }
    if (e.outcome === 'held' || e.outcome === 'deferred') day.held++;
    if (e.kind === 'conformance' && e.counts) {
      (sweepTimes.get(e.subject) ?? sweepTimes.set(e.subject, []).get(e.subject)!).push(e.at);
      const c = e.counts;
      const tally = {
        at: e.at,
        complete: e.outcome === 'complete',
        desired: c.desired ?? 0,
        converged: c.converged ?? 0,
        pending: c.pending ?? 0,
        held: c.held ?? 0,
        refused: c.refused ?? 0,
      };
      // An estate tally counts every link at once; account tallies add up only across accounts, so the estate's
      // wins when a window has both (a deployment's sweeps tally accounts; the CLI and the local cloud, the estate).
      if (e.subject === 'estate') estateTally = tally;
      else tallies.set(e.subject, tally);
      conformance = estateTally ?? sumTallies(tallies);
      day.converged = conformance.converged;
      day.desired = conformance.desired;
      continue;
    }
    if (e.kind === 'unreadable-partition') {
      const u = unreadable.get(e.subject);
      unreadable.set(e.subject, {
        partition: e.subject,
        times: (u?.times ?? 0) + 1,
        consecutive: 0,
        firstSeen: u?.firstSeen ?? e.at,
        lastSeen: e.at,
        lastReason: e.reason,
      });
      (unreadableAt.get(e.subject) ?? unreadableAt.set(e.subject, new Set()).get(e.subject)!).add(e.at);
      continue;
    }
    if (e.kind === 'unmanaged-peering') {
      const key = `${e.cloud ?? ''}:${e.subject}`;
      const u = unmanaged.get(key);
      unmanaged.set(key, {
        subject: e.subject,
        ...(e.cloud ? { cloud: e.cloud } : {}),
        firstSeen: u?.firstSeen ?? e.at,
        lastSeen: e.at,
        reason: e.reason,
      });
      continue;
    }
    if (e.kind !== undefined && e.kind.endsWith('-drift')) {
      const k = driftKinds.get(e.kind) ?? driftKinds.set(e.kind, { found: 0, reverted: 0, ms: [] }).get(e.kind)!;
      k.found++;
      if (e.outcome === 'done') {
        k.reverted++;
        day.reverted++;
        if (e.detectedAt) k.ms.push(Math.max(0, Date.parse(e.at) - Date.parse(e.detectedAt)));
      }
    }
    switch (e.action) {
      case 'accept-peering':
        if (e.outcome === 'done') day.accepted++;
        break;
      case 'create-peering':
      case 'create-route':
        if (e.outcome === 'done') day.created++;
        break;
      case 'reject-peering':
        if (e.outcome === 'done') {
          day.rejected++;
          bump(rejections, rejectionClass(e.reason));
        }
        break;
      case 'request-approval': {
        if (!APPROVAL_STATUS.test(e.id)) break; // the reconcile's own request-approval entry, not the approval record's
        approvals.requested++;
        requested.set(e.id.replace(APPROVAL_STATUS, ''), e.at);
        break;
      }
      case 'approve':
      case 'reject':
      case 'expire': {
        if (e.outcome === 'refused') {
          bump(rejections, `decision refused: ${e.reason}`);
          break;
        }
        const id = e.id.replace(APPROVAL_STATUS, '');
        const at = requested.get(id);
        const outcome = e.outcome === 'approved' ? 'approved' : e.outcome === 'rejected' ? 'rejected' : 'expired';
        approvals[outcome]++;
        if (outcome === 'rejected') bump(rejections, 'rejected by an approver');
        decisions.push({
          subject: e.subject,
          ...(at ? { requestedAt: at } : {}),
          decidedAt: e.at,
          by: e.actor,
          outcome,
          ...(at ? { latencyMs: Date.parse(e.at) - Date.parse(at) } : {}),
        });
        requested.delete(id);
        break;
      }
      default:
        break;
    }
  }
  for (const u of unreadable.values())
    u.consecutive = trailingSweeps(
      sweepTimes.get(u.partition) ?? sweepTimes.get('estate') ?? [],
      unreadableAt.get(u.partition)!,
    );
  const allDrift = [...driftKinds.values()];
  const decided = decisions
    .filter((d) => d.outcome !== 'expired' && d.latencyMs !== undefined)
    .map((d) => d.latencyMs!);
  return {
    window: { since, until },
    entries: count,
    clouds: [...clouds].sort(),
    ...(conformance ? { conformance } : {}),
    drift: {
      found: allDrift.reduce((n, k) => n + k.found, 0),
      reverted: allDrift.reduce((n, k) => n + k.reverted, 0),
      timeToRevert: latencyOf(allDrift.flatMap((k) => k.ms)),
      byKind: [...driftKinds.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([kind, k]) => ({ kind, found: k.found, reverted: k.reverted, timeToRevert: latencyOf(k.ms) })),
    },
    approvals: {
      ...approvals,
      open: requested.size,
      latency: latencyOf(decided),
      decisions: decisions.slice(-DECISIONS_SHOWN).reverse(),
    },
    rejections: [...rejections.entries()]
      .map(([reason, n]) => ({ reason, count: n }))
      .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1)),
    unmanagedPeerings: [...unmanaged.values()],
    unreadablePartitions: [...unreadable.values()].sort(
      (a, b) => b.consecutive - a.consecutive || (a.partition < b.partition ? -1 : 1),
    ),
    failures,
    days: [...days.values()]
      .filter((d) => d.day >= since.slice(0, 10) && d.day <= until.slice(0, 10))
      .sort((a, b) => (a.day < b.day ? -1 : 1)),
  };
}

/** The estate's conformance from the latest tally of each subject: counts add up, complete only if every tally was. */
function sumTallies(
  tallies: ReadonlyMap<string, NonNullable<ComplianceReport['conformance']>>,
): NonNullable<ComplianceReport['conformance']> {
  const out = { at: '', complete: true, desired: 0, converged: 0, pending: 0, held: 0, refused: 0 };
  for (const t of tallies.values()) {
    out.at = t.at > out.at ? t.at : out.at;
    out.complete &&= t.complete;
    out.desired += t.desired;
    out.converged += t.converged;
    out.pending += t.pending;
    out.held += t.held;
    out.refused += t.refused;
  }
  return out;
}

/**
 * How many of the latest sweeps in a row found the partition unreadable: the partition's own sweeps (its account
 * tally), else the estate's. A sweep writes its unreadable entries at the same instant as its tally. Without
 * sweeps in the window, every failure counts.
 */
function trailingSweeps(sweepTimes: readonly string[], failedAt: ReadonlySet<string>): number {
  if (sweepTimes.length === 0) return failedAt.size;
  let n = 0;
  for (let i = sweepTimes.length - 1; i >= 0 && failedAt.has(sweepTimes[i]!); i--) n++;
  return n;
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
