// A README excerpt that is safe to show from an untrusted repository: markdown without raw HTML or images (so no
// remote image or script can load), cut at a paragraph boundary. Links stay as [text](url); the renderer decides.

export interface ExcerptOptions {
  /** The most characters the excerpt has (default 2,000). */
  readonly maxChars?: number;
}

/** Elements dropped with everything inside them: their content is code or markup, never prose. */
const DROPPED_WITH_CONTENT = ['script', 'style', 'svg', 'math', 'iframe', 'object', 'noscript', 'template', 'textarea', 'title', 'head'];

/** Tags never kept, even as plain `<name>` in code: they run, load, restyle or swallow the page. */
const NEVER_KEPT = new Set([
  ...DROPPED_WITH_CONTENT,
  'applet', 'audio', 'base', 'body', 'button', 'embed', 'form', 'frame', 'frameset', 'html', 'image', 'img', 'input',
  'link', 'meta', 'noembed', 'noframes', 'picture', 'plaintext', 'portal', 'select', 'source', 'track', 'video', 'xmp',
]);

/** Link targets kept as links; any other scheme (javascript:, data:, vbscript:, file:) leaves only the text. */
const SAFE_LINK = /^(https?:|mailto:|#|\/|\.{0,2}\/|[^:/?#]+(?:[/?#]|$))/i;

/**
 * Markdown → a sanitized excerpt of at most `maxChars` characters, cut at a paragraph boundary. Guarantees: no
 * `![` (markdown image) anywhere; no HTML comment, declaration or tag, except a bare `<name>` without attributes
 * inside code (`images/<digit>/`, `List<String>`), which is harmless even where a renderer would take it for HTML.
 */
export function markdownExcerpt(markdown: string, options: ExcerptOptions = {}): string {
  const maxChars = Math.max(1, Math.floor(options.maxChars ?? 2000));
  let text = markdown.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  // Every step only removes characters, so repeating until nothing changes ends; the repeat catches markup that
  // an earlier removal put together (`<<b>script>`, `!<i></i>[x](y)`, `<[](javascript:x)svg onload=…>`).
  for (let i = 0; i < 100; i++) {
    const next = sanitizeOnce(text);
    if (next === text) break;
    text = next;
  }
  text = text
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return cut(text, maxChars);
}

function sanitizeOnce(input: string): string {
  let s = splitCode(input)
    .map((segment) => (segment.code ? sanitizeCode(segment.text) : sanitizeProse(segment.text)))
    .join('');
  // Images and links are handled across code and prose alike, so that code inside a link's text cannot hide it.
  // Images: ![alt](src), ![alt][ref], ![alt] → [alt]; then no `![` may remain at all.
  s = s.replace(/!\[([^\]\n]*)\](?:\([^)\n]*\)|\[[^\]\n]*\])?/g, (_m, alt: string) => (alt.trim() ? `[${alt.trim()}]` : ''));
  s = s.replace(/!\[/g, '[');
  // Links whose target is not http(s), mailto or relative keep only their text.
  s = s.replace(/\[([^\]\n]*)\]\(\s*<?((?:[^\s()<>]|\([^\s()<>]*\))*)>?(?:\s+(?:"[^"\n]*"|'[^'\n]*'))?\s*\)/g, (link, label: string, target: string) =>
    SAFE_LINK.test(target) ? link : label,
  );
  return s;
}

function sanitizeProse(input: string): string {
  let s = input;
  // Comments, CDATA, declarations and processing instructions; an unterminated one runs to the end (as in HTML).
  s = s.replace(/<!--[\s\S]*?(?:-->|$)/g, '');
  s = s.replace(/<!\[CDATA\[[\s\S]*?(?:\]\]>|$)/g, '');
  s = s.replace(/<![A-Za-z][^>]*(?:>|$)/g, '');
  s = s.replace(/<\?[\s\S]*?(?:\?>|$)/g, '');
  for (const tag of DROPPED_WITH_CONTENT) {
    s = s.replace(new RegExp(`<${tag}\\b[^>]*>[\\s\\S]*?(?:<\\/${tag}\\s*>|$)`, 'gi'), '');
  }
  // <img alt="Logo"> keeps its words, as a markdown image does.
  s = s.replace(/<img\b[^>]*>/gi, (tag) => {
    const alt = /\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i.exec(tag);
    const words = (alt?.[1] ?? alt?.[2] ?? alt?.[3] ?? '').replace(/[[\]<>]/g, '').trim();
    return words ? `[${words}]` : '';
  });
  // Autolinks <https://…> and <name@host> become the bare address.
  s = s.replace(/<((?:https?|mailto):[^\s<>]*)>/gi, '$1');
  s = s.replace(/<([\w.+-]+@[\w-]+(?:\.[\w-]+)+)>/g, '$1');
  // Any other tag, open or close, goes; its text stays.
  s = s.replace(/<\/?[A-Za-z][A-Za-z0-9:-]*(?:\s[^>]*)?\/?>/g, '');
  // Whatever is left that could still open a tag (`<script` with no `>`): drop the `<`.
  return s.replace(/<(?=[A-Za-z/!?])/g, '');
}

/** In code, `<name>` without attributes is text worth keeping; anything else that could be HTML goes. */
function sanitizeCode(input: string): string {
  return input.replace(/<(\/?)([A-Za-z][A-Za-z0-9-]*)([^<>]*)>|<(?=[A-Za-z/!?])/g, (m, _slash, name: string | undefined, rest: string | undefined) =>
    name !== undefined && !/[="'`]/.test(rest ?? '') && !NEVER_KEPT.has(name.toLowerCase()) ? m : '',
  );
}

interface Segment {
  readonly code: boolean;
  readonly text: string;
}

/** Fenced code blocks (``` or ~~~ at the start of a line) and code spans (`…`, ``…``) apart from the prose. */
function splitCode(text: string): Segment[] {
  const segments: Segment[] = [];
  const lines = text.split('\n');
  let prose: string[] = [];
  const flushProse = () => {
    if (prose.length) splitSpans(prose.join('\n') + '\n', segments);
    prose = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (!fence || (fence[0] === '`' && line.slice(line.indexOf(fence) + fence.length).includes('`'))) {
      prose.push(line);
      continue;
    }
    flushProse();
    const block = [line];
    while (++i < lines.length) {
      const inner = lines[i]!;
      block.push(inner);
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(inner)?.[1];
      if (close && close[0] === fence[0] && close.length >= fence.length) break;
    }
    segments.push({ code: true, text: block.join('\n') + '\n' });
  }
  flushProse();
  const joined = segments.map((s) => s.text).join('');
  // The split added a newline after the last line; take it back.
  if (joined.length > text.length) {
    const last = segments.at(-1)!;
    segments[segments.length - 1] = { code: last.code, text: last.text.slice(0, -1) };
  }
  return segments;
}

/** Code spans: a run of n backticks up to the next run of exactly n, within one paragraph. */
function splitSpans(text: string, segments: Segment[]): void {
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\') {
      i += 2;
      continue;
    }
    if (ch !== '`') {
      i++;
      continue;
    }
    let j = i;
    while (text[j] === '`') j++;
    const close = closingRun(text, j, j - i);
    if (close === -1) {
      i = j;
      continue;
    }
    if (i > start) segments.push({ code: false, text: text.slice(start, i) });
    segments.push({ code: true, text: text.slice(i, close + (j - i)) });
    i = start = close + (j - i);
  }
  if (start < text.length) segments.push({ code: false, text: text.slice(start) });
}

