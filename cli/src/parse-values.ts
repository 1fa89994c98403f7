import { CliError, EXIT } from "./cli-error";

/** `30s`, `500ms`, `2m`, `1h` or plain seconds (`45`, `0.5`) in milliseconds. */
export function parseDuration(flag: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new CliError(EXIT.USAGE, `--${flag} must be a duration such as 30s, 500ms or 2m, got ${JSON.stringify(text)}`);
  const value = Number(match[1]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? "s") as "ms" | "s" | "m" | "h"];
  return Math.round(value * unit);
}

export function parseInteger(flag: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < min || Number(text) > max) {
    throw new CliError(EXIT.USAGE, `--${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

/** `-H "Name: value"`: a header to add or replace. */
export function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(":");
  const name = colon > 0 ? text.slice(0, colon).trim() : "";
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new CliError(EXIT.USAGE, `-H takes "Name: value", got ${JSON.stringify(text)}`);
  return [name, text.slice(colon + 1).trim()];
}

export function parseTargetUrl(flag: string, text: string | undefined): string {
  if (!text) throw new CliError(EXIT.USAGE, `--${flag} URL is required (e.g. --${flag} http://localhost:3000/webhooks)`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError(EXIT.USAGE, `--${flag} must be an absolute URL such as http://localhost:3000/webhooks, got ${JSON.stringify(text)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new CliError(EXIT.USAGE, `--${flag} must be http:// or https://, got ${url.protocol}`);
  return text;
}

export function parseMethod(text: string): string {
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}$/.test(text)) throw new CliError(EXIT.USAGE, `--method must be an HTTP method such as POST, got ${JSON.stringify(text)}`);
  return text.toUpperCase();
}
