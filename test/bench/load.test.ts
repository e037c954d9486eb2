import { runLoad } from './load.bench';

describe('load through the real AWS network-event handler (small: the full 10k run is `npm run bench`)', () => {
  it('replays 500 events in bursts of 100: none lost, none dead-lettered, the estate converges', async () => {
    const r = await runLoad({ events: 500, burst: 100, concurrency: 8, spokes: 40 });
    expect(r.events).toBe(500);
    expect(r.lost).toBe(0);
    expect(r.deadLettered).toBe(0);
    expect(r.reconciled + r.ignored).toBe(500);
    expect(r.converged).toBe(true);
    expect(r.writes).toBeGreaterThan(40 * 3); // every spoke got its peering, accept and routes: the events did work
  });
});
