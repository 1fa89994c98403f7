import { Hono, type Context } from "hono";
import { z, type ZodType } from "zod";
import type { AppContext } from "../app-context";
import { resolvePrincipal } from "../auth/resolve-user";
import { ZCreateBinSchema, ZUpdateBinSchema } from "../bins/bin-schemas";
import { binLimitsFromEnv, captureUrl, createBin, deleteBin, getBin, listBins, updateBin, type BinRecord } from "../bins/bins-service";
import { classifyDatabaseError, outageAnswer, type OutageLog } from "../db/database-outage";
import { AppError } from "../errors";
import { requestOrigin } from "../http/request-origin";
import { crossSiteResponse, isCrossSiteWrite, isJsonContentType, unsupportedMediaTypeResponse } from "../http/same-origin";
import { clearBin, deleteRequest, getRequest, listRequests, ZListRequestsQuerySchema } from "../requests/requests-service";
import { buildExport, requestToJson, type ExportFormat } from "~/lib/request-export";
import { iterateBinRequests } from "../requests/iterate-bin-requests";
import { streamExport } from "../requests/stream-export";
import packageJson from "../../../package.json" with { type: "json" };
import { listAttempts } from "../delivery/attempts-store";
import { retryFailedDeliveries, setTargetPaused } from "../delivery/forward-targets-service";
import { replayRequest, ZReplayInputSchema } from "../delivery/replay-request";
import { reportCliAttempt, ZCliAttemptSchema } from "../delivery/report-cli-attempt";
import { waitForNextRequest, ZNextRequestQuerySchema } from "../requests/wait-for-next-request";
import type { RequestRecord } from "../requests/requests-service";
import { openApiDocument } from "./openapi-document";
import { ZExportQuerySchema } from "./rest-query-schemas";
import { listRequestsWithSignatures, ZSignatureFilterSchema } from "../signatures/list-requests-with-signatures";
import { toVerdict } from "../signatures/signature-verdicts";
import { createApiToken, listApiTokens, revokeApiToken, ZCreateTokenSchema } from "../tokens/tokens-service";

type Env = { Variables: { userId: string; authVia: "session" | "token" } };

const STATUS = { BAD_REQUEST: 400, UNAUTHORIZED: 401, NOT_FOUND: 404, CONFLICT: 409, LIMIT_REACHED: 403 } as const;

function errorBody(code: string, message: string, extra: Record<string, unknown> = {}) {
  return { error: { code, message, ...extra } };
}

/** A body that is not declared as JSON: a form or text/plain post a page could send without a preflight. */
class UnsupportedMediaTypeError extends Error {}

async function parseBody<T>(c: Context, schema: ZodType<T>): Promise<T> {
  if (!isJsonContentType(c.req.raw.headers)) throw new UnsupportedMediaTypeError();
  let json: unknown;
  try {
    json = await c.req.json();
  } catch {
    throw new AppError("BAD_REQUEST", "Body must be valid JSON");
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
    throw new RestValidationError(issues);
  }
  return result.data;
}

class RestValidationError extends Error {
  constructor(readonly issues: { path: string; message: string }[]) {
    super(issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join("; "));
  }
}

function baseUrl(app: AppContext, request: Request): string {
  return app.env.CAPTURE_BASE_URL ?? app.env.APP_URL ?? requestOrigin(request, app.env.TRUST_PROXY);
}


function parseQuery<T>(c: Context, schema: ZodType<T>): T {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) {
    throw new RestValidationError(parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
  }
  return parsed.data;
}

