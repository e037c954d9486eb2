import type { PermissionTable } from '../port';

/**
 * The IAM actions each adapter operation needs (DESIGN §2 rule 6). The member-account role and the
 * hub's execution role are built from this table; a test fails when the adapter sends a command
 * that its operation does not declare. No `*` anywhere.
 */
export const AWS_PERMISSIONS = {
  /** Cross-account access into member accounts (called with the hub's own credentials). */
  'assume-role': ['sts:AssumeRole'],
  /** The Transit Gateway reads run only when the policy declares AWS transit hubs (AwsConnectOptions.transit). */
  observe: [
    'ec2:DescribeVpcs',
    'ec2:DescribeRouteTables',
    'ec2:DescribeVpcPeeringConnections',
    'ec2:DescribeTransitGateways',
    'ec2:DescribeTransitGatewayAttachments',
    'ec2:DescribeTransitGatewayRouteTables',
    'ec2:GetTransitGatewayRouteTablePropagations',
    'ec2:SearchTransitGatewayRoutes',
  ],
  /** TagSpecifications on create need ec2:CreateTags on the new pcx. */
  'create-peering': ['ec2:CreateVpcPeeringConnection', 'ec2:CreateTags', 'ec2:DescribeVpcPeeringConnections'],
  /** CreateTags: peerkeeper's tags on the accepter's view of a peering it requested. */
  'accept-peering': ['ec2:AcceptVpcPeeringConnection', 'ec2:CreateTags', 'ec2:DescribeVpcPeeringConnections'],
  'reject-peering': ['ec2:RejectVpcPeeringConnection', 'ec2:DescribeVpcPeeringConnections'],
  'delete-peering': ['ec2:DeleteVpcPeeringConnection', 'ec2:DescribeVpcPeeringConnections'],
  'update-peering': ['ec2:ModifyVpcPeeringConnectionOptions', 'ec2:DescribeVpcPeeringConnections'],
  'create-route': ['ec2:CreateRoute', 'ec2:DescribeRouteTables', 'ec2:DescribeVpcPeeringConnections'],
  'replace-route': ['ec2:ReplaceRoute', 'ec2:DescribeRouteTables', 'ec2:DescribeVpcPeeringConnections'],
  'delete-route': ['ec2:DeleteRoute', 'ec2:DescribeRouteTables'],
  // Transit Gateway attachments (issue 17). In the SPOKE's account (the VPC's owner): the attachment is created
  // there, tagged as peerkeeper's from its first moment (TagSpecifications need ec2:CreateTags), on subnets it picks.
  'create-attachment': [
    'ec2:CreateTransitGatewayVpcAttachment',
    'ec2:CreateTags',
    'ec2:DescribeSubnets',
    'ec2:DescribeTransitGatewayAttachments',
  ],
  // In the TGW OWNER's account: accept (and tag the owner's view), reject, and the attachment's routing (association
  // and propagations), which accept and a same-account create also apply under this operation.
  'accept-attachment': [
    'ec2:AcceptTransitGatewayVpcAttachment',
    'ec2:CreateTags',
    'ec2:DescribeTransitGatewayAttachments',
  ],
  'reject-attachment': ['ec2:RejectTransitGatewayVpcAttachment', 'ec2:DescribeTransitGatewayAttachments'],
  'update-attachment': [
    'ec2:AssociateTransitGatewayRouteTable',
    'ec2:DisassociateTransitGatewayRouteTable',
    'ec2:EnableTransitGatewayRouteTablePropagation',
    'ec2:DisableTransitGatewayRouteTablePropagation',
    'ec2:GetTransitGatewayAttachmentPropagations',
    'ec2:DescribeTransitGatewayAttachments',
  ],
  /** The spoke's account when reachable, else the TGW owner's (both may delete a VPC attachment). */
  'delete-attachment': ['ec2:DeleteTransitGatewayVpcAttachment', 'ec2:DescribeTransitGatewayAttachments'],
} as const satisfies PermissionTable;

/** An operation name of AWS_PERMISSIONS. */
export type AwsOperation = keyof typeof AWS_PERMISSIONS;

/** Every IAM action any operation needs, sorted and unique (for the member role policy). */
export function allAwsActions(): string[] {
  return [...new Set(Object.values(AWS_PERMISSIONS).flat())].sort();
}
