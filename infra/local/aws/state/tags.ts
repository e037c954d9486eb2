import type { AwsEmulatorState } from './state';
import { transitTagTarget } from './transit-tags';
import { Ec2Error, type Caller, type Tags } from './types';

/** EC2 allows 50 tags per resource (user tags; `aws:` keys are reserved). */
const TAGS_PER_RESOURCE = 50;

/**
 * CreateTags on the resources peerkeeper tags: VPCs the caller owns, peerings and TGW attachments the caller can see. A
 * peering's tags belong to the account that set them (each side tags its own view). Every id is checked
 * before anything changes, as EC2 rejects the whole call for one bad id.
 */
export function createTags(state: AwsEmulatorState, caller: Caller, resourceIds: readonly string[], tags: Tags): void {
  if (resourceIds.length === 0)
    throw new Ec2Error('MissingParameter', 'The request must contain the parameter resourceIdSet');
  const reserved = Object.keys(tags).find((k) => k.toLowerCase().startsWith('aws:'));
  if (reserved)
    throw new Ec2Error(
      'InvalidParameterValue',
      `Tag keys starting with 'aws:' are reserved for internal use: ${reserved}`,
    );
  const targets = resourceIds.map((id): { current: Tags; set: (next: Tags) => void } => {
    if (id.startsWith('pcx-')) {
      const peering = state.visiblePeering(caller, id);
      return { current: peering.tags.get(caller.account) ?? {}, set: (next) => peering.tags.set(caller.account, next) };
    }
    if (id.startsWith('tgw-')) return transitTagTarget(state, caller, id);
    if (id.startsWith('vpc-')) {
      const vpc = state.ownVpc(caller, id);
      return {
        current: vpc.tags,
        set: (next) => {
          vpc.tags = next;
        },
      };
    }
    throw new Ec2Error('InvalidID', `The ID '${id}' is not valid`);
  });
  for (const target of targets) {
    const next = { ...target.current, ...tags };
    if (Object.keys(next).length > TAGS_PER_RESOURCE)
      throw new Ec2Error(
        'TagLimitExceeded',
        `The maximum number of Tags for a resource has been reached (${TAGS_PER_RESOURCE}).`,
      );
  }
  for (const target of targets) target.set({ ...target.current, ...tags });
}
