import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { AppError } from "../errors";
import type { TrpcContext } from "./context";
import { subscriptionAddressOf, type DirectSubscription } from "./direct-subscriptions";
import { sharedTransformer } from "./shared-serialization";

const STATUS_BY_CODE = {
  BAD_REQUEST: "BAD_REQUEST",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  UNAUTHORIZED: "UNAUTHORIZED",
  LIMIT_REACHED: "FORBIDDEN",
} as const;

const t = initTRPC.context<TrpcContext>().create({
  transformer: sharedTransformer,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      data: {
        ...shape.data,
        field: cause instanceof AppError ? (cause.field ?? null) : null,
        zodIssues: cause instanceof ZodError ? cause.issues.map((i) => ({ path: i.path.join("."), message: i.message })) : null,
      },
    };
  },
});

// Services throw AppError; here it becomes the matching tRPC error, keeping the message.
const mapAppErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: STATUS_BY_CODE[cause.code], message: cause.message, cause });
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapAppErrors);
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.userId) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first" });
  return next({ ctx: { ...ctx, userId: ctx.userId } });
});
/** For acts that need a person, not a script: minting tokens must not be open to a leaked token. */
export const sessionProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.authVia !== "session") throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in with a session to do this" });
  return next();
});
/**
 * For subscriptions that may write their data messages to the socket themselves: `ctx.direct` is
 * where, when the call came over WebSocket; null otherwise (HTTP, server-side callers).
 */
export const liveProcedure = protectedProcedure.use(async ({ ctx, type, getRawInput, next }) => {
  const address = ctx.socket && type === "subscription" ? subscriptionAddressOf(await getRawInput()) : null;
  const direct: DirectSubscription | null = ctx.socket && address ? { socket: ctx.socket, address } : null;
  return next({ ctx: { ...ctx, direct } });
});
