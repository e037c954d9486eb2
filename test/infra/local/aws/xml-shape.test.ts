import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAwsEmulator, type AwsEmulator } from '../../../../infra/local/aws';
import { elementPaths, HUB, parseXml, STATIC } from './helpers';

const FIXTURES = join(__dirname, '../../../fixtures/aws-ec2');
const PARTNER = '222222222222';

/**
 * Sends a Query request and returns the raw XML. The emulator reads only the SigV4 credential scope
 * (it does not verify signatures), so a header with the right scope is enough here.
 */
async function rawCall(
  emu: AwsEmulator,
  region: string,
  params: Record<string, string>,
): Promise<{ status: number; xml: string }> {
  const body = new URLSearchParams({ ...params, Version: '2016-11-15' }).toString();
  const authorization = `AWS4-HMAC-SHA256 Credential=${STATIC.accessKeyId}/20250101/${region}/ec2/aws4_request, SignedHeaders=host, Signature=00`;
  const res = await fetch(`${emu.url}/`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  return { status: res.status, xml: await res.text() };
}

describe('EC2 emulator XML matches the documented responses (element names and nesting)', () => {
  let emu: AwsEmulator;
  let hubVpc: { vpcId: string; mainRouteTableId: string };
  beforeAll(async () => {
    emu = await startAwsEmulator();
    hubVpc = emu.state.createVpc({ account: HUB, region: 'us-east-1', cidr: '172.31.0.0/16' });
    emu.state.addRoute({
      routeTableId: hubVpc.mainRouteTableId,
      destination: '0.0.0.0/0',
      target: { gatewayId: 'igw-012345678901abcdef' },
    });
  });
  afterAll(() => emu.close());

  const cases: { reason: string; fixture: string; call: () => Promise<{ status: number; xml: string }> }[] = [
    {
      reason: 'DescribeRouteTables: routeSet items with gatewayId/state/origin, associationSet main, empty sets',
      fixture: 'aws-ec2-DescribeRouteTables-apiref-response.xml',
      call: () => rawCall(emu, 'us-east-1', { Action: 'DescribeRouteTables' }),
    },
    {
      reason: 'CreateVpcPeeringConnection cross-account: initiating-request, requester options, expirationTime, tagSet',
      fixture: 'aws-ec2-CreateVpcPeeringConnection-crossaccount-apiref-response.xml',
      call: async () => {
        const peer = emu.state.createVpc({ account: PARTNER, region: 'us-east-1', cidr: '10.0.0.0/28' });
        return rawCall(emu, 'us-east-1', {
          Action: 'CreateVpcPeeringConnection',
          VpcId: hubVpc.vpcId,
          PeerVpcId: peer.vpcId,
          PeerOwnerId: PARTNER,
        });
      },
    },
    {
      reason: 'DescribeVpcPeeringConnections of an active peering: both vpc infos with CIDR and options',
      fixture: 'aws-ec2-DescribeVpcPeeringConnections-apiref-response.xml',
      call: async () => {
        const peer = emu.state.createVpc({ account: HUB, region: 'us-east-1', cidr: '10.9.0.0/16' });
        const created = await rawCall(emu, 'us-east-1', {
          Action: 'CreateVpcPeeringConnection',
          VpcId: hubVpc.vpcId,
          PeerVpcId: peer.vpcId,
        });
        const id = /<vpcPeeringConnectionId>([^<]+)</.exec(created.xml)![1]!;
        await rawCall(emu, 'us-east-1', { Action: 'AcceptVpcPeeringConnection', VpcPeeringConnectionId: id });
        return rawCall(emu, 'us-east-1', { Action: 'DescribeVpcPeeringConnections', 'VpcPeeringConnectionId.1': id });
      },
    },
  ];

  it.each(cases)('$fixture — $reason', async ({ fixture, call }) => {
    const documented = parseXml(readFileSync(join(FIXTURES, fixture), 'utf8'));
    const { status, xml } = await call();
    expect(status).toBe(200);
    expect(xml).toContain('xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"');
    const ours = elementPaths(parseXml(xml));
    const missing = [...elementPaths(documented)].filter((p) => !ours.has(p));
    expect(missing).toEqual([]);
  });

  it('spells errors in the EC2 envelope: Response/Errors/Error/Code+Message and RequestID', async () => {
    const { status, xml } = await rawCall(emu, 'us-east-1', {
      Action: 'DeleteVpcPeeringConnection',
      VpcPeeringConnectionId: 'pcx-00000000',
    });
    expect(status).toBe(400);
    const tree = parseXml(xml);
    expect([...elementPaths(tree)].sort()).toEqual([
      'Response',
      'Response/Errors',
      'Response/Errors/Error',
      'Response/Errors/Error/Code',
      'Response/Errors/Error/Message',
      'Response/RequestID',
    ]);
    expect(tree.children[0]!.children[0]!.children[0]!.text).toBe('InvalidVpcPeeringConnectionID.NotFound');
  });
});
