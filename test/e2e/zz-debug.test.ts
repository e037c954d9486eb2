import { startAzureEmulator } from '../../infra/local/azure';
import { AzurePeeringAdapter } from '../../shared/providers/azure';
import { planScope } from '../../shared/planner';
import { PolicySchema } from '../../shared/policy/schema';
const HUB_SUB = '0b1f6471-1bf0-4dda-aec3-111111111111';
const SPOKE_SUB = '0b1f6471-1bf0-4dda-aec3-222222222222';
it('dbg', async () => {
  const emu = await startAzureEmulator(); emu.state.lroPolls = 0;
  const s = emu.state;
  s.createVnet({ subscription: HUB_SUB, resourceGroup: 'net', name: 'hub', location: 'westeurope', addressPrefixes: ['10.0.0.0/16'], tags: { role: 'hub' } });
  const spoke = s.createVnet({ subscription: SPOKE_SUB, resourceGroup: 'net', name: 'spoke', location: 'westeurope', addressPrefixes: ['10.1.0.0/16'], tags: { role: 'spoke' } }).record;
  const hub = s.vnet(`/subscriptions/${HUB_SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub`)!;
  s.createPeeringHalf(spoke.id, 'peerkeeper-hub', { remoteId: hub.id });
  s.createPeeringHalf(hub.id, 'peerkeeper-spoke', { remoteId: spoke.id });
  s.deletePeeringHalf(hub.id, 'peerkeeper-spoke');
  const policy = PolicySchema.parse({ version: 1, providers: { azure: { subscriptions: [HUB_SUB, SPOKE_SUB] } },
    groups: { hub: { cloud: 'azure', account: HUB_SUB, tags: { role: 'hub' } }, spokes: { cloud: 'azure', account: [SPOKE_SUB], tags: { role: 'spoke' } } },
    connections: [{ name: 'spokes-to-hub', topology: 'hub-spoke', hub: 'hub', spokes: 'spokes' }] });
  const a = new AzurePeeringAdapter({ subscriptions: [HUB_SUB, SPOKE_SUB], endpoint: emu.url });
  const obs = await a.observe([{ cloud: 'azure', account: HUB_SUB }, { cloud: 'azure', account: SPOKE_SUB }]);
  console.log(JSON.stringify(obs.peerings, null, 1));
  console.log(JSON.stringify(planScope({ policy, observation: obs, now: new Date() }).actions, null, 1));
  await emu.close();
});
