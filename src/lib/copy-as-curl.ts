import { hasHeader, inlineBodyText, replayableHeaders, type ReplayableRequest } from "./replayable-request";
import { shellQuote } from "./shell-quote";

/**
 * A curl command that sends the same request again: method, path and query untouched (--globoff:
 * no [] {} globbing; --path-as-is: no dot-segment squashing), every header in order, and the exact
 * body bytes with --data-binary (inline when it is short UTF-8 text, else from the body file,
 * which the person downloads next to the command).
 */
export function copyAsCurl(request: ReplayableRequest): { command: string; needsBodyFile: boolean } {
  const args = ["curl", "--globoff", "--path-as-is"];
  if (request.method === "HEAD") args.push("--head");
  else args.push("-X", request.method);
  args.push(shellQuote(request.url));
  const headers = replayableHeaders(request.headers);
  for (const [name, value] of headers) {
    // "Name;" is curl's spelling of a header with an empty value ("Name:" would remove it).
    args.push("-H", shellQuote(value === "" ? `${name};` : `${name}: ${value}`));
  }
  let needsBodyFile = false;
  if (request.body.length > 0) {
    // --data-binary adds a form Content-Type when none is given; the original had none.
    if (!hasHeader(headers, "content-type")) args.push("-H", shellQuote("Content-Type:"));
    const text = inlineBodyText(request.body);
    // A leading @ would make curl read a file of that name.
    if (text !== null && !text.startsWith("@")) {
      args.push("--data-binary", shellQuote(text));
    } else {
      needsBodyFile = true;
      args.push("--data-binary", shellQuote(`@${request.bodyFileName}`));
    }
  }
  return { command: args.join(" "), needsBodyFile };
}
