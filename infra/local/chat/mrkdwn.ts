/**
 * Slack `mrkdwn` as HTML, for the chat stand-in's page: what a person sees in Slack, not the markup
 * (`*Requester:*` was shown raw). Covers what peerkeeper's messages use and what Slack documents for it:
 * *bold*, _italic_, ~strike~, `code`, ```preformatted```, <url|label>, <@user>, <#channel>, <!date^…|fallback>,
 * Slack's &amp; &lt; &gt; escapes, line breaks, and the emoji codes peerkeeper sends.
 *
 * Emoji are drawn as coloured text badges with symbols DejaVu Sans has (✓ ✗ ℹ): Debian's Chromium brings no emoji
 * font, and a missing glyph is an empty box.
 */
const EMOJI: Record<string, string> = {
  white_check_mark: '<span class="emoji ok" title=":white_check_mark:">✓</span>',
  heavy_check_mark: '<span class="emoji ok" title=":heavy_check_mark:">✓</span>',
  x: '<span class="emoji no" title=":x:">✗</span>',
  hourglass: '<span class="emoji wait" title=":hourglass:">expired</span>',
  information_source: '<span class="emoji info" title=":information_source:">ℹ</span>',
  warning: '<span class="emoji warn" title=":warning:">⚠</span>',
};

function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Slack escapes only &, < and > in message text; undo that before escaping for HTML. */
function unslack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** One span of text outside code: links and mentions, then emphasis, then emoji. */
function inline(raw: string): string {
  const parts: string[] = [];
  let last = 0;
  for (const m of raw.matchAll(/<([^<>]+)>/g)) {
    parts.push(emphasis(html(unslack(raw.slice(last, m.index)))));
    parts.push(special(m[1]!));
    last = m.index + m[0].length;
  }
  parts.push(emphasis(html(unslack(raw.slice(last)))));
  return parts.join('');
}

function special(body: string): string {
  const [target, label] = body.split('|', 2) as [string, string | undefined];
  if (target.startsWith('@')) return `<span class="mention">@${html(label ?? target.slice(1))}</span>`;
  if (target.startsWith('#')) return `<span class="mention">#${html(label ?? target.slice(1))}</span>`;
  if (target.startsWith('!date^')) return html(unslack(label ?? target));
  if (target.startsWith('!')) return `<span class="mention">@${html(target.slice(1))}</span>`;
  if (/^(https?|mailto):/.test(target))
    return `<a href="${html(unslack(target))}">${html(unslack(label ?? target))}</a>`;
  return html(unslack(`<${body}>`));
}

function emphasis(escaped: string): string {
  return escaped
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/g, '$1<b>$2</b>')
    .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,:;!?])/g, '$1<i>$2</i>')
    .replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,:;!?])/g, '$1<s>$2</s>')
    .replace(/:([a-z0-9_+-]+):/g, (all, name: string) => EMOJI[name] ?? all);
}

/** Renders one mrkdwn text as HTML (safe to assign to innerHTML: everything not generated here is escaped). */
export function mrkdwnToHtml(text: string): string {
  const out: string[] = [];
  // Preformatted blocks first, then inline code: nothing inside them is formatted.
  text.split(/```/).forEach((chunk, i) => {
    if (i % 2 === 1) {
      out.push(`<pre>${html(unslack(chunk.replace(/^\n/, '')))}</pre>`);
      return;
    }
    chunk
      .split(/`/)
      .forEach((piece, j) => out.push(j % 2 === 1 ? `<code>${html(unslack(piece))}</code>` : inline(piece)));
  });
  return out.join('').replace(/\n/g, '<br>');
}

/** A Block Kit block as the stand-in draws it (the shapes peerkeeper sends). */
interface Block {
  type?: string;
  text?: { type?: string; text?: string };
  fields?: { type?: string; text?: string }[];
  elements?: { type?: string; text?: string | { text?: string } }[];
}

/** A message's blocks as HTML: header, sections with two-column fields, context lines. Buttons are the page's. */
export function blocksToHtml(blocks: readonly unknown[]): string {
  const text = (t: { type?: string; text?: string } | undefined) =>
    t?.text === undefined ? '' : t.type === 'plain_text' ? html(t.text) : mrkdwnToHtml(t.text);
  return (blocks as Block[])
    .map((b) => {
      if (b.type === 'header') return `<div class="header">${text(b.text)}</div>`;
      if (b.type === 'section') {
        const fields = (b.fields ?? []).map((f) => `<div class="field">${text(f)}</div>`).join('');
        return `<div class="section">${b.text ? `<div>${text(b.text)}</div>` : ''}${fields ? `<div class="fields">${fields}</div>` : ''}</div>`;
      }
      if (b.type === 'context')
        return `<div class="context">${(b.elements ?? []).map((e) => (typeof e.text === 'string' ? text({ type: e.type ?? 'mrkdwn', text: e.text }) : '')).join(' ')}</div>`;
      return '';
    })
    .join('');
}
