import type { PathIssue } from './issues';
import type { Policy } from './schema';

/**
 * Checks of transit hubs and `via: transit` connections (issue 17). Errors: a transit connection naming no declared
 * hub, spokes of another cloud than the hub, a hub named like a group, reaches into unknown groups or into the hub's
 * own cloud, a TGW id that is not one. Warnings: transit-only fields on peering connections, fields a hub's cloud
 * ignores. Returns the groups the reaches use.
 */
export function transitIssues(policy: Policy): { errors: PathIssue[]; warnings: PathIssue[]; used: Set<string> } {
  const errors: PathIssue[] = [];
  const warnings: PathIssue[] = [];
  const used = new Set<string>();
  const hubs = policy.transitHubs;
  for (const [name, hub] of Object.entries(hubs)) {
    const at = ['transitHubs', name];
    if (policy.groups[name] !== undefined)
      errors.push({ path: at, message: `transit hub "${name}" has the name of a group: give it another name` });
    if (hub.cloud === 'aws' && !/^tgw-[0-9a-f]+$/.test(hub.id))
      errors.push({ path: [...at, 'id'], message: `"${hub.id}" is not a Transit Gateway id (tgw-…)` });
    if (hub.cloud === 'gcp' && hub.region !== 'global')
      errors.push({ path: [...at, 'region'], message: 'NCC hubs are global: region must be "global"' });
    if ((hub.cloud === 'aws' || hub.cloud === 'azure') && hub.region === 'global')
      errors.push({ path: [...at, 'region'], message: `a ${hub.cloud} hub needs its region (location)` });
    if (hub.cloud === 'gcp' && hub.propagate !== undefined)
      warnings.push({ path: [...at, 'propagate'], message: 'NCC has no propagation: ignored' });
    if (hub.cloud !== 'azure' && hub.labels !== undefined)
      warnings.push({ path: [...at, 'labels'], message: 'labels apply to Virtual WAN hubs only: ignored' });
    hub.reaches.forEach((reach, j) => {
      reach.groups.forEach((g, k) => {
        used.add(g);
        const group = policy.groups[g];
        const path = [...at, 'reaches', j, 'groups', k];
        if (!group) errors.push({ path, message: `unknown group "${g}"` });
        else if (group.cloud === hub.cloud)
          errors.push({ path, message: `group "${g}" is in the hub's own cloud: reaches name other clouds' groups` });
      });
      if (reach.via !== undefined && hubs[reach.via] === undefined)
        errors.push({ path: [...at, 'reaches', j, 'via'], message: `unknown transit hub "${reach.via}"` });
    });
  }
  policy.connections.forEach((c, i) => {
    const at = ['connections', i];
    const transit = c.topology === 'hub-spoke' && c.via === 'transit';
    if (!transit) {
      if (c.topology === 'hub-spoke' && c.attachment !== undefined)
        warnings.push({ path: [...at, 'attachment'], message: 'attachment applies to via: transit only: ignored' });
      if (c.routes.destinations !== undefined)
        warnings.push({ path: [...at, 'routes', 'destinations'], message: 'destinations apply to via: transit only' });
      return;
    }
    const hub = hubs[c.hub];
    if (!hub) {
      const known = Object.keys(hubs);
      errors.push({
        path: [...at, 'hub'],
        message: `unknown transit hub "${c.hub}"${known.length ? ` (transitHubs: ${known.join(', ')})` : ' (transitHubs is empty)'}`,
      });
      return;
    }
    const spokes = policy.groups[c.spokes];
    if (spokes && spokes.cloud !== hub.cloud)
      errors.push({
        path: [...at, 'spokes'],
        message: `spokes "${c.spokes}" are ${spokes.cloud} networks but transit hub "${c.hub}" is in ${hub.cloud}: attach other clouds through reaches`,
      });
    if (hub.cloud !== 'aws' && c.routes.destinations !== undefined)
      warnings.push({
        path: [...at, 'routes', 'destinations'],
        message: `${hub.cloud} hubs program their spokes' routes themselves: destinations are ignored`,
      });
  });
  return { errors, warnings, used };
}