/** Exports download as files; the JSON inside is data, never a page to render. */
function attachment(body: BodyInit, fileName: string): Response {
  return new Response(body, {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="${fileName}"`,
      "x-content-type-options": "nosniff",
      "cache-control": "private, no-store",
      "content-security-policy": "sandbox",
    },
  });
}

const exportExtension = (format: ExportFormat) => (format === "har" ? "har" : "json");

/** A request as GET /requests/{id} returns it: the record with the exact body bytes in base64. */
/** The full record as REST answers it: body as base64, and the signature verdict when the bin verifies. */
async function requestJson(app: AppContext, full: RequestRecord) {
  const bin = await app.signatures.forBin(full.binId);
  const { body, ...record } = full;
  return { ...record, bodyBase64: Buffer.from(body).toString("base64"), signature: bin ? toVerdict(app.signatures.judge(full, bin)) : null };
}

function binJson(bin: BinRecord, base: string) {
  return { ...bin, url: captureUrl(base, bin.slug) };
}

/**
 * The REST API for automation, as a framework-free fetch handler: Next's catch-all route under
 * /api/v1 serves it, and tests serve it from a plain Node server.
 */
export function createRestApp(getApp: () => AppContext, options: { outage?: OutageLog } = {}) {
  const rest = new Hono<Env>().basePath("/api/v1");

  rest.onError((error, c) => {
    if (error instanceof UnsupportedMediaTypeError) return unsupportedMediaTypeResponse();
    if (error instanceof RestValidationError) {
      return c.json(errorBody("BAD_REQUEST", error.message, { issues: error.issues }), 400);
    }
    if (error instanceof AppError) {
      return c.json(errorBody(error.code, error.message, error.field ? { field: error.field } : {}), STATUS[error.code]);
    }
    const failure = classifyDatabaseError(error);
    if (failure) {
      options.outage?.failed(failure, error);
      const answer = outageAnswer(failure);
      return new Response(answer.body, { status: answer.status, headers: answer.headers });
    }
    getApp().logger.error({ err: error, reqId: c.req.header("x-request-id"), path: new URL(c.req.url).pathname }, "REST request failed");
    return c.json(errorBody("INTERNAL", "Internal server error"), 500);
  });
  rest.notFound((c) => c.json(errorBody("NOT_FOUND", "No such endpoint"), 404));

  // Public on purpose: the description of the API holds no data, and tools fetch it without a token.
  rest.get("/openapi.json", (c) => c.json(openApiDocument(baseUrl(getApp(), c.req.raw))));

  rest.use(async (c, next) => {
    const { env } = getApp();
    if (isCrossSiteWrite(c.req.method, c.req.raw.headers, { appUrl: env.APP_URL, trustProxy: env.TRUST_PROXY })) {
      return crossSiteResponse();
    }
    const principal = await resolvePrincipal(getApp(), c.req.raw.headers);
    if (!principal) return c.json(errorBody("UNAUTHORIZED", "Missing or invalid credentials"), 401);
    c.set("userId", principal.userId);
    c.set("authVia", principal.via);
    await next();
  });

  // An id that cannot exist is simply not found, like any other unknown id.
  const ZIdParam = z.string().min(1).max(100);
  const id = (c: Context<Env>) => {
    const parsed = ZIdParam.safeParse(c.req.param("id"));
    if (!parsed.success) throw new AppError("NOT_FOUND", "Not found");
    return parsed.data;
  };

  rest.get("/tokens", async (c) => c.json({ tokens: await listApiTokens(getApp().db, c.get("userId")) }));
  rest.post("/tokens", async (c) => {
    // Minting tokens needs a signed-in person: a leaked token must not be able to mint more.
    if (c.get("authVia") !== "session") {
      return c.json(errorBody("UNAUTHORIZED", "Tokens are created from a signed-in session"), 401);
    }
    const input = await parseBody(c, ZCreateTokenSchema);
    const { id: tokenId, name, token } = await createApiToken(getApp().db, c.get("userId"), input);
    return c.json({ id: tokenId, name, token }, 201);
  });
  rest.delete("/tokens/:id", async (c) => {
    await revokeApiToken(getApp().db, c.get("userId"), id(c));
    return c.body(null, 204);
  });

  rest.get("/bins", async (c) => {
    const bins = await listBins(getApp().db, c.get("userId"));
    const base = baseUrl(getApp(), c.req.raw);
    return c.json({ bins: bins.map((bin) => binJson(bin, base)) });
  });
  rest.post("/bins", async (c) => {
    const input = await parseBody(c, ZCreateBinSchema);
    const bin = await createBin(getApp().db, c.get("userId"), input, binLimitsFromEnv(getApp().env));
    return c.json(binJson(bin, baseUrl(getApp(), c.req.raw)), 201);
  });
  rest.get("/bins/:id", async (c) => {
    const bin = await getBin(getApp().db, c.get("userId"), { id: id(c) });
    return c.json(binJson(bin, baseUrl(getApp(), c.req.raw)));
  });
  rest.patch("/bins/:id", async (c) => {
    const input = await parseBody(c, ZUpdateBinSchema);
    const bin = await updateBin(getApp().db, c.get("userId"), id(c), input, binLimitsFromEnv(getApp().env), getApp().signatures.key);
    return c.json(binJson(bin, baseUrl(getApp(), c.req.raw)));
  });
  rest.delete("/bins/:id", async (c) => {
    await deleteBin(getApp().db, c.get("userId"), id(c));
    return c.body(null, 204);
  });
  rest.get("/bins/:id/requests", async (c) => {
    const { signature, ...query } = c.req.query();
    const parsedQuery = ZListRequestsQuerySchema.safeParse(query);
    const filter = signature === undefined || signature === "" ? undefined : ZSignatureFilterSchema.safeParse(signature);
    const issues = [
      ...(parsedQuery.success ? [] : parsedQuery.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }))),
      ...(filter && !filter.success ? [{ path: "signature", message: 'signature must be "valid" or "invalid"' }] : []),
    ];
    if (!parsedQuery.success || (filter && !filter.success)) throw new RestValidationError(issues);
    return c.json(await listRequestsWithSignatures(getApp(), c.get("userId"), id(c), parsedQuery.data, filter?.data));
  });
  // A long poll: 200 with the first matching request after `after`, 204 when none came in time.
  rest.get("/bins/:id/requests/next", async (c) => {
    const binId = id(c);
    const query = parseQuery(c, ZNextRequestQuerySchema);
    const app = getApp();
    const record = await waitForNextRequest(app, c.get("userId"), binId, { ...query, signal: c.req.raw.signal });
    return record ? c.json(await requestJson(getApp(), record)) : c.body(null, 204);
  });
  rest.get("/bins/:id/export", async (c) => {
    const { format } = parseQuery(c, ZExportQuerySchema);
    const bin = await getBin(getApp().db, c.get("userId"), { id: id(c) });
    const meta = { bin: { id: bin.id, name: bin.name, slug: bin.slug, url: captureUrl(baseUrl(getApp(), c.req.raw), bin.slug) }, exportedAt: new Date(), creatorVersion: packageJson.version };
    const stream = streamExport(format, meta, iterateBinRequests(getApp().db, c.get("userId"), bin.id));
    return attachment(stream, `${bin.slug}.${exportExtension(format)}`);
  });
  rest.delete("/bins/:id/requests", async (c) => c.json(await clearBin(getApp().db, c.get("userId"), id(c))));
  for (const [action, paused] of [["pause", true], ["resume", false]] as const) {
    rest.post(`/bins/:id/forwards/:targetId/${action}`, async (c) => {
      const targetId = ZIdParam.safeParse(c.req.param("targetId"));
      if (!targetId.success) throw new AppError("NOT_FOUND", "Forward target not found");
      await setTargetPaused(getApp().db, c.get("userId"), id(c), targetId.data, paused);
      if (!paused) getApp().deliveries.kick({ release: true });
      const bin = await getBin(getApp().db, c.get("userId"), { id: id(c) });
      return c.json(binJson(bin, baseUrl(getApp(), c.req.raw)));
    });
  }
  rest.post("/bins/:id/forwards/retry-failed", async (c) => {
    const result = await retryFailedDeliveries(getApp().db, c.get("userId"), id(c));
    getApp().deliveries.kick({ release: true });
    return c.json(result);
  });

  rest.get("/requests/:id", async (c) => {
    return c.json(await requestJson(getApp(), await getRequest(getApp().db, c.get("userId"), id(c))));
  });
  rest.post("/requests/:id/replays", async (c) => {
    const input = await parseBody(c, ZReplayInputSchema);
    const app = getApp();
    const attempt = await replayRequest({ db: app.db, policy: app.egressPolicy, events: app.attemptEvents }, c.get("userId"), id(c), input);
    return c.json(attempt, 201);
  });
  rest.post("/requests/:id/attempts", async (c) => {
    const input = await parseBody(c, ZCliAttemptSchema);
    const app = getApp();
    return c.json(await reportCliAttempt({ db: app.db, events: app.attemptEvents }, c.get("userId"), id(c), input), 201);
  });
  rest.get("/requests/:id/attempts", async (c) => {
    const requestId = id(c);
    await getRequest(getApp().db, c.get("userId"), requestId);
    return c.json({ attempts: await listAttempts(getApp().db, requestId) });
  });
  rest.get("/requests/:id/export", async (c) => {
    const { format } = parseQuery(c, ZExportQuerySchema);
    const record = await getRequest(getApp().db, c.get("userId"), id(c));
    const bin = await getBin(getApp().db, c.get("userId"), { id: record.binId });
    const url = captureUrl(baseUrl(getApp(), c.req.raw), bin.slug);
    const fileName = `${bin.slug}-${record.seq}.${exportExtension(format)}`;
    if (format === "json") return attachment(JSON.stringify(requestToJson(record, url)), fileName);
    const meta = { bin: { id: bin.id, name: bin.name, slug: bin.slug, url }, exportedAt: new Date(), creatorVersion: packageJson.version };
    return attachment(buildExport("har", [record], meta), fileName);
  });
  rest.delete("/requests/:id", async (c) => {
    await deleteRequest(getApp().db, c.get("userId"), id(c));
    return c.body(null, 204);
  });
  rest.get("/requests/:id/body", async (c) => {
    const record = await getRequest(getApp().db, c.get("userId"), id(c));
    // Served as an opaque download whatever the sender claimed: captured bytes are hostile.
    return new Response(Buffer.from(record.body), {
      headers: {
        "content-type": "application/octet-stream",
        "content-disposition": `attachment; filename="request-${record.seq}.bin"`,
        "x-content-type-options": "nosniff",
        "cache-control": "private, no-store",
        "content-security-policy": "sandbox",
      },
    });
  });

  return rest;
}
