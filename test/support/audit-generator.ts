import type { AuditEntry } from '../../shared/stores/ports';
import { Prng } from '../chaos/prng';

/**
 * A plausible audit log of `days` days ending at `until`: hourly sweeps with a conformance tally, route and
 * peering drift reverted minutes after it was seen, partner requests approved or rejected in chat, strangers
 * rejected, unmanaged peerings reported, and one partition that turns unreadable for the last few sweeps.
 * Seeded: the same arguments give the same log. In time order, as every AuditLog lists.
 */
export function generateAuditLog(opts: { entries: number; days: number; until: Date; seed?: number }): AuditEntry[] {
  const prng = new Prng(opts.seed ?? 7);
  const random = () => prng.next();
  const end = opts.until.getTime();
  const start = end - opts.days * 86_400_000;
  const out: AuditEntry[] = [];
  const iso = (ms: number) => new Date(Math.round(ms)).toISOString();
  const clouds = ['aws', 'azure', 'gcp'] as const;
  const sweeps = opts.days * 24;
  // One conformance entry per hourly sweep; the rest is activity spread uniformly over the window.
  for (let h = 0; h < sweeps && out.length < opts.entries; h++) {
    const at = start + h * 3_600_000;
    const desired = 120 + Math.floor(h / 24);
    const converged = desired - Math.floor(random() * 6);
    out.push({
      id: `sweep-${h}`,
      at: iso(at),
      actor: 'peerkeeper',
      action: 'sweep',
      subject: 'estate',
      kind: 'conformance',
      reason: `${converged} of ${desired}`,
      outcome: 'complete',
      counts: {
        desired,
        converged,
        pending: desired - converged > 2 ? 2 : 0,
        held: Math.max(0, desired - converged - 2),
        refused: 1,
      },
    });
    // The last 3 sweeps cannot read one spoke account.
    if (h >= sweeps - 3)
      out.push({
        id: `unread-${h}`,
        at: iso(at),
        actor: 'peerkeeper',
        action: 'observe',
        subject: 'aws:333333333333:us-east-1',
        cloud: 'aws',
        kind: 'unreadable-partition',
        reason: 'AccessDenied: sts:AssumeRole',
        outcome: 'unreadable',
      });
  }
  let n = 0;
  while (out.length < opts.entries) {
    n++;
    const at = start + random() * (end - start);
    const cloud = clouds[n % 3]!;
    const roll = random();
    if (roll < 0.45) {
      const kind = random() < 0.8 ? 'route-drift' : 'peering-drift';
      out.push({
        id: `drift-${n}`,
        at: iso(at),
        actor: 'peerkeeper',
        action: kind === 'route-drift' ? 'replace-route' : 'update-peering',
        subject: `${cloud}:rtb-${n % 40}:10.${n % 200}.0.0/16`,
        cloud,
        kind,
        detectedAt: iso(at - (5_000 + random() * 240_000)),
        reason: 'route drift: wanted through the link',
        outcome: random() < 0.97 ? 'done' : 'failed',
      });
    } else if (roll < 0.7) {
      out.push({
        id: `create-${n}`,
        at: iso(at),
        actor: 'peerkeeper',
        action: random() < 0.5 ? 'accept-peering' : 'create-route',
        subject: `${cloud}:pcx-${n}`,
        cloud,
        reason: 'spokes-to-hub: hub-spoke connection allows the spoke',
        outcome: 'done',
      });
    } else if (roll < 0.82) {
      const reason = [
        `request from vpc-${n} (666666666666): account 666666666666 is not listed in the policy`,
        `CIDR overlap: requester 10.0.0.0/16 overlaps accepter 10.0.0.0/16`,
        'denied by policy: spokes talk through the hub',
      ][n % 3]!;
      out.push({
        id: `reject-${n}`,
        at: iso(at),
        actor: 'peerkeeper',
        action: 'reject-peering',
        subject: `aws:pcx-${n}`,
        cloud: 'aws',
        reason,
        outcome: 'done',
      });
    } else if (roll < 0.92 && at + 3_600_000 < end) {
      const waited = 60_000 + random() * 7_200_000;
      out.push({
        id: `apr-${n}-pending`,
        at: iso(at),
        actor: 'peerkeeper',
        action: 'request-approval',
        subject: `aws:pcx-${n}`,
        reason: 'partner-link: pair connection needs human approval',
        outcome: 'pending',
      });
      const approved = random() < 0.8;
      if (at + waited < end)
        out.push({
          id: `apr-${n}-${approved ? 'approved' : 'rejected'}`,
          at: iso(at + waited),
          actor: `slack:U0${n % 4}NETOPS`,
          action: approved ? 'approve' : 'reject',
          subject: `aws:pcx-${n}`,
          reason: approved ? 'approve by an approver' : 'not this quarter',
          outcome: approved ? 'approved' : 'rejected',
        });
    } else {
      out.push({
        id: `unmanaged-${n % 25}-${n}`,
        at: iso(at),
        actor: 'peerkeeper',
        action: 'report',
        subject: `pcx-legacy${n % 25}`,
        cloud,
        kind: 'unmanaged-peering',
        reason: 'unmanaged peering a ⇄ b is not in the policy; left alone',
        outcome: 'reported',
      });
    }
  }
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
