import { approvalTtlIssues, nextHopIssues } from './bounds';
import type { PathIssue } from './issues';
import { transitIssues } from './transit-checks';
import type { Connection, Group, Policy } from './schema';

/** The group pairs a connection peers: hub with spokes, members among themselves, or the pair. */
export function connectedGroupPairs(connection: Connection): { path: PropertyKey[]; pair: [string, string] } {
  switch (connection.topology) {
    case 'hub-spoke':
      return { path: ['hub'], pair: [connection.hub, connection.spokes] };
    case 'mesh':
      return { path: ['members'], pair: [connection.members, connection.members] };
    case 'pair':
      return { path: ['between'], pair: connection.between };
  }
}

function groupRefs(connection: Connection): { path: PropertyKey[]; group: string }[] {
  switch (connection.topology) {
    case 'hub-spoke':
      // With via: transit, `hub` names a transit hub (checked in transit-checks.ts), not a group.
      return connection.via === 'transit'
        ? [{ path: ['spokes'], group: connection.spokes }]
        : [
            { path: ['hub'], group: connection.hub },
            { path: ['spokes'], group: connection.spokes },
          ];
    case 'mesh':
      return [{ path: ['members'], group: connection.members }];
    case 'pair':
      return connection.between.map((group, i) => ({ path: ['between', i], group }));
  }
}

function samePair(a: readonly [string, string], b: readonly [string, string]): boolean {
  return (a[0] === b[0] && a[1] === b[1]) || (a[0] === b[1] && a[1] === b[0]);
}

/** Levenshtein distance, for "did you mean": group names are short, so O(a·b) is nothing. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}

function closest(name: string, known: readonly string[]): string {
  // Two edits catch the usual slips (hubb, spoke for spokes) without suggesting unrelated names.
  const best = known.map((k) => ({ k, d: editDistance(name, k) })).sort((x, y) => x.d - y.d)[0];
  return best !== undefined && best.d <= 2 ? ` (did you mean "${best.k}"?)` : '';
}

/**
 * Checks that need the whole policy. Errors: unknown groups, a group pair both connected and denied,
 * duplicate connection names, a connection across clouds (native peering is single-cloud), chat
 * approval without approvers, an approval ttl outside 1 h … the clouds' request expiry, a next hop that is not
 * an IP address. Warnings: groups nothing uses, group fields a cloud cannot match, an
 * Azure next hop on a non-Azure connection.
 */
export function checkPolicySemantics(policy: Policy): { errors: PathIssue[]; warnings: PathIssue[] } {
  const errors: PathIssue[] = [];
  const warnings: PathIssue[] = [];
  const groups = new Map<string, Group>(Object.entries(policy.groups));
  const known = [...groups.keys()];
  const used = new Set<string>();
  const unknown = (path: PropertyKey[], name: string): void => {
    errors.push({ path, message: `unknown group "${name}"${closest(name, known)}` });
  };

  const firstByName = new Map<string, number>();
  policy.connections.forEach((connection, i) => {
    const at = ['connections', i];
    const earlier = firstByName.get(connection.name);
    if (earlier === undefined) firstByName.set(connection.name, i);
    else
      errors.push({
        path: [...at, 'name'],
        message: `duplicate connection name "${connection.name}" (also connections[${earlier}])`,
      });

    const refs = groupRefs(connection);
    for (const ref of refs) {
      used.add(ref.group);
      if (!groups.has(ref.group)) unknown([...at, ...ref.path], ref.group);
    }
    const clouds = refs.map((r) => ({ ...r, cloud: groups.get(r.group)?.cloud })).filter((r) => r.cloud !== undefined);
    const first = clouds[0];
    const other = clouds.find((r) => r.cloud !== first?.cloud);
    if (first && other) {
      errors.push({
        path: at,
        message: `connection "${connection.name}" joins ${first.cloud} group "${first.group}" with ${other.cloud} group "${other.group}": native peering is single-cloud`,
      });
    }

    const pair = connectedGroupPairs(connection).pair;
    policy.deny.forEach((deny, j) => {
      if (samePair(pair, deny.between)) {
        errors.push({
          path: at,
          message: `connection "${connection.name}" connects groups "${pair[0]}" and "${pair[1]}", which deny[${j}] forbids: ${deny.reason}`,
        });
      }
    });

    if (connection.approval === 'chat' && policy.approvals.approvers.length === 0) {
      errors.push({
        path: [...at, 'approval'],
        message: `connection "${connection.name}" asks for chat approval but approvals.approvers is empty`,
      });
    }
    if (connection.routes.azureNextHop !== undefined && clouds.some((r) => r.cloud !== 'azure')) {
      warnings.push({
        path: [...at, 'routes', 'azureNextHop'],
        message: 'azureNextHop only applies to Azure connections and is ignored here',
      });
    }
  });

  policy.deny.forEach((deny, j) =>
    deny.between.forEach((name, k) => {
      used.add(name);
      if (!groups.has(name)) unknown(['deny', j, 'between', k], name);
    }),
  );

  errors.push(...approvalTtlIssues(policy), ...nextHopIssues(policy));
  const transit = transitIssues(policy);
  errors.push(...transit.errors);
  warnings.push(...transit.warnings);
  for (const g of transit.used) used.add(g);
  if (policy.unmatchedRequests === 'chat' && policy.approvals.approvers.length === 0) {
    errors.push({
      path: ['unmatchedRequests'],
      message: 'unmatchedRequests is "chat" but approvals.approvers is empty: nobody could answer',
    });
  }

  const structureFields = {
    aws: ['organizationalUnit'],
    azure: ['managementGroup'],
    gcp: ['folder', 'organization'],
  } as const;
  for (const [name, group] of groups) {
    for (const [cloud, fields] of Object.entries(structureFields)) {
      for (const field of fields) {
        if (cloud !== group.cloud && group[field] !== undefined)
          errors.push({
            path: ['groups', name, field],
            message: `${field} selects ${cloud} accounts; group "${name}" is a ${group.cloud} group`,
          });
      }
    }
    if (!used.has(name))
      warnings.push({ path: ['groups', name], message: `group "${name}" is used by no connection or deny` });
    if (group.cloud === 'gcp' && [group.region ?? []].flat().some((r) => r !== 'global')) {
      warnings.push({
        path: ['groups', name, 'region'],
        message: 'GCP networks are global: only region "global" can match',
      });
    }
    if (group.cloud === 'gcp' && group.tags !== undefined && Object.keys(group.tags).length > 0) {
      warnings.push({
        path: ['groups', name, 'tags'],
        message: 'GCP networks have no tags or labels: select them by accountLabels, account or name',
      });
    }
  }
  return { errors, warnings };
}
