import type { ActionOf, AttachmentRouting } from '../../model';
import type { ApplyContext, ApplyOutcome } from '../port';
import type { ComputeClient } from './client';
import { nccMutate } from './nccClient';
import { hubNameOf, shortName, type NccSpokeJson } from './nccModel';

/** What of a spoke's routing NCC keeps: its group and its export filters (NCC has no propagations). */
interface SpokeRouting {
  group: string | undefined;
  propagations: string[];
  exclude: string[];
  include: string[];
}

const sorted = (list: readonly string[] | undefined): string[] => [...(list ?? [])].sort();
const same = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

function fromModel(r: AttachmentRouting): SpokeRouting {
  return {
    group: r.association,
    propagations: sorted(r.propagations),
    exclude: sorted(r.exportFilters?.exclude),
    include: sorted(r.exportFilters?.include),
  };
}

function fromSpoke(s: NccSpokeJson): SpokeRouting {
  return {
    group: s.group ? shortName(s.group) : undefined,
    propagations: [],
    exclude: sorted(s.linkedVpcNetwork?.excludeExportRanges),
    include: sorted(s.linkedVpcNetwork?.includeExportRanges),
  };
}

/** True when the spoke routes exactly as a plan's `before` said (a stale plan is not applied). */
const sameRouting = (a: SpokeRouting, b: SpokeRouting): boolean =>
  a.group === b.group &&
  same(a.propagations, b.propagations) &&
  same(a.exclude, b.exclude) &&
  same(a.include, b.include);

/** The update-mask paths that differ; a group left undeclared (`undefined`) is not changed. */
function changedFields(current: SpokeRouting, wanted: SpokeRouting): string[] {
  return [
    ...(wanted.group !== undefined && wanted.group !== current.group ? ['group'] : []),
    ...(same(current.exclude, wanted.exclude) ? [] : ['linkedVpcNetwork.excludeExportRanges']),
    ...(same(current.include, wanted.include) ? [] : ['linkedVpcNetwork.includeExportRanges']),
  ];
}

/**
 * update-attachment: patches the spoke's group and export filters (spokes.patch with an update mask; the discovery
 * document marks `group` optional, not immutable, so a spoke moves between groups in place). The spoke is re-read
 * first: already as wanted → converged; neither as planned nor as wanted → skipped (the plan is stale).
 */
export async function updateSpokeRouting(
  client: ComputeClient,
  action: ActionOf<'update-attachment'>,
  ctx: ApplyContext,
  spoke: NccSpokeJson | undefined,
): Promise<ApplyOutcome> {
  if (!spoke) return { status: 'skipped', detail: `no spoke of ${action.target.network.id} to update` };
  const current = fromSpoke(spoke);
  const wanted = fromModel(action.after);
  if (wanted.propagations.length > 0)
    return { status: 'skipped', detail: 'NCC spokes have no propagations: only the group and export filters route' };
  const fields = changedFields(current, wanted);
  if (fields.length === 0) return { status: 'converged', detail: `spoke ${spoke.name} already routes as declared` };
  if (!sameRouting(current, fromModel(action.before)))
    return {
      status: 'skipped',
      detail: `spoke ${spoke.name} changed since the plan (group ${current.group ?? '(none)'}): re-plan`,
    };
  if (spoke.state !== 'ACTIVE' && spoke.state !== 'INACTIVE')
    return { status: 'skipped', detail: `spoke ${spoke.name} is ${spoke.state}: update it later` };
  const hub = hubNameOf(action.target.hub);
  const filters = fields.some((f) => f.startsWith('linkedVpcNetwork.'));
  const body = {
    ...(fields.includes('group') ? { group: `${hub}/groups/${wanted.group}` } : {}),
    ...(filters
      ? {
          linkedVpcNetwork: {
            uri: spoke.linkedVpcNetwork?.uri ?? '',
            excludeExportRanges: wanted.exclude,
            includeExportRanges: wanted.include,
          },
        }
      : {}),
  };
  await nccMutate(
    client,
    'PATCH',
    `${spoke.name}?updateMask=${encodeURIComponent(fields.join(','))}`,
    body,
    ctx.deadline,
  );
  return { status: 'done', detail: `updated ${fields.join(', ')} of spoke ${spoke.name}` };
}
