/**
 * The chat stand-in's page: the #networks channel (approval messages with Approve / Reject) beside the live
 * topology picture. Plain HTML and a few lines of script, no external assets; it polls once a second.
 */
export function chatPage(defaultUser: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>peerkeeper local chat</title>
<style>
body{font:14px system-ui,'DejaVu Sans',sans-serif;margin:0;display:flex;min-height:100vh;background:#f4f4f6;color:#1d1c1d}
#chat{flex:0 0 400px;box-sizing:border-box;padding:16px;background:#fff;border-right:1px solid #ddd;overflow:auto}
#picture{flex:1;min-width:0;padding:16px;overflow:auto}
#topology svg{max-width:100%;height:auto}
.msg{border:1px solid #e2e2e2;border-radius:6px;padding:10px;margin:10px 0;overflow-wrap:anywhere}
.msg .header{font-weight:700;font-size:15px;margin-bottom:6px}
.msg .section{margin:6px 0}
.msg .fields{display:grid;grid-template-columns:1fr 1fr;gap:6px 12px;margin-top:4px}
.msg .context{font-size:12px;color:#616061;margin:6px 0 8px}
.msg code{font:12px 'DejaVu Sans Mono',monospace;background:#f6f6f6;border:1px solid #e8e8e8;border-radius:3px;padding:0 3px;color:#c7254e}
.msg pre{white-space:pre-wrap;font:12px 'DejaVu Sans Mono',monospace;background:#f6f6f6;padding:6px;margin:4px 0}
.mention{background:#e8f5fa;color:#1264a3;border-radius:3px;padding:0 2px}
.emoji{display:inline-block;min-width:1.2em;padding:0 3px;border-radius:3px;text-align:center;font-weight:700;color:#fff;font-size:12px}
.emoji.ok{background:#2e7d32}.emoji.no{background:#c62828}.emoji.wait{background:#8d6e63}.emoji.info{background:#1565c0}.emoji.warn{background:#ef6c00}
button{margin-right:8px;padding:6px 14px;border-radius:4px;border:1px solid #999;cursor:pointer;background:#fff}
button.approve{background:#007a5a;color:#fff;border-color:#007a5a}
button.reject{background:#e01e5a;color:#fff;border-color:#e01e5a}
#outcome{color:#555;min-height:1.5em}
label{font-size:12px;color:#555}
</style></head>
<body>
<section id="chat"><h2>#networks</h2>
<label>Clicking as <input id="user" value="${defaultUser}" size="12"></label>
<div id="outcome" role="status"></div>
<div id="messages"></div></section>
<section id="picture"><h2>Topology</h2><div id="topology">loading…</div></section>
<script>
const seen = {};
function render(messages) {
  const box = document.getElementById('messages');
  box.replaceChildren(...messages.map((m) => {
    const div = document.createElement('div');
    div.className = 'msg';
    div.dataset.ts = m.ts;
    const body = document.createElement('div');
    body.className = 'body';
    body.innerHTML = m.html; // rendered and escaped by the server (infra/local/chat/mrkdwn.ts)
    div.append(body);
    for (const b of m.buttons) {
      const button = document.createElement('button');
      button.textContent = b.text;
      button.className = b.actionId.endsWith('approve') ? 'approve' : 'reject';
      button.onclick = () => click(m.ts, b.actionId);
      div.append(button);
    }
    return div;
  }));
}
async function click(ts, actionId) {
  const user = document.getElementById('user').value;
  const res = await fetch('/click', { method: 'POST', body: JSON.stringify({ ts, actionId, user }) });
  const out = await res.json();
  document.getElementById('outcome').textContent = out.status === 200 ? 'Sent (signed) to the approval endpoint.' : 'Refused: ' + out.status + ' ' + out.body;
  await refresh();
}
async function refresh() {
  try {
    const state = await (await fetch('/messages.json')).json();
    const key = JSON.stringify(state.messages);
    if (seen.messages !== key) { seen.messages = key; render(state.messages); }
    const last = state.ephemerals[state.ephemerals.length - 1];
    if (last && seen.ephemeral !== state.ephemerals.length) { seen.ephemeral = state.ephemerals.length; document.getElementById('outcome').innerHTML = last.html; }
    const svg = await (await fetch('/topology.svg')).text();
    if (seen.svg !== svg) { seen.svg = svg; document.getElementById('topology').innerHTML = svg; }
  } catch (e) { document.getElementById('outcome').textContent = 'local cloud unreachable'; }
}
refresh();
setInterval(refresh, 1000);
</script></body></html>`;
}
