export interface MarkupLine {
  depth: number;
  kind: "tag" | "text" | "comment" | "declaration";
  text: string;
}

const TOKEN = /<!--[\s\S]*?-->|<![^>]*>|<\?[\s\S]*?\?>|<\/?[A-Za-z][^>]*>|[^<]+|</g;
const VOID = /^<(area|base|br|col|embed|hr|img|input|link|meta|param|source|track|wbr)\b/i;
const RAW_TEXT = /^<(script|style|textarea|title)\b/i;

/**
 * XML or HTML source split into indented lines for reading, as text: every token of the input
 * appears in order (only whitespace around tokens is dropped), so nothing is hidden and nothing is
 * interpreted.
 */
export function prettyMarkup(source: string, maxLines = 20_000): MarkupLine[] | null {
  const lines: MarkupLine[] = [];
  let depth = 0;
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(source); match; match = TOKEN.exec(source)) {
    const token = match[0];
    if (lines.length > maxLines) return null;
    if (token.startsWith("<!--")) lines.push({ depth, kind: "comment", text: token });
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
