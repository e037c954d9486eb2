import { policyHash } from '../../shared/doctor/checks';
import type { LocalDeploymentFacts } from '../../shared/doctor/local';
import type { Cloud } from '../../shared/model';
import type { LocalCloud } from './cloud';
import { LOCAL_SLACK } from './functions/approvals';

/** The names the local functions read their chat secrets by (the same names serverless.yml defaults to). */
export const LOCAL_SECRET_NAMES = ['/peerkeeper/slack/bot-token', '/peerkeeper/slack/signing-secret'] as const;

/**
 * What `peerkeeper doctor --provider local` checks the local cloud against: its secret store (the local Slack
 * workspace's token and signing secret), the policy its functions load, and the events each cloud's bus delivered.
 */
export function localDeploymentFacts(cloud: Pick<LocalCloud, 'policy' | 'bus'>): LocalDeploymentFacts {
  const delivered: Partial<Record<Cloud, number>> = { aws: 0, azure: 0, gcp: 0 };
  for (const d of cloud.bus.deliveries) delivered[d.cloud] = (delivered[d.cloud] ?? 0) + 1;
  return {
    policySha256: policyHash(cloud.policy),
    secrets: { [LOCAL_SECRET_NAMES[0]]: LOCAL_SLACK.token, [LOCAL_SECRET_NAMES[1]]: LOCAL_SLACK.signingSecret },
    secretNames: [...LOCAL_SECRET_NAMES],
    delivered,
  };
}
