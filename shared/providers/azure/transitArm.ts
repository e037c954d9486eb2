/** Virtual WAN ARM JSON (Microsoft.Network 2024-05-01): the fields peerkeeper reads, and names ↔ ids of hub tables. */
import { z } from 'zod';
import { MANAGED_HALF_PREFIX, nameOf } from './toModel';

const SubResource = z.object({ id: z.string() });

export const ArmVirtualHubSchema = z.object({
  id: z.string(),
  name: z.string(),
  location: z.string(),
  tags: z.record(z.string(), z.string()).nullish(),
  properties: z.object({
    vpnGateway: SubResource.nullish(),
    expressRouteGateway: SubResource.nullish(),
    provisioningState: z.string().optional(),
  }),
});
export type ArmVirtualHub = z.infer<typeof ArmVirtualHubSchema>;

export const ArmHubRouteSchema = z.object({
  name: z.string(),
  destinationType: z.string(),
  destinations: z.array(z.string()).default([]),
  nextHopType: z.string(),
  nextHop: z.string(),
});

export const ArmHubRouteTableSchema = z.object({
  id: z.string(),
  name: z.string(),
  properties: z.object({
    routes: z.array(ArmHubRouteSchema).default([]),
    labels: z.array(z.string()).default([]),
    associatedConnections: z.array(z.string()).default([]),
    propagatingConnections: z.array(z.string()).default([]),
  }),
});
export type ArmHubRouteTable = z.infer<typeof ArmHubRouteTableSchema>;

// Loose: every property ARM returns is kept, so a PUT (which replaces the connection) sends back what we do not manage.
export const ArmRoutingConfigurationSchema = z.looseObject({
  associatedRouteTable: SubResource.nullish(),
  propagatedRouteTables: z
    .looseObject({
      ids: z.array(SubResource).nullish(),
      labels: z.array(z.string()).nullish(),
    })
    .nullish(),
  vnetRoutes: z.looseObject({}).nullish(),
});

export const ArmHubConnectionSchema = z.object({
  id: z.string(),
  name: z.string(),
  properties: z.looseObject({
    remoteVirtualNetwork: SubResource,
    routingConfiguration: ArmRoutingConfigurationSchema.nullish(),
    provisioningState: z.string().optional(),
    resourceGuid: z.string().optional(),
  }),
});
export type ArmHubConnection = z.infer<typeof ArmHubConnectionSchema>;

/** A hub connection peerkeeper made: connections carry no tags, so the name prefix marks them (as peering halves). */
export function isManagedConnection(connection: Pick<ArmHubConnection, 'name'>): boolean {
  return connection.name.toLowerCase().startsWith(MANAGED_HALF_PREFIX);
}

/** `…/virtualHubs/{hub}/hubRouteTables/{name}`: the id of a hub route table named in the model. */
export function hubRouteTableId(hubId: string, name: string): string {
  return `${hubId}/hubRouteTables/${name}`;
}

/** The route table name of an id (the model names hub route tables, not their ids). */
export function hubRouteTableName(id: string): string {
  return nameOf(id);
}

/** The hub a connection or hub route table id belongs to (`…/virtualHubs/{hub}`), lower-cased. */
export function hubOf(childId: string): string {
  return childId.replace(/\/(hubVirtualNetworkConnections|hubRouteTables)\/[^/]+$/i, '').toLowerCase();
}
