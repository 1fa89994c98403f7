import { randomUUID } from "node:crypto";

// What a proxy or sender may hand us as a request id: short and free of anything that could break
// a log line or a header. Anything else is replaced, never trusted.
const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The incoming X-Request-Id when it is sane (Node joins repeated headers, which fails the test), else a new UUID. */
export function requestIdFrom(incoming: string | string[] | undefined): string {
  return typeof incoming === "string" && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** The path of a request target without its query: capture URLs' queries may carry secrets. */
export function pathnameOf(url: string): string {
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
}
