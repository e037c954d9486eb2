import { CONNECTION_TAG, MANAGED_TAG } from '../../shared/model';
import { AWS_PERMISSIONS } from '../../shared/providers/aws/permissions';

/** A CloudFormation value: literal or intrinsic function. */
type Cfn = string | Record<string, unknown> | Cfn[];
/** One IAM policy statement, CloudFormation-shaped. */
export interface Statement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: Cfn;
  Condition?: Record<string, Record<string, Cfn>>;
}

const sub = (text: string): Cfn => ({ 'Fn::Sub': text });
/** A resource of this account, any region. */
const own = (type: string): Cfn => sub(`arn:\${AWS::Partition}:ec2:*:\${AWS::AccountId}:${type}/*`);
/** A peering connection belongs to the REQUESTER's account, so the accepter must name it in any account. */
const anyPeering: Cfn = sub('arn:${AWS::Partition}:ec2:*:*:vpc-peering-connection/*');
const ownVpcs: Cfn = sub('arn:${AWS::Partition}:ec2:*:${AWS::AccountId}:vpc/*');
/**
 * A TGW attachment's ARN names the account that created it (the spoke's), so the TGW's owner names it in any account;
 * a TGW is shared to spokes from its owner's account (RAM), so the spoke names it in any account too.
 */
const anyAttachment: Cfn = sub('arn:${AWS::Partition}:ec2:*:*:transit-gateway-attachment/*');
const anyTransitGateway: Cfn = sub('arn:${AWS::Partition}:ec2:*:*:transit-gateway/*');
const managedOnly = { StringEquals: { [`aws:ResourceTag/${MANAGED_TAG}`]: 'true' } };

/**
 * Where each IAM action may act, and under which conditions. Describe* calls support no resource-level
 * permissions, so they alone take `*`; every mutating action is limited to this account's VPCs and tables,
 * or to peerings that involve one of this account's VPCs (DESIGN §2 rule 6: no `*` on mutating actions).
 * `requesterVpcs` is the list of VPC ARN patterns of the accounts whose requests may be accepted.
 */
