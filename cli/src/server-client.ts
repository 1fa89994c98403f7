import http from "node:http";
import https from "node:https";
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import { HttpsProxyAgent } from "https-proxy-agent";
import { getProxyForUrl } from "proxy-from-env";
import superjson from "superjson";
import WebSocket from "ws";
import type { AppRouter } from "../../src/server/trpc/app-router";
import { CliError, EXIT } from "./cli-error";
import type { Config } from "./config";
import { VERSION } from "./version";

/**
 * The agent for a connection to the server: through HTTPS_PROXY / HTTP_PROXY unless NO_PROXY
 * names the host (proxy-from-env reads them as curl does), else a plain keep-alive agent.
 */
function agentFor(url: string): http.Agent {
  const proxy = getProxyForUrl(url);
  if (proxy) return new HttpsProxyAgent(proxy, { keepAlive: true });
  return url.startsWith("https:") ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
}

export interface ApiResponse {
  status: number;
  json: unknown;
}

export interface ServerClient {
  server: string;
  /** A REST call under /api/v1; throws a CliError for 401 and for an unreachable server. */
  rest(method: string, path: string, body?: unknown, options?: { signal?: AbortSignal }): Promise<ApiResponse>;
  /** The typed tRPC client over the WebSocket, opened on first use. */
  trpc(events?: { onOpen?: () => void; onClose?: () => void }): ReturnType<typeof createTRPCClient<AppRouter>>;
  close(): void;
}

export function connectServer(config: Config): ServerClient {
  const agent = agentFor(config.server);
  let ws: ReturnType<typeof createWSClient> | null = null;

  const rest: ServerClient["rest"] = (method, path, body, options = {}) =>
    new Promise((resolve, reject) => {
      const url = `${config.server}/api/v1${path}`;
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const request = (url.startsWith("https:") ? https : http).request(
        url,
        {
          method,
          agent,
          signal: options.signal,
          headers: {
            authorization: `Bearer ${config.token}`,
            accept: "application/json",
            "user-agent": `webhookdump-cli/${VERSION}`,
            ...(payload ? { "content-type": "application/json", "content-length": String(payload.length) } : {}),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", reject);
          response.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            const status = response.statusCode ?? 0;
            if (status === 401) return reject(new CliError(EXIT.CONFIG, `the server refused the token (401); run \`webhookdump login\` again`));
            let json: unknown = null;
            if (text) {
              try {
                json = JSON.parse(text);
              } catch {
                return reject(new CliError(EXIT.ERROR, `${method} ${url} answered ${status} with something that is not JSON: is ${config.server} a WebhookDump server?`));
              }
            }
            resolve({ status, json });
          });
        },
      );
      request.on("error", (error: NodeJS.ErrnoException) => {
        if (error.name === "AbortError") return reject(error);
        reject(new CliError(EXIT.ERROR, `cannot reach ${config.server}: ${error.code ?? error.message}`));
      });
      request.end(payload);
    });

  return {
    server: config.server,
    rest,
    trpc(events = {}) {
      // `ws` lets the connection go through the proxy agent; Node 20 has no WebSocket of its own.
      class ServerWebSocket extends WebSocket {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols, { agent, headers: { "user-agent": `webhookdump-cli/${VERSION}` } });
        }
      }
      ws ??= createWSClient({
        url: `${config.server.replace(/^http/, "ws")}/api/trpc-ws`,
        WebSocket: ServerWebSocket as unknown as typeof globalThis.WebSocket,
        connectionParams: { token: config.token },
        retryDelayMs: (attempt) => Math.min(500 * 2 ** attempt, 10_000),
        // A laptop that slept keeps a socket that looks open: an unanswered ping closes it, and
        // wsLink resubscribes with the last event id it saw.
        keepAlive: { enabled: true, intervalMs: 10_000, pongTimeoutMs: 5_000 },
        onOpen: events.onOpen,
        onClose: events.onClose,
      });
      return createTRPCClient<AppRouter>({ links: [wsLink({ client: ws, transformer: superjson })] });
    },
    close() {
      ws?.close();
      agent.destroy();
    },
  };
}

/** An error answer's message, for a CliError. */
export function errorMessage(response: ApiResponse): string {
  const body = response.json as { error?: { message?: string } } | null;
  return body?.error?.message ?? `status ${response.status}`;
}

export interface BinJson {
  id: string;
  slug: string;
  name: string;
  url: string;
  lastSeq: number;
  requestCount: number;
}

/** A bin named by slug or id, as every command's `<bin>` takes it. */
export async function resolveBin(client: ServerClient, ref: string): Promise<BinJson> {
  const response = await client.rest("GET", "/bins");
  if (response.status !== 200) throw new CliError(EXIT.ERROR, `listing bins failed: ${errorMessage(response)}`);
  const { bins } = response.json as { bins: BinJson[] };
  const bin = bins.find((candidate) => candidate.slug === ref) ?? bins.find((candidate) => candidate.id === ref);
  if (!bin) throw new CliError(EXIT.NOT_FOUND, `no bin with slug or id ${JSON.stringify(ref)} (see \`webhookdump bins\`)`);
  return bin;
}
