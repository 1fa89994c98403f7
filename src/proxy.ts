import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, createNonce } from "~/lib/content-security-policy";
import { PAGE_PATH_HEADER } from "~/lib/safe-next-path";

/**
 * Security headers for app pages, with a fresh script nonce per request. Next.js reads the nonce
 * from the request's Content-Security-Policy header while rendering and stamps it on its own
 * inline and bundle scripts, so the policy is set on the forwarded request and on the response.
 */
export function proxy(request: NextRequest) {
  const nonce = createNonce();
  const policy = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development" });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", policy);
  // Pages that need a session send visitors to sign in with this as `next` (checked there).
  requestHeaders.set(PAGE_PATH_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  response.headers.set("x-content-type-options", "nosniff");
  response.headers.set("x-frame-options", "DENY");
  response.headers.set("referrer-policy", "same-origin");
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: API routes (/api/health and /api/ready among them), captures (/b/…), the
      // Prometheus endpoint and static files set their own headers. `metrics$` spares exactly
      // /metrics: a probe or scrape does not need a nonce and a policy computed for it.
      source: "/((?!api/|b/|metrics$|_next/static|_next/image|icon.svg|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
