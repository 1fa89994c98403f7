import { bytesToBase64 } from "./base64";
import { inlineBodyText, INLINE_BODY_LIMIT, replayableHeaders, type ReplayableRequest } from "./replayable-request";


/**
 * JavaScript that sends the same request with fetch (Node 18+ or a browser; browsers refuse to set
 * a few headers such as Cookie themselves). Headers are an array of pairs so duplicates survive.
 * Binary bodies are inlined as base64 while small, else read from the body file (Node).
 */
export function copyAsFetch(request: ReplayableRequest): { code: string; needsBodyFile: boolean } {
  const lines: string[] = [];
  const headers = replayableHeaders(request.headers);
  let body: string | null = null;
  let needsBodyFile = false;
  if (request.body.length > 0) {
    const text = inlineBodyText(request.body);
    if (text !== null) body = JSON.stringify(text);
    else if (request.body.length <= INLINE_BODY_LIMIT) body = `Uint8Array.from(atob(${JSON.stringify(bytesToBase64(request.body))}), (c) => c.charCodeAt(0))`;
    else {
      needsBodyFile = true;
      lines.push(`import { readFile } from "node:fs/promises";`, "");
      body = `await readFile(${JSON.stringify(request.bodyFileName)})`;
    }
  }
  lines.push(`const response = await fetch(${JSON.stringify(request.url)}, {`);
  lines.push(`  method: ${JSON.stringify(request.method)},`);
  if (headers.length > 0) {
    lines.push("  headers: [");
    for (const pair of headers) lines.push(`    ${JSON.stringify(pair)},`);
    lines.push("  ],");
  }
  if (body !== null) lines.push(`  body: ${body},`);
  lines.push("});", "console.log(response.status, await response.text());");
  return { code: lines.join("\n"), needsBodyFile };
}
