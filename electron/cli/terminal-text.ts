// Makes untrusted text (author names, file names, catalog fields, CSV cells inside errors) safe to print on a
// terminal: every control a terminal acts on is shown as a visible escape instead of being sent raw.

/**
 * C0 controls (incl. ESC, which starts CSI/OSC sequences such as OSC 8 links and OSC 52 clipboard writes, and
 * newlines, which would let a name fake an output line), DEL, C1 controls (U+0080–U+009F: 8-bit CSI, OSC, ST),
 * and the bidi overrides/isolates and line/paragraph separators that reorder or break what a reader sees.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The text with each terminal control replaced by a visible `\xHH` / `\u{HHHH}` escape; `\` itself stays. */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, (ch) => {
    const code = ch.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}
