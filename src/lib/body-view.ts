export type BodyView =
  | { kind: "empty" }
  | { kind: "json"; text: string }
  | { kind: "text"; text: string }
  | { kind: "binary" };

// Control characters other than tab, newline and carriage return mark a body as binary.
const BINARY_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/** How to show a body: pretty JSON, text when it is valid UTF-8 without control bytes, else hex. */
export function viewBody(bytes: Uint8Array, contentType: string | null): BodyView {
  if (bytes.length === 0) return { kind: "empty" };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return { kind: "binary" };
  }
  if (BINARY_CONTROL.test(text)) return { kind: "binary" };
  const looksJson = /json/i.test(contentType ?? "") || /^\s*[[{]/.test(text);
  if (looksJson) {
    try {
      JSON.parse(text);
      return { kind: "json", text: prettyJson(text) };
    } catch {
      // Declared JSON that does not parse is shown exactly as sent.
    }
  }
  return { kind: "text", text };
}

/**
 * Re-indents valid JSON without parsing its values: numbers beyond 2^53, `1.0`, duplicate keys and
 * escapes stay exactly as the sender wrote them (JSON.parse + stringify would change all four).
 */
export function prettyJson(text: string, indent = "  "): string {
  let out = "";
  let depth = 0;
  const newline = () => `\n${indent.repeat(depth)}`;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] as string;
    if (char === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      out += text.slice(i, end + 1);
      i = end;
    } else if (char === "{" || char === "[") {
      const close = char === "{" ? "}" : "]";
      let next = i + 1;
      while (/\s/.test(text[next] ?? "")) next += 1;
      if (text[next] === close) {
        out += char + close;
        i = next;
      } else {
        depth += 1;
        out += char + newline();
      }
    } else if (char === "}" || char === "]") {
      depth -= 1;
      out += newline() + char;
    } else if (char === ",") {
      out += "," + newline();
    } else if (char === ":") {
      out += ": ";
    } else if (!/\s/.test(char)) {
      out += char;
    }
  }
  return out;
}

/** Classic hex dump: offset, 16 bytes in hex, printable ASCII. */
export function hexDump(bytes: Uint8Array, maxBytes = 64 * 1024): string {
  const lines: string[] = [];
  const end = Math.min(bytes.length, maxBytes);
  for (let offset = 0; offset < end; offset += 16) {
    const row = bytes.subarray(offset, Math.min(offset + 16, end));
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, "0")).join(" ");
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join("");
    lines.push(`${offset.toString(16).padStart(8, "0")}  ${hex.padEnd(47)}  ${ascii}`);
  }
  return lines.join("\n");
}

export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Query parameters in order, repeated keys kept, decoded for reading. */
export function queryPairs(query: string): [string, string][] {
  return [...new URLSearchParams(query).entries()];
}

export type BodyViewKind = "json" | "markup" | "form" | "multipart" | "image" | "text" | "raw" | "hex";

export const BODY_VIEW_LABELS: Record<BodyViewKind, string> = {
  json: "JSON",
  markup: "XML/HTML",
  form: "Form",
  multipart: "Multipart",
  image: "Image",
  text: "Text",
  raw: "Raw",
  hex: "Hex",
};

const IMAGE_MAGIC: [string, number[]][] = [
  ["image/png", [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ["image/jpeg", [0xff, 0xd8, 0xff]],
  ["image/gif", [0x47, 0x49, 0x46, 0x38]],
];

/**
 * The image type the bytes themselves prove (png, jpeg, gif, webp), whatever the sender declared:
 * previews use this type, so a body labelled image/png that is really HTML or SVG never renders.
 */
export function sniffImageType(bytes: Uint8Array): string | null {
  for (const [type, magic] of IMAGE_MAGIC) if (magic.every((b, i) => bytes[i] === b)) return type;
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "image/webp";
  return null;
}

export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Which views make sense for a body, and which to open first: from the Content-Type, then from
 * sniffing. Raw and hex are always offered; binary bodies open in hex.
 */
export function bodyViews(bytes: Uint8Array, contentType: string | null): { views: BodyViewKind[]; preferred: BodyViewKind } {
  const type = (contentType ?? "").toLowerCase();
  if (sniffImageType(bytes)) return { views: ["image", "hex", "raw"], preferred: "image" };
  if (type.startsWith("multipart/")) return { views: ["multipart", "raw", "hex"], preferred: "multipart" };
  const text = decodeUtf8(bytes);
  if (text === null || BINARY_CONTROL.test(text)) return { views: ["hex", "raw"], preferred: "hex" };
  const views: BodyViewKind[] = [];
  const jsonish = /json/.test(type) || /^\s*[[{]/.test(text);
  if (jsonish && isJson(text)) views.push("json");
  if (/xml|html/.test(type) || looksLikeMarkupText(text)) views.push("markup");
  if (type.startsWith("application/x-www-form-urlencoded")) views.push("form");
  views.push("text", "raw", "hex");
  return { views, preferred: views[0] ?? "text" };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function looksLikeMarkupText(text: string): boolean {
  return /^\s*<(?:\?xml|!doctype|[A-Za-z][\w:-]*[\s>/])/i.test(text);
}
