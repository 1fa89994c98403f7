import { getAppContext } from "~/server/app-context";

export const dynamic = "force-dynamic";

const handle = async (request: Request) => (await getAppContext()).auth.handler(request);
export { handle as GET, handle as POST };
