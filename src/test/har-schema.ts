import { z } from "zod";

/** HAR 1.2's required fields (http://www.softwareishard.com/blog/har-12-spec/), strict about types. */
const ZNameValue = z.object({ name: z.string(), value: z.string() });
export const ZHar = z.object({
  log: z.object({
    version: z.literal("1.2"),
    creator: z.object({ name: z.string().min(1), version: z.string().min(1) }),
    entries: z.array(
      z.object({
        startedDateTime: z.iso.datetime(),
        time: z.number().min(0),
        request: z.object({
          method: z.string().min(1),
          url: z.url(),
          httpVersion: z.string(),
          cookies: z.array(z.unknown()),
          headers: z.array(ZNameValue),
          queryString: z.array(ZNameValue),
          postData: z.object({ mimeType: z.string(), text: z.string(), encoding: z.literal("base64").optional() }).optional(),
          headersSize: z.number().int(),
          bodySize: z.number().int(),
        }),
        response: z.object({
          status: z.number().int(),
          statusText: z.string(),
          httpVersion: z.string(),
          cookies: z.array(z.unknown()),
          headers: z.array(ZNameValue),
          content: z.object({ size: z.number().int(), mimeType: z.string() }),
          redirectURL: z.string(),
          headersSize: z.number().int(),
          bodySize: z.number().int(),
        }),
        cache: z.object({}),
        timings: z.object({ send: z.number(), wait: z.number(), receive: z.number() }),
      }),
    ),
  }),
});

