import { EventBridgeClient, ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';

/** The environment variable packaging sets to the compiled policy's SHA-256 (serverless.yml). */
export const POLICY_HASH_ENV = 'PEERKEEPER_POLICY_SHA256';

/** The three kinds of rule serverless.yml puts on the hub bus, found by what their patterns match. */
const EXPECTED_RULES: readonly { name: string; matches: RegExp; fix: string }[] = [
  {
    name: 'EC2 CloudTrail calls',
    matches: /"aws\.ec2"/,
    fix: 'deploy serverless.yml in the hub account, and the member StackSet (infra/aws/member-account.yaml) so member accounts forward their calls; an organization CloudTrail trail must be on',
  },
  {
    name: 'account vending',
    matches: /"aws\.controltower"|"aws\.organizations"/,
    fix: 'deploy serverless.yml; in the management account deploy the vending forwarder (docs/deploy/aws.md, step 4)',
  },
  {
    name: 'Sweep Requested',
    matches: /"Sweep Requested"/,
    fix: 'deploy serverless.yml (the rule routes `peerkeeper` sweep requests to network-event)',
  },
];

/** Reads what doctor checks in the hub account: the bus's rules and the policy hash the functions carry. Read-only. */
export class AwsDeploymentProbe {
  constructor(
    private readonly options: {
      busName: string;
      functionName: string;
      events?: EventBridgeClient;
      lambda?: LambdaClient;
    },
  ) {}

  /** Whether each expected rule exists and is enabled on the hub bus. */
  async eventRoutes(): Promise<{ name: string; present: boolean; fix: string }[]> {
    const events = this.options.events ?? new EventBridgeClient({ maxAttempts: 3 });
    const patterns: string[] = [];
    let next: string | undefined;
    do {
      const page = await events.send(new ListRulesCommand({ EventBusName: this.options.busName, NextToken: next }));
      for (const r of page.Rules ?? []) if (r.State === 'ENABLED' && r.EventPattern) patterns.push(r.EventPattern);
      next = page.NextToken;
    } while (next);
    return EXPECTED_RULES.map((e) => ({
      name: `${e.name} on ${this.options.busName}`,
      present: patterns.some((p) => e.matches.test(p)),
      fix: e.fix,
    }));
  }

  /** The policy hash the deployed network-event function carries, or undefined when it has none. */
  async deployedPolicyHash(): Promise<string | undefined> {
    const lambda = this.options.lambda ?? new LambdaClient({ maxAttempts: 3 });
    const out = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: this.options.functionName }));
    return out.Environment?.Variables?.[POLICY_HASH_ENV];
  }
}
