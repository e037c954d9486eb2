import type { AwsEmulatorState } from './state';
import { ownTransitRouteTable } from './transit';
import { visibleAttachment } from './transit-attachments';
import { Ec2Error, type Caller, type Tags } from './types';

/**
 * Where CreateTags writes on a Transit Gateway resource: an attachment's tags belong to the account that set them
 * (the TGW's owner and the VPC's owner each tag their own view, as with peerings); a route table or TGW is the owner's.
 */
export function transitTagTarget(
  state: AwsEmulatorState,
  caller: Caller,
  id: string,
): { current: Tags; set: (next: Tags) => void } {
  if (id.startsWith('tgw-attach-')) {
    const a = visibleAttachment(state, caller, id);
    return { current: a.tags.get(caller.account) ?? {}, set: (next) => a.tags.set(caller.account, next) };
  }
  if (id.startsWith('tgw-rtb-')) {
    const table = ownTransitRouteTable(state, caller, id);
    return {
      current: table.tags,
      set: (next) => {
        table.tags = next;
      },
    };
  }
  const tgw = state.gateways.get(id);
  if (!tgw || tgw.kind !== 'transit' || tgw.account !== caller.account || tgw.region !== caller.region)
    throw new Ec2Error('InvalidTransitGatewayID.NotFound', `Transit Gateway ${id} was deleted or does not exist.`);
  return {
    current: tgw.tags,
    set: (next) => {
      tgw.tags = next;
    },
  };
}
