/**
 * The URL a sender called, rebuilt from the stored request: CAPTURE_BASE_URL when set (what
 * senders are given), else the stored Host header (X-Forwarded-Host/-Proto only with TRUST_PROXY).
 * `/b/<slug>` and `/b/<slug>/` are stored alike; the shorter form, the one the app shows, is used.
 */
export function captureUrlOf(
  request: { headers: [string, string][]; path: string; query: string },
  slug: string,
  options: { captureBaseUrl?: string; trustProxy: boolean },
): string {
  const header = (name: string) => request.headers.find(([key]) => key.toLowerCase() === name)?.[1]?.split(",")[0]?.trim();
  const forwardedProto = options.trustProxy ? header("x-forwarded-proto") : undefined;
  const host = (options.trustProxy ? header("x-forwarded-host") : undefined) || header("host") || "localhost";
  const origin = options.captureBaseUrl?.replace(/\/+$/, "") ?? `${forwardedProto === "https" ? "https" : "http"}://${host}`;
  return `${origin}/b/${slug}${request.path === "/" ? "" : request.path}${request.query ? `?${request.query}` : ""}`;
}
