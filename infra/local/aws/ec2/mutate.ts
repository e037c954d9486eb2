import { boolParam, list, param, stringList, struct, tagSpecifications, type QueryObject } from '../query';
import { acceptPeering, createPeering, deletePeering, modifyPeeringOptions, rejectPeering } from '../state/peerings';
import { createRoute, deleteRoute, replaceRoute, type RouteInput } from '../state/routes';
import { createTags } from '../state/tags';
import type { AwsEmulatorState } from '../state/state';
import { Ec2Error, type Caller, type RouteTargetFields } from '../state/types';
import type { XmlObject } from '../xml';
import { renderPeering } from './render';

function required(q: QueryObject, name: string): string {
  const v = param(q, name);
  if (v === undefined || v === '')
    throw new Ec2Error(
      'MissingParameter',
      `The request must contain the parameter ${name.charAt(0).toLowerCase()}${name.slice(1)}`,
    );
  return v;
}

function routeInput(q: QueryObject): RouteInput {
  const target: RouteTargetFields = {
    gatewayId: param(q, 'GatewayId'),
    natGatewayId: param(q, 'NatGatewayId'),
    transitGatewayId: param(q, 'TransitGatewayId'),
    vpcPeeringConnectionId: param(q, 'VpcPeeringConnectionId'),
    networkInterfaceId: param(q, 'NetworkInterfaceId'),
    instanceId: param(q, 'InstanceId'),
    egressOnlyInternetGatewayId: param(q, 'EgressOnlyInternetGatewayId'),
    vpcEndpointId: param(q, 'VpcEndpointId'),
    carrierGatewayId: param(q, 'CarrierGatewayId'),
    localGatewayId: param(q, 'LocalGatewayId'),
    coreNetworkArn: param(q, 'CoreNetworkArn'),
  };
  return {
    routeTableId: required(q, 'RouteTableId'),
    destinationCidrBlock: param(q, 'DestinationCidrBlock'),
    destinationIpv6CidrBlock: param(q, 'DestinationIpv6CidrBlock'),
    target,
  };
}

type Handler = (state: AwsEmulatorState, caller: Caller, q: QueryObject) => XmlObject;

/** The mutating EC2 Actions the emulator serves; each returns its response body (without requestId). */
export const MUTATING_ACTIONS: Record<string, Handler> = {
  CreateVpcPeeringConnection: (state, caller, q) => {
    const { peering, shown } = createPeering(state, caller, {
      vpcId: required(q, 'VpcId'),
      peerVpcId: required(q, 'PeerVpcId'),
      peerOwnerId: param(q, 'PeerOwnerId'),
      peerRegion: param(q, 'PeerRegion'),
      tags: tagSpecifications(q, 'vpc-peering-connection'),
    });
    return { vpcPeeringConnection: renderPeering(state, caller, peering, shown) };
  },
  AcceptVpcPeeringConnection: (state, caller, q) => {
    const { peering, shown } = acceptPeering(state, caller, required(q, 'VpcPeeringConnectionId'));
    return { vpcPeeringConnection: renderPeering(state, caller, peering, shown) };
  },
  RejectVpcPeeringConnection: (state, caller, q) => {
    rejectPeering(state, caller, required(q, 'VpcPeeringConnectionId'));
    return { return: true };
  },
  DeleteVpcPeeringConnection: (state, caller, q) => {
    deletePeering(state, caller, required(q, 'VpcPeeringConnectionId'));
    return { return: true };
  },
  ModifyVpcPeeringConnectionOptions: (state, caller, q) => {
    const requester = boolParam(struct(q, 'RequesterPeeringConnectionOptions'), 'AllowDnsResolutionFromRemoteVpc');
    const accepter = boolParam(struct(q, 'AccepterPeeringConnectionOptions'), 'AllowDnsResolutionFromRemoteVpc');
    const result = modifyPeeringOptions(state, caller, required(q, 'VpcPeeringConnectionId'), { requester, accepter });
    return {
      requesterPeeringConnectionOptions:
        result.requester === undefined ? undefined : { allowDnsResolutionFromRemoteVpc: result.requester },
      accepterPeeringConnectionOptions:
        result.accepter === undefined ? undefined : { allowDnsResolutionFromRemoteVpc: result.accepter },
    };
  },
  CreateRoute: (state, caller, q) => {
    createRoute(state, caller, routeInput(q));
    return { return: true };
  },
  ReplaceRoute: (state, caller, q) => {
    replaceRoute(state, caller, routeInput(q));
    return { return: true };
  },
  CreateTags: (state, caller, q) => {
    const tags = Object.fromEntries(
      list(q, 'Tag').flatMap((t) =>
        typeof t === 'object' && !Array.isArray(t) && param(t, 'Key')
          ? [[param(t, 'Key')!, param(t, 'Value') ?? '']]
          : [],
      ),
    );
    createTags(state, caller, stringList(q, 'ResourceId'), tags);
    return { return: true };
  },
  DeleteRoute: (state, caller, q) => {
    const { target: _t, ...input } = routeInput(q);
    deleteRoute(state, caller, input);
    return { return: true };
  },
};
