import { hasHeader, inlineBodyText, replayableHeaders, type ReplayableRequest } from "./replayable-request";
import { shellQuote } from "./shell-quote";

/**
 * An HTTPie (3.x) command for the same request. Headers are `Name:value` items; the body goes
 * verbatim with --raw, or from the body file on stdin when it is binary or large.
 */
export function copyAsHttpie(request: ReplayableRequest): { command: string; needsBodyFile: boolean } {
  const args = ["http", "--ignore-stdin"];
  const text = request.body.length > 0 ? inlineBodyText(request.body) : "";
  const needsBodyFile = text === null;
  if (needsBodyFile) args.splice(1, 1); // the body file comes on stdin
  args.push(request.method, shellQuote(request.url));
  const headers = replayableHeaders(request.headers);
  for (const [name, value] of headers) {
    // HTTPie: "Name:" removes a header, "Name;" sends it empty.
    args.push(shellQuote(value === "" ? `${name};` : `${name}:${value}`));
  }
  // HTTPie labels raw bodies as JSON unless told otherwise.
  if (request.body.length > 0 && !hasHeader(headers, "content-type")) args.push(shellQuote("Content-Type:"));
  if (text) args.push("--raw", shellQuote(text));
  if (needsBodyFile) args.push("<", shellQuote(request.bodyFileName));
  return { command: args.join(" "), needsBodyFile };
}
