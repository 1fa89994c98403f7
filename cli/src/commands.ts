import { createInterface } from "node:readline/promises";
import { CliError, EXIT } from "./cli-error";
import { normalizeServer, saveConfig } from "./config";
import { fetchRequest, isRetryable, outgoingFor, reportAttempt, send, type SendSettings } from "./deliver";
import { deliveryLine, dim } from "./output";
import { connectServer, errorMessage, resolveBin, type BinJson, type ServerClient } from "./server-client";

export async function login(options: { server: string; token?: string }): Promise<number> {
  const server = normalizeServer(options.server);
  let token = options.token;
  if (!token) {
    if (!process.stdin.isTTY) throw new CliError(EXIT.USAGE, "no --token given and stdin is not a terminal to ask for one");
    process.stderr.write(`Create an API token at ${server}/settings/tokens, then paste it here.\n`);
    const prompt = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    token = (await prompt.question("API token: ")).trim();
    prompt.close();
    if (!token) throw new CliError(EXIT.USAGE, "no token entered");
  }
  // Checked before it is saved: a typo should fail here, not at the first `forward`.
  const client = connectServer({ server, token });
  try {
    const response = await client.rest("GET", "/bins");
    if (response.status !== 200) throw new CliError(EXIT.ERROR, `${server} answered ${response.status}: ${errorMessage(response)}`);
  } finally {
    client.close();
  }
  const file = saveConfig({ server, token });
  process.stdout.write(`Logged in to ${server}; token saved in ${file} (mode 0600).\n`);
  return EXIT.OK;
}

export async function listBinsCommand(client: ServerClient, json: boolean): Promise<number> {
  const response = await client.rest("GET", "/bins");
  if (response.status !== 200) throw new CliError(EXIT.ERROR, `listing bins failed: ${errorMessage(response)}`);
  const { bins } = response.json as { bins: BinJson[] };
  if (json) {
    process.stdout.write(`${JSON.stringify(bins)}\n`);
    return EXIT.OK;
  }
  if (bins.length === 0) process.stderr.write("No bins yet: `webhookdump bins create <name>` makes one.\n");
  for (const bin of bins) process.stdout.write(`${bin.slug}\t${bin.name}\t${bin.requestCount} requests\t${bin.url}\n`);
  return EXIT.OK;
}

export async function createBinCommand(client: ServerClient, name: string, slug: string | undefined, json: boolean): Promise<number> {
  const response = await client.rest("POST", "/bins", { name, ...(slug ? { slug } : {}) });
  if (response.status === 409) throw new CliError(EXIT.USAGE, `slug ${JSON.stringify(slug)} is taken`);
  if (response.status !== 201) throw new CliError(response.status === 400 ? EXIT.USAGE : EXIT.ERROR, `creating the bin failed: ${errorMessage(response)}`);
  const bin = response.json as BinJson;
  process.stdout.write(json ? `${JSON.stringify(bin)}\n` : `${bin.url}\n`);
  if (!json) process.stderr.write(dim(process.stderr, `bin ${bin.slug} (${bin.id}) created; send webhooks to the URL above\n`));
  return EXIT.OK;
}

/** The live list of a bin's captures, like `tail -f`; runs until Ctrl-C. */
export async function tail(client: ServerClient, binRef: string, json: boolean): Promise<number> {
  const bin = await resolveBin(client, binRef);
  process.stderr.write(dim(process.stderr, `following ${bin.slug} (${bin.url}); Ctrl-C to stop\n`));
  return new Promise<number>((resolve, reject) => {
    const subscription = client.trpc().requests.onCaptured.subscribe(
      { binId: bin.id, lastEventId: String(bin.lastSeq) },
      {
        onData: ({ data }) => {
          if (json) process.stdout.write(`${JSON.stringify(data)}\n`);
          else {
            const query = data.query ? `?${data.query}` : "";
            process.stdout.write(`#${data.seq} ${data.method} ${data.path}${query} ${dim(process.stdout, `${data.bodySize} B ${data.contentType ?? ""} ${data.receivedAt}`)}\n`);
          }
        },
        onError: (error) => reject(new CliError(EXIT.ERROR, `live stream failed: ${error.message}`)),
      },
    );
    const stop = () => {
      subscription.unsubscribe();
      resolve(EXIT.INTERRUPTED);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

/** Sends one stored request to a URL from this machine, and records it as a cli attempt. */
export async function replay(client: ServerClient, requestId: string, settings: SendSettings, json: boolean): Promise<number> {
  const record = await fetchRequest(client, requestId);
  const outgoing = outgoingFor(record, settings);
  const result = await send(outgoing, settings);
  await reportAttempt(client, record.id, result, settings.headers.length > 0 || settings.dropHeaders.length > 0);
  if (json) process.stdout.write(`${JSON.stringify({ seq: record.seq, requestId: record.id, method: outgoing.method, url: result.url, status: result.status, durationMs: Math.round(result.durationMs), error: result.error })}\n`);
  else process.stdout.write(`${deliveryLine(process.stdout, record.seq, outgoing.method, result, result.error ? result.error.message : "")}\n`);
  return result.status !== null && !isRetryable(result) ? EXIT.OK : EXIT.DELIVERY_FAILED;
}

const MAX_POLL_SECONDS = 60;

/**
 * The first request captured after the command started that matches, as JSON; EXIT.TIMEOUT when
 * none came in time. Long polls of at most 60 s each, all from the same starting seq.
 */
export async function wait(
  client: ServerClient,
  binRef: string,
  filters: { method?: string; path?: string; contains?: string },
  timeoutMs: number,
): Promise<number> {
  const bin = await resolveBin(client, binRef);
  const deadline = Date.now() + timeoutMs;
  process.stderr.write(dim(process.stderr, `waiting up to ${timeoutMs / 1000} s for a request to ${bin.url} after #${bin.lastSeq}\n`));
  for (;;) {
    const remaining = Math.max(0, deadline - Date.now());
    const params = new URLSearchParams({ after: String(bin.lastSeq), timeout: String(Math.min(MAX_POLL_SECONDS, remaining / 1000)) });
    if (filters.method) params.set("method", filters.method);
    if (filters.path) params.set("path", filters.path);
    if (filters.contains) params.set("q", filters.contains);
    const response = await client.rest("GET", `/bins/${encodeURIComponent(bin.id)}/requests/next?${params}`);
    if (response.status === 200) {
      process.stdout.write(`${JSON.stringify(response.json, null, 2)}\n`);
      return EXIT.OK;
    }
    if (response.status !== 204) throw new CliError(response.status === 400 ? EXIT.USAGE : EXIT.ERROR, `waiting failed: ${errorMessage(response)}`);
    if (Date.now() >= deadline) {
      process.stderr.write(`no matching request in ${bin.slug} within ${Math.round(timeoutMs / 1000)} s\n`);
      return EXIT.TIMEOUT;
    }
  }
}