function closingRun(text: string, from: number, length: number): number {
  const paragraphEnd = text.slice(from).search(/\n[ \t]*\n/);
  const end = paragraphEnd === -1 ? text.length : from + paragraphEnd;
  let k = from;
  while (k < end) {
    const at = text.indexOf('`', k);
    if (at === -1 || at >= end) return -1;
    let e = at;
    while (text[e] === '`') e++;
    if (e - at === length) return at;
    k = e;
  }
  return -1;
}

/** The longest run of whole paragraphs within `max`; a first paragraph that is too long is cut at a word. */
function cut(text: string, max: number): string {
  if (text.length <= max) return closeFence(text, max);
  const paragraphs = text.split(/\n\n/);
  let out = '';
  for (const p of paragraphs) {
    const next = out ? `${out}\n\n${p}` : p;
    if (next.length > max - 4) break; // room to close a code fence
    out = next;
  }
  if (!out) {
    const room = text.slice(0, max - 5);
    const atWord = room.replace(/\s+\S*$/, '');
    out = `${(atWord.length >= room.length / 2 ? atWord : room).trimEnd()}…`;
  }
  return closeFence(out, max);
}

/** An excerpt that ends inside a ``` or ~~~ block gets the fence closed, so the rest of a page is not code. */
function closeFence(text: string, max: number): string {
  let open: string | null = null;
  for (const line of text.split('\n')) {
    const fence = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (!fence) continue;
    if (open === null) open = fence;
    else if (fence[0] === open[0] && fence.length >= open.length) open = null;
  }
  if (open === null) return text;
  const closed = `${text}\n${open}`;
  return closed.length <= max ? closed : text;
}
