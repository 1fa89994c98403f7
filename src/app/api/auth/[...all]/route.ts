import { getAppContext } from "~/server/app-context";

export const dynamic = "force-dynamic";

const handle = (request: Request) => getAppContext().auth.handler(request);
export { handle as GET, handle as POST };
