/**
 * JSON as a tree whose leaves keep the sender's exact spelling: numbers beyond 2^53, `1.0`,
 * escapes and duplicate keys survive (JSON.parse would change all four).
 */
export type JsonNode =
  | { kind: "object"; entries: { key: string; value: JsonNode }[] }
  | { kind: "array"; items: JsonNode[] }
  | { kind: "string" | "number" | "literal"; raw: string };

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const WHITESPACE = /[ \t\n\r]*/y;

/** The tree, or null when the text is not valid JSON. `maxNodes` bounds work on huge bodies. */
export function parseJsonTree(text: string, maxNodes = 50_000): JsonNode | null {
  let pos = 0;
  let nodes = 0;
  const skip = () => {
    WHITESPACE.lastIndex = pos;
    WHITESPACE.exec(text);
    pos = WHITESPACE.lastIndex;
  };
  const token = (pattern: RegExp): string | null => {
    pattern.lastIndex = pos;
    const match = pattern.exec(text);
    if (!match) return null;
    pos = pattern.lastIndex;
    return match[0];
  };
  const value = (depth: number): JsonNode => {
    if (++nodes > maxNodes || depth > 500) throw new Error("too large");
    skip();
    const char = text[pos];
    if (char === "{") {
      pos += 1;
      const entries: { key: string; value: JsonNode }[] = [];
      skip();
      if (text[pos] === "}") {
        pos += 1;
        return { kind: "object", entries };
      }
      for (;;) {
        skip();
        const key = token(STRING);
        if (key === null) throw new Error("key");
        skip();
        if (text[pos] !== ":") throw new Error(":");
        pos += 1;
        entries.push({ key, value: value(depth + 1) });
        skip();
        if (text[pos] === ",") pos += 1;
        else if (text[pos] === "}") {
          pos += 1;
          return { kind: "object", entries };
        } else throw new Error("object");
      }
    }
    if (char === "[") {
      pos += 1;
      const items: JsonNode[] = [];
      skip();
      if (text[pos] === "]") {
        pos += 1;
        return { kind: "array", items };
      }
      for (;;) {
        items.push(value(depth + 1));
        skip();
        if (text[pos] === ",") pos += 1;
        else if (text[pos] === "]") {
          pos += 1;
          return { kind: "array", items };
        } else throw new Error("array");
      }
    }
    if (char === '"') {
      const raw = token(STRING);
      if (raw === null) throw new Error("string");
      return { kind: "string", raw };
    }
    for (const literal of ["true", "false", "null"]) {
      if (text.startsWith(literal, pos)) {
        pos += literal.length;
        return { kind: "literal", raw: literal };
      }
    }
    const raw = token(NUMBER);
    if (raw === null) throw new Error("value");
    return { kind: "number", raw };
  };
  try {
    const root = value(0);
    skip();
    return pos === text.length ? root : null;
  } catch {
    return null;
  }
}
