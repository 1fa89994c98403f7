import type { Auth } from "./create-auth";
import type { Db } from "../db/create-db";
import { userIdForToken } from "../tokens/tokens-service";

export interface AuthDeps {
  db: Db;
  auth: Auth;
}

function bearerToken(headers: Headers): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.get("authorization") ?? "");
  return match?.[1] ?? null;
}

/**
 * Who is asking: an API token (Authorization header, or `token` for WebSocket connection params)
 * wins over the session cookie. A presented but invalid token means nobody, not a fallback.
 */
export type Principal = { userId: string; via: "session" | "token" } | null;

export async function resolvePrincipal(deps: AuthDeps, headers: Headers, connectionToken?: string | null): Promise<Principal> {
  const token = connectionToken ?? bearerToken(headers);
  if (token) {
    const userId = await userIdForToken(deps.db, token);
    return userId ? { userId, via: "token" } : null;
  }
  const session = await deps.auth.api.getSession({ headers });
  return session ? { userId: session.user.id, via: "session" } : null;
}
