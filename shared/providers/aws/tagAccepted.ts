import { CreateTagsCommand } from '@aws-sdk/client-ec2';
import type { ApplyContext } from '../port';
import type { AwsConnections } from './connect';
import { awsErrorCode } from './errors';
import type { AwsOperation } from './permissions';

/**
 * Puts peerkeeper's tags on the deciding account's view of a link it accepted (EC2 shows a resource's tags only to
 * the account that set them): the accepter of a peering, the owner of a Transit Gateway for an attachment. Later
 * reconciles from that account then know the link is ours without reading the other one. Best effort: the accept
 * stands either way; returns what to say when tagging failed.
 */
export async function tagAcceptedView(
  conn: AwsConnections,
  where: { account: string; region: string },
  operation: AwsOperation,
  id: string,
  tags: Readonly<Record<string, string>> | undefined,
  ctx: ApplyContext,
  whose: string,
): Promise<string | undefined> {
  const entries = Object.entries(tags ?? {});
  if (entries.length === 0) return undefined;
  try {
    await conn.call(
      where,
      operation,
      (c) => c.send(new CreateTagsCommand({ Resources: [id], Tags: entries.map(([Key, Value]) => ({ Key, Value })) })),
      { deadline: ctx.deadline },
    );
    return undefined;
  } catch (error) {
    return `accepted; tagging ${whose} failed (${awsErrorCode(error)})`;
  }
}
