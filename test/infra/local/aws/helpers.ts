import { EC2Client } from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsEmulator } from '../../../../infra/local/aws';

export const HUB = '111111111111';
export const STATIC = { accessKeyId: 'AKIAHUBSTATIC0000000', secretAccessKey: 'local-secret' };

/** An EC2 client of the real SDK pointed at the emulator, as `account` (assumed through STS unless it is the hub). */
export async function ec2As(
  emu: AwsEmulator,
  account: string,
  region: string,
  externalId?: string,
): Promise<EC2Client> {
  if (account === HUB) return new EC2Client({ endpoint: emu.url, region, credentials: STATIC, maxAttempts: 1 });
  const sts = new STSClient({ endpoint: emu.url, region, credentials: STATIC, maxAttempts: 1 });
  const out = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${account}:role/peerkeeper-member`,
      RoleSessionName: 'test',
      ...(externalId ? { ExternalId: externalId } : {}),
    }),
  );
  sts.destroy();
  const c = out.Credentials!;
  return new EC2Client({
    endpoint: emu.url,
    region,
    maxAttempts: 1,
    credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
  });
}

/** The AWS error code a rejected SDK promise carries. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    return (error as Error).name;
  }
}

/** A minimal XML element tree (names and nesting only), to compare shapes with the documented responses. */
export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

/** Parses the well-formed, attribute-light XML EC2 returns; enough to compare element names and nesting. */
export function parseXml(xml: string): XmlElement {
  const tokens = xml.replace(/<\?xml[^>]*\?>/, '').match(/<[^>]+>|[^<]+/g) ?? [];
  const root: XmlElement = { name: '#root', children: [], text: '' };
  const stack: XmlElement[] = [root];
  for (const token of tokens) {
    const top = stack[stack.length - 1]!;
    if (token.startsWith('</')) stack.pop();
    else if (token.startsWith('<')) {
      const name = /^<([\w:.-]+)/.exec(token)![1]!;
      const el: XmlElement = { name, children: [], text: '' };
      top.children.push(el);
      if (!token.endsWith('/>')) stack.push(el);
    } else top.text += token.trim();
  }
  return root.children[0]!;
}

/** Every element path of a tree, e.g. `DescribeRouteTablesResponse/routeTableSet/item/routeSet/item/origin`. */
export function elementPaths(el: XmlElement, prefix = ''): Set<string> {
  const here = prefix ? `${prefix}/${el.name}` : el.name;
  const out = new Set([here]);
  for (const child of el.children) for (const p of elementPaths(child, here)) out.add(p);
  return out;
}
