// Under `npm start` the app server answers this path itself (a scrape never waits on Next); this
// file serves runs under plain `next`, where the metrics cover this Next server process.
import { getAppContext } from "~/server/app-context";
import { metricsResponse, toWebResponse } from "~/server/observability/ops-endpoints";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  return toWebResponse(await metricsResponse(await getAppContext(), request.headers.get("authorization")));
}
