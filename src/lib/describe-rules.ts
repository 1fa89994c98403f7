/** "keeps the newest 1,000 for 7 days" — a bin's retention in words. */
export function describeRetention(maxRequests: number, retentionDays: number): string {
  const count = `keeps the newest ${maxRequests.toLocaleString("en-US")}`;
  if (retentionDays === 0) return `${count}, forever`;
  return `${count} for ${retentionDays.toLocaleString("en-US")} ${retentionDays === 1 ? "day" : "days"}`;
}

export function describeRateLimit(perMinute: number): string {
  return perMinute === 0 ? "no rate limit" : `at most ${perMinute.toLocaleString("en-US")} requests per minute`;
}

const REASONS: Record<number, string> = {
  200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 301: "Moved Permanently", 302: "Found",
  304: "Not Modified", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
  409: "Conflict", 410: "Gone", 413: "Content Too Large", 422: "Unprocessable Content", 429: "Too Many Requests",
  500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
};

/** "Created" for 201; "" for a status without a well-known phrase. */
export function reasonPhrase(status: number): string {
  return REASONS[status] ?? "";
}

/** Header rows left empty in the editor (an "Add header" not filled in): they are neither sent nor saved. */
export function withoutBlankHeaders(headers: [string, string][]): [string, string][] {
  return headers.filter(([name, value]) => name.trim() !== "" || value.trim() !== "");
}

/** The exact response a sender will see, as raw HTTP text (for the settings preview). */
export function previewResponse(response: { status: number; headers: [string, string][]; body: string; contentType: string | null }): string {
  const lines = [`HTTP/1.1 ${response.status} ${REASONS[response.status] ?? ""}`.trimEnd()];
  if (response.contentType) lines.push(`Content-Type: ${response.contentType}`);
  for (const [name, value] of withoutBlankHeaders(response.headers)) lines.push(`${name}: ${value}`);
  lines.push("Content-Security-Policy: sandbox", "X-Content-Type-Options: nosniff", "X-WebhookDump-Request-Id: <id>");
  const noBody = response.status === 204 || response.status === 304;
  if (!noBody) lines.push(`Content-Length: ${new TextEncoder().encode(response.body).length}`);
  return `${lines.join("\n")}\n\n${noBody ? "" : response.body}`;
}
