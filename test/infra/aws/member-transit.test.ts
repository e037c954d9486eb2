import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hubFragments, memberAccountTemplate } from '../../../infra/aws/generate';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const ROOT = join(__dirname, '..', '..', '..');

// Issue 17: the member and hub roles' Transit Gateway rights follow the adapter's, tightened like the peering ones.
describe('Transit Gateway rights of the member and hub roles', () => {
  const member = (memberAccountTemplate() as Json).Resources.MemberRole.Properties.Policies[0].PolicyDocument
    .Statement as Json[];
  const withAction = (statements: Json[], action: string) =>
    statements.filter((s) => (s.Action as string[]).includes(action));
  const resources = (s: Json) => JSON.stringify(s.Resource);

  it("creates attachments only tagged as peerkeeper's, and only from its own VPCs and subnets", () => {
    const create = withAction(member, 'ec2:CreateTransitGatewayVpcAttachment');
    const onAttachment = create.filter((s) => resources(s).includes('transit-gateway-attachment/'));
    expect(onAttachment.map((s) => s.Condition)).toEqual([
      { StringEquals: { 'aws:RequestTag/peerkeeper:managed': 'true' } },
    ]);
    const onVpc = create.find((s) => resources(s).includes(':vpc/'))!;
    expect(resources(onVpc)).toContain('${AWS::AccountId}:vpc/*');
    expect(resources(onVpc)).toContain('${AWS::AccountId}:subnet/*');
    // The adapter's create sends the tag the condition demands.
    const adapter = readFileSync(join(ROOT, 'shared', 'providers', 'aws', 'applyAttachment.ts'), 'utf8');
    expect(adapter).toMatch(/\[MANAGED_TAG\]: 'true'[\s\S]*TagSpecifications/);
  });

  it("deletes only attachments tagged as peerkeeper's, and routes only in its own hub route tables", () => {
    const del = withAction(member, 'ec2:DeleteTransitGatewayVpcAttachment');
    expect(del.map((s) => s.Condition)).toEqual([{ StringEquals: { 'aws:ResourceTag/peerkeeper:managed': 'true' } }]);
    for (const action of ['ec2:AssociateTransitGatewayRouteTable', 'ec2:EnableTransitGatewayRouteTablePropagation']) {
      const tables = withAction(member, action).filter((s) => resources(s).includes('transit-gateway-route-table/'));
      expect(tables.map(resources)).toEqual([
        expect.stringContaining('${AWS::AccountId}:transit-gateway-route-table/*'),
      ]);
    }
  });

  it("gives the hub's own role the same rights (the hub account owns the TGW in most estates)", () => {
    const hub = hubFragments().hubRoleStatements as Json[];
    for (const action of [
      'ec2:AcceptTransitGatewayVpcAttachment',
      'ec2:SearchTransitGatewayRoutes',
      'ec2:DeleteTransitGatewayVpcAttachment',
    ])
      expect(
        withAction(
          hub.filter((s) => Array.isArray(s.Action)),
          action,
        ).length,
      ).toBeGreaterThan(0);
  });
});
