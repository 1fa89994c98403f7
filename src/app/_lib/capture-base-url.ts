import { headers } from "next/headers";
import { getAppContext } from "~/server/app-context";
import { requestOrigin } from "~/server/http/request-origin";

/**
 * The origin capture URLs are shown with, decided on the server from the request that loaded the
 * page. Computing it in the browser instead (window.location) made the server HTML and the first
 * client render disagree, which React reports as a hydration error (#418) on every reload.
 */
export async function captureBaseUrl(): Promise<string> {
  const { env } = await getAppContext();
  const configured = env.CAPTURE_BASE_URL ?? env.APP_URL;
  if (configured) return configured;
  // requestOrigin reads only the URL and the headers; the URL's host is a fallback the Host header overrides.
  return requestOrigin(new Request("http://localhost/", { headers: await headers() }), env.TRUST_PROXY);
}
