import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { allAwsActions } from '../../../shared/providers/aws/permissions';
import { memberAccountTemplate, renderHubFragments, renderMemberTemplate } from '../../../infra/aws/generate';
import { ec2Pattern } from '../../../infra/aws/patterns';
import { specProblems } from './cfn-spec';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const DIR = join(__dirname, '..', '..', '..', 'infra', 'aws');

describe('infra/aws/member-account.yaml (StackSet template)', () => {
  const committed = readFileSync(join(DIR, 'member-account.yaml'), 'utf8');

  it('is what infra/aws/generate.ts generates (run `npx tsx infra/aws/generate.ts` after changing permissions)', () => {
    expect(committed).toBe(renderMemberTemplate());
    expect(readFileSync(join(DIR, 'hub-fragments.json'), 'utf8')).toBe(renderHubFragments());
  });

  it('parses to the generated object and passes the AWS resource specification', async () => {
    const template = parse(committed) as Json;
    expect(template).toEqual(JSON.parse(JSON.stringify(memberAccountTemplate())));
    expect(await specProblems(template)).toEqual([]);
  });

  it('lets only the hub function role assume the member role, and only with the ExternalId', () => {
    const trust = (memberAccountTemplate() as Json).Resources.MemberRole.Properties.AssumeRolePolicyDocument
      .Statement as Json[];
    expect(trust).toEqual([
      {
        Effect: 'Allow',
        Principal: { AWS: { Ref: 'HubFunctionRoleArn' } },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } },
      },
    ]);
  });

  it('grants every EC2 action the adapter declares, and only those; none mutating on *', () => {
    const statements = (memberAccountTemplate() as Json).Resources.MemberRole.Properties.Policies[0].PolicyDocument
      .Statement as Json[];
    const granted = [...new Set(statements.flatMap((s) => s.Action as string[]))].sort();
    expect(granted).toEqual(allAwsActions().filter((a) => !a.startsWith('sts:')));
    for (const s of statements) {
      if ((s.Action as string[]).some((a) => !a.startsWith('ec2:Describe')))
        expect([s.Resource].flat()).not.toContain('*');
    }
    const accept = statements.find(
      (s) => (s.Action as string[]).includes('ec2:AcceptVpcPeeringConnection') && s.Condition,
    );
    expect(Object.keys(accept!.Condition.ArnLike)).toEqual(['ec2:AccepterVpc', 'ec2:RequesterVpc']);
    expect(new Set(statements.map((s) => s.Sid)).size).toBe(statements.length);
  });

  it("forwards exactly the normalizer's EC2 calls to the hub bus, with a dead-letter queue", () => {
    const rule = (memberAccountTemplate() as Json).Resources.ForwardEc2Events.Properties;
    expect(rule.EventPattern).toEqual(ec2Pattern());
    expect(rule.Targets[0].Arn).toEqual({ Ref: 'HubEventBusArn' });
    expect(rule.Targets[0].DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': ['ForwardDeadLetterQueue', 'Arn'] });
  });

  it('tightens with tag conditions: peerings it creates carry the managed tag, and it deletes only peerings so tagged', () => {
    const statements = (memberAccountTemplate() as Json).Resources.MemberRole.Properties.Policies[0].PolicyDocument
      .Statement as Json[];
    const onPeerings = (action: string) =>
      statements.filter(
        (s) => (s.Action as string[]).includes(action) && JSON.stringify(s.Resource).includes('vpc-peering-connection'),
      );
    const create = onPeerings('ec2:CreateVpcPeeringConnection');
    expect(create.map((s) => s.Condition)).toEqual([{ StringEquals: { 'aws:RequestTag/peerkeeper:managed': 'true' } }]);
    const deletes = onPeerings('ec2:DeleteVpcPeeringConnection');
    expect(deletes).toHaveLength(2);
    for (const s of deletes) expect(s.Condition.StringEquals).toEqual({ 'aws:ResourceTag/peerkeeper:managed': 'true' });
    // The adapter's create sends the tag the condition demands.
    const adapter = readFileSync(
      join(__dirname, '..', '..', '..', 'shared', 'providers', 'aws', 'applyPeering.ts'),
      'utf8',
    );
    expect(adapter).toMatch(/\[MANAGED_TAG\]: 'true'[\s\S]*TagSpecifications/);
  });
});
