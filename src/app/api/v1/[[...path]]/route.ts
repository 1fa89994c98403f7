import { getAppContext } from "~/server/app-context";
import { createRestApp } from "~/server/rest/rest-app";

export const dynamic = "force-dynamic";

let rest: ReturnType<typeof createRestApp> | undefined;
const handle = async (request: Request) => {
  const app = await getAppContext();
  rest ??= createRestApp(() => app);
  return rest.fetch(request);
};
export { handle as GET, handle as POST, handle as PATCH, handle as PUT, handle as DELETE };
