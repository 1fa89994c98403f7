const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** "Name: value" lines, as a person types header overrides, into pairs; blank lines are skipped. */
export function parseHeaderLines(text: string): { ok: true; pairs: [string, string][] } | { ok: false; error: string } {
  const pairs: [string, string][] = [];
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === "") continue;
    const colon = line.indexOf(":");
    const name = colon === -1 ? "" : line.slice(0, colon).trim();
    if (!HEADER_NAME.test(name)) return { ok: false, error: `Line ${index + 1} is not “Name: value”.` };
    pairs.push([name, line.slice(colon + 1).trim()]);
  }
  return { ok: true, pairs };
}
