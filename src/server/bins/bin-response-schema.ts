import { z } from "zod";

export const MAX_RESPONSE_BODY_BYTES = 64 * 1024;
export const MAX_RESPONSE_DELAY_MS = 30_000;

// Headers a bin may not set: hop-by-hop ones belong to the connection, Content-Length is computed,
// and the security headers are always ours (a bin's answer is attacker-controlled content).
const REFUSED_HEADERS = new Map([
  ["connection", "hop-by-hop"],
  ["keep-alive", "hop-by-hop"],
  ["proxy-authenticate", "hop-by-hop"],
  ["proxy-authorization", "hop-by-hop"],
  ["proxy-connection", "hop-by-hop"],
  ["te", "hop-by-hop"],
  ["trailer", "hop-by-hop"],
  ["transfer-encoding", "hop-by-hop"],
  ["upgrade", "hop-by-hop"],
  ["content-length", "computed from the body"],
  ["content-type", "set with contentType instead"],
  ["content-security-policy", "always `sandbox` for bin responses"],
  ["x-content-type-options", "always `nosniff` for bin responses"],
]);

const ZHeaderName = z
  .string()
  .min(1, "Header name is required")
  .max(200)
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "Header name may contain only token characters")
  .superRefine((name, ctx) => {
    const reason = REFUSED_HEADERS.get(name.toLowerCase());
    if (reason) ctx.addIssue({ code: "custom", message: `${name} cannot be set (${reason})` });
  });

const ZHeaderValue = z
  .string()
  .max(4096)
  .regex(/^[^\r\n\0]*$/, "Header value may not contain line breaks or NUL");

/** The answer a bin gives its senders instead of the default 200 JSON. */
export const ZBinResponseSchema = z.object({
  status: z.number().int("Status must be a whole number").min(200, "Status must be 200-599").max(599, "Status must be 200-599"),
  headers: z.array(z.tuple([ZHeaderName, ZHeaderValue])).max(50, "At most 50 headers").default([]),
  body: z
    .string()
    .default("")
    .refine((body) => Buffer.byteLength(body) <= MAX_RESPONSE_BODY_BYTES, "Body must be at most 64 KiB"),
  contentType: z.string().max(200).regex(/^[^\r\n\0]*$/).nullable().default("text/plain; charset=utf-8"),
  delayMs: z.number().int().min(0, "Delay must be 0-30000 ms").max(MAX_RESPONSE_DELAY_MS, "Delay must be 0-30000 ms").default(0),
});
export type TBinResponse = z.infer<typeof ZBinResponseSchema>;
