// Under `npm start` the app server answers this path itself (no Next on a probe's path); this file
// serves runs under plain `next`.
import { getAppContext } from "~/server/app-context";
import { healthResponse, toWebResponse } from "~/server/observability/ops-endpoints";

export const dynamic = "force-dynamic";

export async function GET() {
  return toWebResponse(await healthResponse(await getAppContext()));
}
