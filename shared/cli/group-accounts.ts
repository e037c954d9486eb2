import type { Account, Cloud } from '../model';
import { accountInContainers, describeAncestry, type Group, type Policy, selectsByOrganization } from '../policy';
import type { DiscoveredAccount } from '../providers/organization-directory';
import type { PeeringProvider } from '../providers/port';

/** One group's accounts as `validate --provider` shows them. */
export interface GroupAccounts {
  group: string;
  cloud: Cloud;
  /** Accounts the group lists by id. */
  listed: string[];
  /** Accounts discovery placed under the group's OU, management group or folder: governed ones, then the rest with why not. */
  discovered: { account: string; name?: string; place: string; state: string; governed: boolean }[];
  /** The group selects by OU, management group, folder or organization. */
  byStructure: boolean;
  /** A group that selects by neither accounts nor structure: any governed account's networks may match it (tags, names). */
  open: boolean;
}

const listOf = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * Resolves every group of the provider's cloud to accounts, discovering the organization through the live adapter
 * (`partitions` of the estate, so the same calls the sweep makes). A failed discovery throws: it is reported, never
 * shown as an empty organization.
 */
export async function resolveGroupAccounts(
  policy: Policy,
  cloud: Cloud,
  provider: PeeringProvider,
): Promise<GroupAccounts[]> {
  const groups = Object.entries(policy.groups).filter(([, g]) => g.cloud === cloud);
  const anyStructure = groups.some(([, g]) => selectsByOrganization(g));
  if (anyStructure) await provider.partitions?.({ kind: 'estate' });
  const found = provider.discoveredAccounts?.() ?? [];
  return groups.map(([name, group]) => resolveOne(name, group, found));
}

function resolveOne(name: string, group: Group, found: readonly DiscoveredAccount[]): GroupAccounts {
  const listed = listOf(group.account);
  const discovered = !selectsByOrganization(group)
    ? []
    : found
        .filter((d) => {
          const account: Account = { cloud: group.cloud, account: d.account, labels: {}, ancestors: d.ancestors };
          return (
            accountInContainers(group, account) &&
            (listed.length === 0 || listed.some((l) => l.toLowerCase() === d.account.toLowerCase()))
          );
        })
        .map((d) => ({
          account: d.account,
          ...(d.name ? { name: d.name } : {}),
          place: describeAncestry(group.cloud, d.ancestors),
          state: d.state,
          governed: d.active,
        }))
        .sort((a, b) => Number(b.governed) - Number(a.governed) || a.account.localeCompare(b.account));
  const byStructure = selectsByOrganization(group);
  return {
    group: name,
    cloud: group.cloud,
    listed,
    discovered,
    byStructure,
    open: listed.length === 0 && !byStructure,
  };
}

/** The report as text: one block per group, governed accounts first, the others with their state. */
export function renderGroupAccounts(rows: readonly GroupAccounts[]): string {
  const lines: string[] = [];
  for (const row of rows) {
    const governed = row.discovered.filter((d) => d.governed).length;
    const what = row.open
      ? 'any governed account (selected by tags or names)'
      : row.byStructure
        ? `${governed} governed of ${row.discovered.length} discovered account(s)`
        : `${row.listed.length} listed account(s)`;
    lines.push(`  ${row.group} (${row.cloud}): ${what}`);
    if (!row.byStructure) for (const a of row.listed) lines.push(`    ${a}  listed`);
    for (const d of row.discovered)
      lines.push(
        `    ${d.account}${d.name ? ` ${d.name}` : ''}  ${d.place}  ${d.governed ? d.state : `${d.state}, not governed`}`,
      );
  }
  return lines.join('\n');
}
