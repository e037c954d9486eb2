import type { VpcPeeringConnection } from '@aws-sdk/client-ec2';
import { peeringToModel } from '../../../shared/providers/aws/toModel';

/** A pending request as DescribeVpcPeeringConnections returns it to the accepter (AWS shows both sides' CIDR blocks). */
function pcx(requester: Partial<NonNullable<VpcPeeringConnection['RequesterVpcInfo']>>): VpcPeeringConnection {
  return {
    VpcPeeringConnectionId: 'pcx-0partner',
    Status: { Code: 'pending-acceptance' },
    RequesterVpcInfo: { OwnerId: '999999999999', VpcId: 'vpc-partner', Region: 'us-east-1', ...requester },
    AccepterVpcInfo: {
      OwnerId: '111111111111',
      VpcId: 'vpc-hub',
      Region: 'us-east-1',
      CidrBlock: '10.0.0.0/16',
      CidrBlockSet: [{ CidrBlock: '10.0.0.0/16' }],
    },
  };
}

describe('peeringToModel: the ranges each side announced', () => {
  const cases: Record<
    string,
    {
      reason: string;
      requester: Partial<NonNullable<VpcPeeringConnection['RequesterVpcInfo']>>;
      want: string[] | undefined;
    }
  > = {
    'every IPv4 block and the IPv6 blocks': {
      reason: "a partner's request is judged on all its ranges (overlap with any of them must reject)",
      requester: {
        CidrBlock: '10.99.0.0/16',
        CidrBlockSet: [{ CidrBlock: '10.99.0.0/16' }, { CidrBlock: '10.98.0.0/16' }],
        Ipv6CidrBlockSet: [{ Ipv6CidrBlock: '2600:1f18:9900::/56' }],
      },
      want: ['10.99.0.0/16', '10.98.0.0/16', '2600:1f18:9900::/56'],
    },
    'the primary block when no set is given': {
      reason: 'older responses carry only CidrBlock',
      requester: { CidrBlock: '10.99.0.0/16' },
      want: ['10.99.0.0/16'],
    },
    'nothing when EC2 shows no ranges': {
      reason: 'unknown ranges must stay unknown (the planner then refuses to accept), never become an empty list',
      requester: {},
      want: undefined,
    },
  };
  it.each(Object.entries(cases))('maps %s', (_name, c) => {
    const peering = peeringToModel(pcx(c.requester), 'us-east-1')!;
    expect(peering.requesterCidrs).toEqual(c.want);
    expect(peering.accepterCidrs).toEqual(['10.0.0.0/16']);
  });
});
