import { getAppContext } from "~/server/app-context";
import { checkHealth } from "~/server/health/check-health";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await checkHealth(getAppContext().db);
  return health.ok
    ? Response.json({ status: "ok" })
    : Response.json({ status: "error", error: "database unavailable" }, { status: 503 });
}
