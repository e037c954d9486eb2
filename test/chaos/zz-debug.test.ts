import { memoryScenario } from './memory-target';
import { runScenario } from './scenario';
import { reconcileScope } from '../../shared/reconcile';
import { renderPlan } from '../../shared/planner';

it('debug', async () => {
  const seed = Number(process.env.SEED);
  const s = memoryScenario(seed);
  const before = s.memory.snapshot();
  console.log(JSON.stringify(s.policy.unmatchedRequests), JSON.stringify(before.peerings.map(p => [p.id, p.requester.account, p.requester.id, p.accepter.account, p.accepter.id, p.state, p.tags])), JSON.stringify(before.networks.map(n => [n.ref.account, n.ref.id, n.cidrs, n.tags, n.routeTables.map(t => [t.id, t.routes.filter(r=>r.origin==='static')])])));
  const logs: string[] = [];
  const out = await runScenario({ ...s, reconcile: async (scope, deps, trig) => { const r = await reconcileScope(scope, deps, trig); if (scope.kind === 'estate') logs.length = 0; if (r.writes > 0 || r.plan.actions.some(a => a.action === 'reject-peering')) logs.push(JSON.stringify(scope) + '\n' + renderPlan(r.plan) + '\n' + r.results.map(x => x.status).join(',')); return r; } });
  console.log(logs.join('\n----\n'));
  console.log(JSON.stringify(out.violations));
});