export function memberStatements(requesterVpcs: Cfn): Statement[] {
  const byAction: Record<string, Omit<Statement, 'Action' | 'Effect'>[]> = {
    'ec2:DescribeVpcs': [{ Sid: 'Observe', Resource: '*' }],
    'ec2:DescribeRouteTables': [{ Sid: 'Observe', Resource: '*' }],
    'ec2:DescribeVpcPeeringConnections': [{ Sid: 'Observe', Resource: '*' }],
    // A peering this role creates carries peerkeeper's managed tag from its first moment (the adapter always sends
    // it in TagSpecifications), so IAM can later tell peerkeeper's peerings from everyone else's.
    'ec2:CreateVpcPeeringConnection': [
      { Sid: 'RequestPeering', Resource: ownVpcs },
      {
        Sid: 'RequestPeeringTagged',
        Resource: anyPeering,
        Condition: { StringEquals: { [`aws:RequestTag/${MANAGED_TAG}`]: 'true' } },
      },
    ],
    // Tags only on peerings: while creating one (TagSpecifications), and peerkeeper's own two tag keys on the
    // accepter's view of one it accepted (each account tags its own view). Never on anything else.
    'ec2:CreateTags': [
      {
        Sid: 'TagNewPeering',
        Resource: own('vpc-peering-connection'),
        Condition: { StringEquals: { 'ec2:CreateAction': 'CreateVpcPeeringConnection' } },
      },
      {
        Sid: 'TagAcceptedPeering',
        Resource: anyPeering,
        Condition: {
          ArnLike: { 'ec2:AccepterVpc': ownVpcs },
          'ForAllValues:StringEquals': { 'aws:TagKeys': [MANAGED_TAG, CONNECTION_TAG] },
        },
      },
      {
        Sid: 'TagNewAttachment',
        Resource: own('transit-gateway-attachment'),
        Condition: { StringEquals: { 'ec2:CreateAction': 'CreateTransitGatewayVpcAttachment' } },
      },
      // The owner's view of an attachment it accepted: peerkeeper's own two tag keys only.
      {
        Sid: 'TagAcceptedAttachment',
        Resource: anyAttachment,
        Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': [MANAGED_TAG, CONNECTION_TAG] } },
      },
    ],
    'ec2:AcceptVpcPeeringConnection': [
      {
        Sid: 'AcceptFromAllowedAccounts',
        Resource: anyPeering,
        Condition: { ArnLike: { 'ec2:AccepterVpc': ownVpcs, 'ec2:RequesterVpc': requesterVpcs } },
      },
      { Sid: 'AcceptIntoOwnVpc', Resource: ownVpcs },
    ],
    'ec2:RejectVpcPeeringConnection': [
      { Sid: 'AnswerAsAccepter', Resource: anyPeering, Condition: { ArnLike: { 'ec2:AccepterVpc': ownVpcs } } },
    ],
    // Only peerings tagged as peerkeeper's (in this account's view: set at creation, or when accepting one it
    // requested) can be deleted: IAM, not only the planner, keeps peerkeeper off peerings it does not own (DESIGN §5).
    'ec2:DeleteVpcPeeringConnection': [
      {
        Sid: 'DeleteOwnAsAccepter',
        Resource: anyPeering,
        Condition: {
          ArnLike: { 'ec2:AccepterVpc': ownVpcs },
          StringEquals: { [`aws:ResourceTag/${MANAGED_TAG}`]: 'true' },
        },
      },
      {
        Sid: 'DeleteOwnAsRequester',
        Resource: anyPeering,
        Condition: {
          ArnLike: { 'ec2:RequesterVpc': ownVpcs },
          StringEquals: { [`aws:ResourceTag/${MANAGED_TAG}`]: 'true' },
        },
      },
    ],
    'ec2:ModifyVpcPeeringConnectionOptions': [
      { Sid: 'ChangeAsAccepter', Resource: anyPeering, Condition: { ArnLike: { 'ec2:AccepterVpc': ownVpcs } } },
      { Sid: 'ChangeAsRequester', Resource: anyPeering, Condition: { ArnLike: { 'ec2:RequesterVpc': ownVpcs } } },
    ],
    // Transit Gateway reads (issue 17): the Describe calls take no resource; the route-table reads name the owner's tables.
    'ec2:DescribeTransitGateways': [{ Sid: 'Observe', Resource: '*' }],
    'ec2:DescribeTransitGatewayAttachments': [{ Sid: 'Observe', Resource: '*' }],
    'ec2:DescribeTransitGatewayRouteTables': [{ Sid: 'Observe', Resource: '*' }],
    'ec2:DescribeSubnets': [{ Sid: 'Observe', Resource: '*' }],
    'ec2:GetTransitGatewayRouteTablePropagations': [
      { Sid: 'ObserveHubTables', Resource: own('transit-gateway-route-table') },
    ],
    'ec2:SearchTransitGatewayRoutes': [{ Sid: 'ObserveHubTables', Resource: own('transit-gateway-route-table') }],
    'ec2:GetTransitGatewayAttachmentPropagations': [{ Sid: 'ReadAttachmentRouting', Resource: anyAttachment }],
    // As a spoke: attach this account's VPCs, on its subnets, to a TGW shared with it; the new attachment must carry
    // peerkeeper's managed tag from its first moment (the adapter always sends it in TagSpecifications).
    'ec2:CreateTransitGatewayVpcAttachment': [
      { Sid: 'AttachOwnVpc', Resource: [ownVpcs, own('subnet')] },
      { Sid: 'AttachToSharedTgw', Resource: anyTransitGateway },
      {
        Sid: 'AttachTagged',
        Resource: own('transit-gateway-attachment'),
        Condition: { StringEquals: { [`aws:RequestTag/${MANAGED_TAG}`]: 'true' } },
      },
    ],
    // As the TGW's owner: answer requests and route attachments in its own route tables.
    'ec2:AcceptTransitGatewayVpcAttachment': [{ Sid: 'AnswerAttachments', Resource: anyAttachment }],
    'ec2:RejectTransitGatewayVpcAttachment': [{ Sid: 'AnswerAttachments', Resource: anyAttachment }],
    'ec2:AssociateTransitGatewayRouteTable': [
      { Sid: 'RouteAttachments', Resource: anyAttachment },
      { Sid: 'RouteOwnHubTables', Resource: own('transit-gateway-route-table') },
    ],
    'ec2:DisassociateTransitGatewayRouteTable': [
      { Sid: 'RouteAttachments', Resource: anyAttachment },
      { Sid: 'RouteOwnHubTables', Resource: own('transit-gateway-route-table') },
    ],
    'ec2:EnableTransitGatewayRouteTablePropagation': [
      { Sid: 'RouteAttachments', Resource: anyAttachment },
      { Sid: 'RouteOwnHubTables', Resource: own('transit-gateway-route-table') },
    ],
    'ec2:DisableTransitGatewayRouteTablePropagation': [
      { Sid: 'RouteAttachments', Resource: anyAttachment },
      { Sid: 'RouteOwnHubTables', Resource: own('transit-gateway-route-table') },
    ],
    // Only attachments tagged as peerkeeper's (in this account's view) can be deleted: IAM backs the adapter's refusal.
    'ec2:DeleteTransitGatewayVpcAttachment': [
      { Sid: 'DeleteOwnAttachment', Resource: anyAttachment, Condition: managedOnly },
    ],
    'ec2:CreateRoute': [{ Sid: 'Routes', Resource: own('route-table') }],
    'ec2:ReplaceRoute': [{ Sid: 'Routes', Resource: own('route-table') }],
    'ec2:DeleteRoute': [{ Sid: 'Routes', Resource: own('route-table') }],
  };
  const needed = [
    ...new Set(
      Object.entries(AWS_PERMISSIONS)
        .filter(([op]) => op !== 'assume-role')
        .flatMap(([, actions]) => actions),
    ),
  ].sort();
  const unknown = needed.filter((a) => !byAction[a]);
  if (unknown.length > 0)
    throw new Error(
      `AWS_PERMISSIONS declares ${unknown.join(', ')}: say where they may act in infra/aws/member-role.ts`,
    );
  // Statements with the same Sid, resources and conditions merge, so the policy reads as a handful of rules.
  const merged = new Map<string, Statement>();
  for (const action of needed) {
    for (const rule of byAction[action]!) {
      const key = JSON.stringify([rule.Sid, rule.Resource, rule.Condition ?? null]);
      const existing = merged.get(key);
      if (existing) existing.Action.push(action);
      else
        merged.set(key, {
          Sid: rule.Sid,
          Effect: 'Allow',
          Action: [action],
          Resource: rule.Resource,
          ...(rule.Condition ? { Condition: rule.Condition } : {}),
        });
    }
  }
  // Sids must be unique in one policy: number repeated ones.
  const seen = new Map<string, number>();
  return [...merged.values()].map((s) => {
    const n = (seen.get(s.Sid) ?? 0) + 1;
    seen.set(s.Sid, n);
    return n === 1 ? s : { ...s, Sid: `${s.Sid}${n}` };
  });
}
