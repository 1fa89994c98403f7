import { getAppContext } from "~/server/app-context";
import { createRestApp } from "~/server/rest/rest-app";

export const dynamic = "force-dynamic";

const rest = createRestApp(getAppContext);
const handle = (request: Request) => rest.fetch(request);
export { handle as GET, handle as POST, handle as PATCH, handle as PUT, handle as DELETE };
