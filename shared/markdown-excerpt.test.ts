import { describe, expect, it } from 'vitest';
import { markdownExcerpt } from './markdown-excerpt.js';

/** What no excerpt may contain: a markdown image, or a `<` opening a tag, comment or declaration outside code. */
function expectInert(out: string): void {
  expect(out).not.toContain('![');
  expect(out).not.toMatch(/<[!?]/);
  expect(out).not.toMatch(/<\/?(script|img|iframe|svg|style|object)\b/i);
  expect(out).not.toMatch(/<[^>]*\bon[a-z]+\s*=/i);
}

describe('markdownExcerpt', () => {
  it('drops <script> and <style> with their content, and keeps the text around them', () => {
    const out = markdownExcerpt('Before <script>alert("x")</script> after.\n\n<style>body { display: none }</style>Styled.');
    expect(out).toBe('Before  after.\n\nStyled.');
    expectInert(out);
  });

  it('drops <img> tags (keeping their alt text) and markdown images (their alt text in brackets)', () => {
    const md = [
      '<p align="center"><img src="https://tracker.example/logo.png" alt="Project logo" width="120"></p>',
      '',
      '# Title',
      '',
      'A chart: ![accuracy chart](http://evil.example/pixel.gif "t") and ![](https://x/y.png) and ![ref image][logo].',
      '',
      '[![build](https://ci.example/badge.svg)](https://ci.example/run)',
      '',
      '[logo]: https://x/logo.png',
    ].join('\n');
    const out = markdownExcerpt(md);
    expect(out).toContain('[Project logo]');
    expect(out).toContain('A chart: [accuracy chart] and  and [ref image].');
    expect(out).toContain('[[build]](https://ci.example/run)');
    expect(out).not.toMatch(/pixel\.gif|badge\.svg|tracker\.example/);
    expectInert(out);
  });

  it('strips raw HTML (tags, comments, declarations) but keeps the words inside', () => {
    const md = '<!DOCTYPE html><div class="intro"><b>Bold</b> and <a href="https://a.example">a link</a></div>\n<!-- secret note -->\nVisible <?php echo 1 ?>text';
    const out = markdownExcerpt(md);
    expect(out).toBe('Bold and a link\n\nVisible text');
    expectInert(out);
  });

  it('keeps links as text + URL, turns autolinks into addresses, and drops the target of javascript:/data: links', () => {
    const out = markdownExcerpt(
      'See [the docs](https://docs.example/a_(b)) and [license](LICENSE), <https://auto.example/x>, <me@example.org>.\n\n' +
        '[click](javascript:alert(document.cookie)) [data](data:text/html;base64,PHNjcmlwdD4=) [`code`](vbscript:x)',
    );
    expect(out).toBe(
      'See [the docs](https://docs.example/a_(b)) and [license](LICENSE), https://auto.example/x, me@example.org.\n\nclick data `code`',
    );
    expectInert(out);
  });

  it('does not let removals assemble new markup, nor unclosed tags survive', () => {
    const tricky = [
      '<<b>script>alert(1)<</b>/script>',
      '!<i></i>[pixel](http://evil.example/p.gif)',
      '<[](javascript:x)img src=x onerror=alert(1)>',
      '<img src=x onerror=alert(1)',
      '<scr<script>x</script>ipt>alert(2)</script>',
      '<!-- never closed <script>alert(3)</script>',
    ];
    for (const md of tricky) expectInert(markdownExcerpt(md));
    expect(markdownExcerpt('!<i></i>[pixel](http://evil.example/p.gif)')).toBe('[pixel]');
  });

  it('keeps code: `<name>` placeholders survive inside code spans and fences, dangerous tags do not', () => {
    const md = 'Images live in `images/train/<digit>/`; types like `List<String>`.\n\n```html\n<div>hi</div>\n<img src=x onerror=alert(1)>\n<script>bad()</script>\n```\n\nOutside: <digit> goes.';
    const out = markdownExcerpt(md);
    expect(out).toContain('`images/train/<digit>/`');
    expect(out).toContain('`List<String>`');
    expect(out).toContain('<div>hi</div>');
    expect(out).toContain('Outside:  goes.');
    expectInert(out);
  });

  it('cuts at a paragraph boundary within the limit, closing a fence it cut into', () => {
    const paragraphs = Array.from({ length: 30 }, (_, i) => `Paragraph ${i} ${'word '.repeat(15).trim()}.`);
    const out = markdownExcerpt(paragraphs.join('\n\n'), { maxChars: 500 });
    expect(out.length).toBeLessThanOrEqual(500);
    expect(out.endsWith('word.')).toBe(true);
    expect(out.split('\n\n').every((p, i) => p === paragraphs[i])).toBe(true);

    const fenced = markdownExcerpt(`Intro\n\n\`\`\`\n${'code line\n\n'.repeat(100)}\`\`\``, { maxChars: 200 });
    expect(fenced.length).toBeLessThanOrEqual(200);
    expect(fenced.endsWith('\n```')).toBe(true);
  });

  it('cuts a first paragraph longer than the limit at a word, with an ellipsis', () => {
    const out = markdownExcerpt('alpha '.repeat(100), { maxChars: 50 });
    expect(out.length).toBeLessThanOrEqual(50);
    expect(out).toMatch(/^(alpha )+alpha…$/);
  });

  it('keeps plain markdown as it is (headings, lists, emphasis), trimmed', () => {
    const md = '# Iris\n\nClassifies *iris* flowers.\n\n- four features\n- three species\n';
    expect(markdownExcerpt(md)).toBe(md.trim());
    expect(markdownExcerpt('')).toBe('');
  });
});
