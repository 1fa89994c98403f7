import { z } from "zod";

/** `?format=json|har` of the export endpoints. */
export const ZExportQuerySchema = z.object({ format: z.enum(["json", "har"]).default("json") });
