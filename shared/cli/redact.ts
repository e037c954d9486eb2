import type { Cloud, Estate } from '../model';
import type { Policy } from '../policy';

/** What a redacted snapshot shows instead of a tag or label value. */
export const REDACTED = 'redacted';

/**
 * `snapshot --redact`: a snapshot that can be shared in a bug report. Account and network display names become
 * `account-1`, `network-1`… and tag and label values become "redacted", except what the policy selects on: the tag
 * and label keys its groups and route-table selectors name, the network names its `name` selectors match, and
 * peerkeeper's own tags (`peerkeeper:*`, `peerkeeper/*`, which mark ownership). So the redacted snapshot plans the
 * same actions as the original. Ids and CIDRs stay: they are what the plan is about.
 */
export function redactEstate(estate: Estate, policy: Policy): Estate {
  const keptKeys = selectedKeys(policy);
  const names = nameSelectors(policy);
  const keepTag = (key: string) => keptKeys.has(key) || /^peerkeeper[:/]/.test(key);
  const selected = (cloud: Cloud, name: string) => names.some((s) => s.cloud === cloud && s.matches(name));
  const redactTags = (cloud: Cloud, tags: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(tags).map(([k, v]) => [k, keepTag(k) || (k === 'Name' && selected(cloud, v)) ? v : REDACTED]),
    );
  const accountNames = pseudonyms('account');
  const networkNames = pseudonyms('network');
  return {
    ...estate,
    accounts: estate.accounts.map((a) => ({
      ...a,
      ...(a.name !== undefined ? { name: accountNames(a.name) } : {}),
      labels: redactTags(a.cloud, a.labels),
    })),
    networks: estate.networks.map((n) => ({
      ...n,
      ...(n.name !== undefined ? { name: selected(n.ref.cloud, n.name) ? n.name : networkNames(n.name) } : {}),
      tags: redactTags(n.ref.cloud, n.tags),
      routeTables: n.routeTables.map((t) => ({ ...t, tags: redactTags(n.ref.cloud, t.tags) })),
    })),
    peerings: estate.peerings.map((p) => ({ ...p, tags: redactTags(p.cloud, p.tags) })),
  };
}

/** Stable stand-ins: the same name always maps to the same `<prefix>-N`, numbered in order of first appearance. */
function pseudonyms(prefix: string): (name: string) => string {
  const seen = new Map<string, string>();
  return (name) => {
    let alias = seen.get(name);
    if (alias === undefined) {
      alias = `${prefix}-${seen.size + 1}`;
      seen.set(name, alias);
    }
    return alias;
  };
}

/** The tag and label keys the policy selects networks, accounts or route tables by. */
function selectedKeys(policy: Policy): Set<string> {
  const keys = new Set<string>();
  for (const g of Object.values(policy.groups))
    for (const k of [...Object.keys(g.tags ?? {}), ...Object.keys(g.accountLabels ?? {})]) keys.add(k);
  for (const c of policy.connections)
    if (typeof c.routes.tables === 'object') for (const k of Object.keys(c.routes.tables.tags)) keys.add(k);
  return keys;
}

/** Matchers for the groups' `name` selectors, per cloud (a trailing * matches a prefix). */
function nameSelectors(policy: Policy): { cloud: Cloud; matches: (name: string) => boolean }[] {
  return Object.values(policy.groups).flatMap((g) =>
    (g.name === undefined ? [] : Array.isArray(g.name) ? g.name : [g.name]).map((p) => ({
      cloud: g.cloud,
      matches: p.endsWith('*') ? (name: string) => name.startsWith(p.slice(0, -1)) : (name: string) => name === p,
    })),
  );
}
