import type { Scope } from '../../model';
import { findStringByKey } from '../shape';
import type { CallSite, CloudTrailRecord, Ec2Work } from './envelope';

/** Attachment lifecycle calls: a link to a hub appears, is decided, changes or goes (issue 17). */
const ATTACHMENT_CALLS = [
  'CreateTransitGatewayVpcAttachment',
  'AcceptTransitGatewayVpcAttachment',
  'RejectTransitGatewayVpcAttachment',
  'DeleteTransitGatewayVpcAttachment',
  'ModifyTransitGatewayVpcAttachment',
] as const;
/** Hub routing calls: an attachment's association or propagation, or a static hub route, changes. */
const HUB_ROUTING_CALLS = [
  'AssociateTransitGatewayRouteTable',
  'DisassociateTransitGatewayRouteTable',
  'EnableTransitGatewayRouteTablePropagation',
  'DisableTransitGatewayRouteTablePropagation',
  'CreateTransitGatewayRoute',
  'DeleteTransitGatewayRoute',
  'ReplaceTransitGatewayRoute',
] as const;

/** The Transit Gateway calls that produce work. */
export const TRANSIT_CALLS: ReadonlySet<string> = new Set<string>([...ATTACHMENT_CALLS, ...HUB_ROUTING_CALLS]);

/**
 * Maps a Transit Gateway call to what it asks peerkeeper to re-check. EC2 logs these calls wrapped
 * (`{ CreateTransitGatewayVpcAttachmentRequest: { VpcId, … } }`, responses `{ …Response: { transitGatewayVpcAttachment:
 * { vpcId, vpcOwnerId, … } } }`); keys are looked up by name, whatever the nesting or case. When the record names the
 * spoke VPC and its owner (the attachment calls' responses do; a create is made by the VPC's owner), the scope is that
 * network; otherwise (association, propagation and hub route calls name only the attachment and the hub route table)
 * the account and region the call was made in: the TGW owner's, whose reconcile reads its hubs and their attachments.
 */
export function scopeForTransitCall(record: CloudTrailRecord, site: CallSite): Ec2Work {
  const name = record.eventName;
  const request = record.requestParameters;
  const response = record.responseElements;
  const kind = (HUB_ROUTING_CALLS as readonly string[]).includes(name) ? 'route' : 'network';
  const vpcId = findStringByKey(request, 'vpcId') ?? findStringByKey(response, 'vpcId');
  const owner =
    findStringByKey(response, 'vpcOwnerId') ??
    findStringByKey(request, 'vpcOwnerId') ??
    (name === 'CreateTransitGatewayVpcAttachment' ? site.account : undefined);
  if (vpcId?.startsWith('vpc-') && owner) {
    const scope: Scope = { kind: 'network', network: { cloud: 'aws', account: owner, region: site.region, id: vpcId } };
    return { kind, scope };
  }
  return { kind, scope: { kind: 'account', cloud: 'aws', account: site.account, region: site.region } };
}
