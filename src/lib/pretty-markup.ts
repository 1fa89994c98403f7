export interface MarkupLine {
  depth: number;
  kind: "tag" | "text" | "comment" | "declaration" | "cdata";
  text: string;
}

// Order matters: comments, CDATA sections and processing instructions end at their own closer,
// not at the first `>` (their content may hold `>`), and a tag's quoted attribute values may too.
// Anything else starting with `<` that matches none of these is kept as a lone `<` text token.
const TOKEN =
  /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<\?[\s\S]*?(?:\?>|$)|<![^>[]*(?:\[[\s\S]*?\]\s*)?>|<\/?[A-Za-z](?:[^>"']|"[^"]*"|'[^']*')*>|[^<]+|</g;
const VOID = /^<(area|base|br|col|embed|hr|img|input|link|meta|param|source|track|wbr)\b/i;
const RAW_TEXT = /^<(script|style|textarea|title)\b/i;

/**
 * XML or HTML source split into indented lines for reading, as text: every token of the input
 * appears in order and verbatim (only whitespace between tokens is dropped), so nothing is hidden,
 * nothing is interpreted and no token is ever split: a comment, CDATA section or processing
 * instruction is one line however many `>` or line breaks it holds.
 */
export function prettyMarkup(source: string, maxLines = 20_000): MarkupLine[] | null {
  const lines: MarkupLine[] = [];
  let depth = 0;
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(source); match; match = TOKEN.exec(source)) {
    const token = match[0];
    if (lines.length > maxLines) return null;
    if (token.startsWith("<!--")) lines.push({ depth, kind: "comment", text: token });
    else if (token.startsWith("<![CDATA[")) lines.push({ depth, kind: "cdata", text: token });
    else if (token.startsWith("<!") || token.startsWith("<?")) lines.push({ depth, kind: "declaration", text: token });
    else if (token.startsWith("</")) {
      depth = Math.max(0, depth - 1);
      lines.push({ depth, kind: "tag", text: token });
    } else if (token.length > 1 && token.startsWith("<")) {
      lines.push({ depth, kind: "tag", text: token });
      const selfClosing = token.endsWith("/>") || VOID.test(token);
      if (!selfClosing) depth += 1;
      const raw = RAW_TEXT.exec(token);
      if (raw?.[1] && !selfClosing) {
        // Script and style bodies are not markup: one opaque text line up to the closing tag.
        const close = source.toLowerCase().indexOf(`</${raw[1].toLowerCase()}`, TOKEN.lastIndex);
        const end = close === -1 ? source.length : close;
        const content = source.slice(TOKEN.lastIndex, end);
        if (content.trim() !== "") lines.push({ depth, kind: "text", text: content.trim() });
        TOKEN.lastIndex = end;
      }
    } else if (token.trim() !== "") {
      lines.push({ depth, kind: "text", text: token.trim() });
    }
  }
  return lines;
}

export function looksLikeMarkup(text: string): boolean {
  return /^\s*<(?:\?xml|!doctype|!--|[A-Za-z])/i.test(text);
}
