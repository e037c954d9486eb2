import type { Account, Cloud, OrganizationUnit } from '../model';
import type { Group, Policy } from './schema';

/** AWS root and OU ids as Organizations spells them (`r-` + 4–32, `ou-` + 4–32 + `-` + 8–32); anything else is a path. */
const AWS_CONTAINER_ID = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;

/** The containers a group (or a whole policy) selects, as discovery walks them and matching compares them. */
export interface ContainerSelection {
  /** AWS root / OU ids, Azure management group names (lowercased), GCP `folders/N` and `organizations/N`. */
  ids: string[];
  /** AWS only: OU paths by name below the root, without leading or trailing slashes (`Workloads/Prod`). */
  paths: string[];
}

function list(value: string | readonly string[] | undefined): readonly string[] {
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}

/** An AWS OU path as compared: no leading/trailing slash, no empty segments. */
export function normalizeOuPath(path: string): string {
  return path
    .split('/')
    .filter((s) => s !== '')
    .join('/');
}

/** A management group as compared: the name, lowercased (ARM names are case-insensitive), from a name or a full id. */
export function normalizeManagementGroup(value: string): string {
  return (
    value
      .split('/')
      .filter((s) => s !== '')
      .at(-1) ?? value
  ).toLowerCase();
}

/** A GCP folder or organization as compared: `folders/N` / `organizations/N`, from either spelling. */
export function normalizeGcpContainer(kind: 'folders' | 'organizations', value: string): string {
  return value.startsWith(`${kind}/`) ? value : `${kind}/${value}`;
}

/** True when a group selects by organization structure (OU, management group, folder or organization). */
export function selectsByOrganization(group: Group): boolean {
  return (
    group.organizationalUnit !== undefined ||
    group.managementGroup !== undefined ||
    group.folder !== undefined ||
    group.organization !== undefined
  );
}

/** The containers one group selects in its own cloud (fields of other clouds are ignored; semantics warns about them). */
export function groupContainers(group: Group): ContainerSelection {
  switch (group.cloud) {
    case 'aws': {
      const values = list(group.organizationalUnit);
      return {
        ids: values.filter((v) => AWS_CONTAINER_ID.test(v)),
        paths: values.filter((v) => !AWS_CONTAINER_ID.test(v)).map(normalizeOuPath),
      };
    }
    case 'azure':
      return { ids: list(group.managementGroup).map(normalizeManagementGroup), paths: [] };
    case 'gcp':
      return {
        ids: [
          ...list(group.folder).map((f) => normalizeGcpContainer('folders', f)),
          ...(group.organization ? [normalizeGcpContainer('organizations', group.organization)] : []),
        ],
        paths: [],
      };
  }
}

/** Every OU path an AWS account sits in, nearest last: [Workloads, Workloads/Prod] for root → Workloads → Prod. */
function ouPaths(ancestors: readonly OrganizationUnit[]): string[] {
  const names = ancestors.filter((a) => !a.id.startsWith('r-')).map((a) => a.name ?? a.id);
  return names.map((_, i) => names.slice(0, i + 1).join('/'));
}

/**
 * True when the account lies under what the group selects by organization structure; true for a group that
 * selects by none. An account whose place was not discovered (`ancestors` absent) never matches such a group:
 * membership is proven, never assumed. GCP `folder` and `organization` both narrow (each must hold).
 */
export function accountInContainers(group: Group, account: Account | undefined): boolean {
  if (!selectsByOrganization(group)) return true;
  const ancestors = account?.ancestors;
  if (ancestors === undefined) return false;
  const ids = new Set(ancestors.map((a) => (group.cloud === 'azure' ? normalizeManagementGroup(a.id) : a.id)));
  switch (group.cloud) {
    case 'aws': {
      const { ids: wanted, paths } = groupContainers(group);
      const own = ouPaths(ancestors);
      return wanted.some((id) => ids.has(id)) || paths.some((p) => own.includes(p));
    }
    case 'azure':
      return list(group.managementGroup).some((mg) => ids.has(normalizeManagementGroup(mg)));
    case 'gcp': {
      const folderOk =
        group.folder === undefined || list(group.folder).some((f) => ids.has(normalizeGcpContainer('folders', f)));
      const orgOk =
        group.organization === undefined || ids.has(normalizeGcpContainer('organizations', group.organization));
      return folderOk && orgOk;
    }
  }
}

/** What discovery must walk for a cloud: the union of every group's containers (empty = no group selects by structure). */
export function organizationSelection(policy: Policy, cloud: Cloud): ContainerSelection {
  const ids = new Set<string>();
  const paths = new Set<string>();
  for (const group of Object.values(policy.groups)) {
    if (group.cloud !== cloud) continue;
    const c = groupContainers(group);
    c.ids.forEach((id) => ids.add(id));
    c.paths.forEach((p) => paths.add(p));
  }
  return { ids: [...ids].sort(), paths: [...paths].sort() };
}

/** The container an account's ancestry names, as a group compares it: for display in `validate --provider`. */
export function describeAncestry(cloud: Cloud, ancestors: readonly OrganizationUnit[]): string {
  if (cloud === 'aws')
    return `/${ouPaths(ancestors).at(-1) ?? ''} (${ancestors.at(-1)?.id ?? 'outside the organization'})`;
  return ancestors.map((a) => a.id).join(' › ');
}
