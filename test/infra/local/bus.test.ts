import { LocalBus } from '../../../infra/local/bus';

const awsEvent = (name: string, account = '111111111111') => ({ account, detail: { eventName: name } });

describe('the local event bus', () => {
  it('delivers in order, one at a time, including events published while delivering', async () => {
    const seen: string[] = [];
    let active = 0;
    let maxActive = 0;
    const bus: LocalBus = new LocalBus({
      aws: async (e) => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        const name = (e as { detail: { eventName: string } }).detail.eventName;
        seen.push(name);
        await new Promise((r) => setTimeout(r, 2));
        // A write the handler makes emits its own event, after those already queued.
        if (name === 'CreateVpc') bus.publish('aws', awsEvent('CreateVpcPeeringConnection'));
        active -= 1;
        return { status: 'reconciled', writes: 1 };
      },
    });
    bus.publish('aws', awsEvent('CreateVpc'));
    bus.publish('aws', awsEvent('CreateRoute'));
    await bus.idle();
    expect(seen).toEqual(['CreateVpc', 'CreateRoute', 'CreateVpcPeeringConnection']);
    expect(maxActive).toBe(1);
    expect(bus.deliveries.map((d) => [d.what, d.status, d.writes])).toEqual([
      ['CreateVpc', 'reconciled', 1],
      ['CreateRoute', 'reconciled', 1],
      ['CreateVpcPeeringConnection', 'reconciled', 1],
    ]);
  });

  it("redelivers a throwing handler up to three times, like the clouds' retries", async () => {
    let calls = 0;
    const bus = new LocalBus({
      azure: async () => {
        calls += 1;
        if (calls < 3) throw new Error('retryable');
        return { status: 'reconciled' };
      },
    });
    bus.publish('azure', { data: { operationName: 'Microsoft.Network/virtualNetworks/write' } });
    await bus.idle();
    expect(calls).toBe(3);
    expect(bus.deliveries[0]).toMatchObject({
      cloud: 'azure',
      what: 'Microsoft.Network/virtualNetworks/write',
      status: 'reconciled',
    });
  });

  it('gives up after three attempts and records the error', async () => {
    const bus = new LocalBus({
      gcp: async () => {
        throw new Error('still broken');
      },
    });
    bus.publish('gcp', { data: { protoPayload: { methodName: 'v1.compute.networks.insert' } } });
    await bus.idle();
    expect(bus.deliveries[0]).toMatchObject({ what: 'v1.compute.networks.insert', status: 'error: still broken' });
  });

  it('drops what the filter refuses (calls outside the organization) and what has no handler', async () => {
    const seen: unknown[] = [];
    const bus = new LocalBus(
      {
        aws: async (e) => {
          seen.push(e);
          return {};
        },
      },
      (_cloud, e) => (e as { account: string }).account === '111111111111',
    );
    bus.publish('aws', awsEvent('CreateVpcPeeringConnection', '999999999999'));
    bus.publish('azure', {});
    bus.publish('aws', awsEvent('CreateRoute'));
    await bus.idle();
    expect(seen).toEqual([awsEvent('CreateRoute')]);
  });

  it('holds deliveries while paused and delivers them on resume', async () => {
    const seen: string[] = [];
    const bus = new LocalBus({
      aws: async (e) => {
        seen.push((e as { detail: { eventName: string } }).detail.eventName);
        return {};
      },
    });
    bus.pause();
    bus.publish('aws', awsEvent('CreateVpc'));
    await bus.idle();
    expect(seen).toEqual([]);
    expect(bus.pending).toBe(0); // paused: nothing is due yet
    await bus.resume();
    expect(seen).toEqual(['CreateVpc']);
  });
});
