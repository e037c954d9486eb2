import { createHash } from 'node:crypto';
import type { Action, ActionKind, NetworkRef, Plan } from '../model';
import { describeScope, isAttachmentAction, isMutating } from '../model';
import { incompleteVerdict } from '../model/plan-completeness';

const SYMBOL: Readonly<Record<ActionKind, string>> = {
  'create-peering': '+',
  'create-route': '+',
  'accept-peering': '✓',
  'reject-peering': '✗',
  'delete-peering': '-',
  'delete-route': '-',
  'replace-route': '~',
  'update-peering': '~',
  'request-approval': '?',
  report: '!',
  'create-attachment': '+',
  'accept-attachment': '✓',
  'reject-attachment': '✗',
  'update-attachment': '~',
  'delete-attachment': '-',
};
// ANSI colours, used only on a TTY: green adds, yellow changes, red removes, cyan asks, grey reports.
const COLOUR: Readonly<Record<string, string>> = {
  '+': '32',
  '✓': '32',
  '~': '33',
  '-': '31',
  '✗': '31',
  '?': '36',
  '!': '90',
};

function ref(r: NetworkRef): string {
  const id = r.cloud === 'azure' ? (r.id.split('/').pop() ?? r.id) : r.id;
  return `${r.account}/${r.region}/${id}`;
}

function subject(a: Action): string {
  if (a.action === 'report') return a.target.subject;
  if (a.action === 'create-route' || a.action === 'replace-route' || a.action === 'delete-route') {
    const t = a.target;
    const via =
      a.action === 'delete-route'
        ? ''
        : ` → ${a.after.kind === 'peering' ? (a.after.peering.id ?? 'new peering') : a.after.id}`;
    return `${ref(t.network)} ${t.routeTableId} ${t.destination}${via}`;
  }
  if (isAttachmentAction(a)) {
    const t = a.target;
    return `${t.id ? `${t.id} ` : ''}${ref(t.network)} → hub ${ref(t.hub)}`;
  }
  const t = a.target;
  return `${t.id ? `${t.id} ` : ''}${ref(t.requester)} ⇄ ${ref(t.accepter)}`;
}

/**
 * One action as the plan prints it, without the reason: `✗ reject-peering   aws   pcx-… 555…/us-east-1/vpc-… ⇄ …`.
 * Apply's result lines start with the same text, so a line of one is found in the other.
 */
export function describeAction(a: Action): string {
  return `${SYMBOL[a.action]} ${a.action.padEnd(16)} ${a.cloud.padEnd(5)} ${subject(a)}`;
}

/** Counts of changes by kind (reports are findings, not changes). */
export function countChanges(plan: Plan): { changes: number; findings: number } {
  const changes = plan.actions.filter((a) => isMutating(a) || a.action === 'request-approval').length;
  return { changes, findings: plan.actions.length - changes };
}

/** Renders a plan for humans, like `terraform plan`: one line per action and its reason. */
export function renderPlan(plan: Plan, options: { color?: boolean } = {}): string {
  const paint = (sym: string, text: string) =>
    options.color && COLOUR[sym] ? `\u001b[${COLOUR[sym]}m${text}\u001b[0m` : text;
  const lines: string[] = [];
  const held = plan.held ?? [];
  lines.push(
    `peerkeeper plan · scope ${describeScope(plan.scope)} · ${plan.complete ? 'observation complete' : `OBSERVATION INCOMPLETE: ${held.length} held`} · mode ${plan.mode}`,
  );
  lines.push('');
  for (const a of plan.actions) {
    const sym = SYMBOL[a.action];
    lines.push(paint(sym, `  ${sym} ${a.action.padEnd(16)} ${a.cloud.padEnd(5)} ${subject(a)}`));
    lines.push(`      ${a.reason}`);
  }
  if (held.length > 0) {
    lines.push('', 'Held (each depends on a partition that was not read completely; never executed):');
    for (const h of held) {
      lines.push(`  ⏸ ${h.action.action.padEnd(16)} ${h.action.cloud.padEnd(5)} ${subject(h.action)}`);
      lines.push(`      ${h.action.reason}`, `      ${h.reason}`);
    }
  }
  for (const p of plan.problems) lines.push(`  ${p.severity}: ${p.message}`);
  const { changes, findings } = countChanges(plan);
  if (plan.actions.length > 0 || plan.problems.length > 0) lines.push('');
  if (changes === 0 && !plan.complete) {
    lines.push(incompleteVerdict(plan));
  } else if (changes === 0) {
    lines.push(
      `No changes. The estate matches the policy${findings ? ` (${findings} finding${findings === 1 ? '' : 's'} reported)` : ''}.`,
    );
  } else {
    const by = new Map<string, number>();
    for (const a of plan.actions) if (a.action !== 'report') by.set(a.action, (by.get(a.action) ?? 0) + 1);
    const parts = [...by.entries()].map(([k, n]) => `${n} ${k}`);
    lines.push(
      `Plan: ${changes} change${changes === 1 ? '' : 's'} (${parts.join(', ')})${findings ? `; ${findings} finding${findings === 1 ? '' : 's'}` : ''}.`,
    );
    if (!plan.complete) lines.push(incompleteVerdict(plan));
  }
  return lines.join('\n') + '\n';
}

/** A short content hash of a plan, recorded with every audit entry. */
export function planHash(plan: Plan): string {
  // The hash of `JSON.stringify(plan)`, fed a list element at a time: the plan of a 1M-network estate can be past what
  // one string holds (~512 MiB), and is never needed as one. The bytes hashed are the same, so the hash is too.
  const hash = createHash('sha256');
  let pending: string[] = [];
  let size = 0;
  const feed = (text: string) => {
    pending.push(text);
    size += text.length;
    if (size >= 1 << 20) {
      hash.update(pending.join(''));
      pending = [];
      size = 0;
    }
  };
  let first = true;
  feed('{');
  for (const [key, value] of Object.entries(plan) as [string, unknown][]) {
    if (!Array.isArray(value)) {
      const text = JSON.stringify(value) as string | undefined; // undefined, a function or a symbol: no member
      if (text === undefined) continue;
      feed(`${first ? '' : ','}${JSON.stringify(key)}:${text}`);
    } else {
      feed(`${first ? '' : ','}${JSON.stringify(key)}:[`);
      for (let i = 0; i < value.length; i++) feed(`${i === 0 ? '' : ','}${JSON.stringify(value[i]) ?? 'null'}`);
      feed(']');
    }
    first = false;
  }
  feed('}');
  hash.update(pending.join(''));
  return hash.digest('hex').slice(0, 16);
}
