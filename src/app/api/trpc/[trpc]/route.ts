import { getAppContext } from "~/server/app-context";
import { handleTrpcHttp } from "~/server/trpc/trpc-http-handler";

export const dynamic = "force-dynamic";

const handle = async (req: Request) => handleTrpcHttp(await getAppContext(), req);
export { handle as GET, handle as POST };
