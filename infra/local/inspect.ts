import type { LocalCloud } from './cloud';
import type { ChatMessage } from './chat/workspace';

/** Reading the emulators' state directly: what the narration reports and the tests assert (never used to act). */

/** The newest live (not deleted/rejected) AWS peering between two VPCs, either direction. */
export function awsPeering(cloud: LocalCloud, a: string, b: string): { id: string; status: string } | undefined {
  const live = [...cloud.aws.state.peerings.values()].filter(
    (p) =>
      ((p.requester.vpcId === a && p.accepter.vpcId === b) || (p.requester.vpcId === b && p.accepter.vpcId === a)) &&
      !['deleted', 'deleting', 'rejected', 'failed', 'expired'].includes(p.status),
  );
  const last = live[live.length - 1];
  return last ? { id: last.id, status: last.status } : undefined;
}

/** The route for `destination` in a route table, if any. */
export function awsRoute(
  cloud: LocalCloud,
  routeTableId: string,
  destination: string,
): { vpcPeeringConnectionId?: string; gatewayId?: string } | undefined {
  return cloud.aws.state.routeTables.get(routeTableId)?.routes.find((r) => r.destination === destination);
}

/** The chat message that mentions `text` (a peering id), if it was posted. */
export function findMessage(cloud: LocalCloud, text: string): ChatMessage | undefined {
  return cloud.workspace.messages.find((m) => m.text.includes(text) || JSON.stringify(m.blocks).includes(text));
}

/** Polls `check` every 25 ms until it is true; fails after `timeoutMs` naming what it waited for. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
