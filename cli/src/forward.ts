import { setTimeout as sleep } from "node:timers/promises";
import type { CaptureSummary } from "../../src/server/events/event-bus";
import { CliError, EXIT } from "./cli-error";
import { loadPosition, savePosition } from "./config";
import { fetchRequest, isRetryable, outgoingFor, reportAttempt, send, type RequestJson, type SendSettings } from "./deliver";
import { deliveryJson, deliveryLine, dim, red, yellow } from "./output";
import type { BinJson, ServerClient } from "./server-client";

export interface ForwardOptions extends SendSettings {
  from: "now" | "last" | number;
  concurrency: number;
  /** Tries after the first for a 5xx, a timeout or a broken connection; a refused connection waits for the target however long. */
  retries: number;
  json: boolean;
  /** Only requests with this method. */
  onlyMethod?: string;
  /** Only requests whose path contains this (ASCII letters either case), like the dashboard's filter. */
  onlyPath?: string;
}

const BACKOFF_START_MS = 250;
/** Full records fetched ahead of the delivery in progress, so the fetch is off the critical path. */
const PREFETCH = 16;
const BACKOFF_MAX_MS = 5_000;
const backoff = (retry: number) => Math.min(BACKOFF_START_MS * 2 ** retry, BACKOFF_MAX_MS);

/**
 * Delivers every capture of the bin after the start position to the target, in sequence order
 * (one at a time unless --concurrency), saving the position after each: a restart goes on from
 * there. Resolves with the exit code once stopped by a signal or a fatal error.
 */
export async function forward(client: ServerClient, bin: BinJson, options: ForwardOptions): Promise<number> {
  const { stdout, stderr } = process;
  const key = { server: client.server, binId: bin.id, target: options.to };
  const saved = loadPosition(key);
  const after = options.from === "now" ? bin.lastSeq : options.from === "last" ? (saved ?? bin.lastSeq) : options.from - 1;
  // Saved at once: a run stopped before its first delivery must still resume from here, not
  // from whatever is newest when it is started again.
  if (after !== saved) savePosition(key, after);
  const targetHost = new URL(options.to).host;
  const modified = options.headers.length > 0 || options.dropHeaders.length > 0;

  stderr.write(
    `${dim(stderr, `forwarding ${bin.slug} → ${options.to}, from #${after + 1}`)}${after < bin.lastSeq ? dim(stderr, ` (${bin.lastSeq - after} captured meanwhile)`) : ""}\n`,
  );

  // Position bookkeeping: the saved position is the highest seq with everything before it done,
  // so with --concurrency a later delivery finishing first never skips an earlier one on restart.
  let position = after;
  const dispatched: number[] = [];
  const finished = new Set<number>();
  const finish = (seq: number) => {
    finished.add(seq);
    let moved = false;
    while (dispatched.length > 0 && finished.has(dispatched[0] as number)) {
      position = dispatched.shift() as number;
      finished.delete(position);
      moved = true;
    }
    if (moved) savePosition(key, position);
  };

  const queue: CaptureSummary[] = [];
  let highestQueued = after;
  let notified = false;
  let waiter: (() => void) | null = null;
  const notify = () => {
    notified = true;
    waiter?.();
  };
  const nextWake = () =>
    notified
      ? ((notified = false), Promise.resolve())
      : new Promise<void>((resolve) => {
          waiter = () => {
            waiter = null;
            notified = false;
            resolve();
          };
        });

  let stopping = false;
  let fatal: CliError | null = null;
  const stopWaiting = new AbortController();
  const abandon = new AbortController();
  const onSignal = () => {
    if (!stopping) {
      stopping = true;
      if (inFlight.size > 0) stderr.write(dim(stderr, "stopping after the current delivery (Ctrl-C again to abandon it)\n"));
      stopWaiting.abort();
      notify();
    } else abandon.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  let connectedOnce = false;
  let lost = false;
  const trpc = client.trpc({
    onOpen: () => {
      if (lost) stderr.write(dim(stderr, "connection to the server is back\n"));
      connectedOnce = true;
      lost = false;
    },
    onClose: () => {
      if (connectedOnce && !lost && !stopping) stderr.write(yellow(stderr, `connection to ${client.server} lost; reconnecting…\n`));
      lost = true;
    },
  });
  const subscription = trpc.requests.onCaptured.subscribe(
    { binId: bin.id, lastEventId: String(after) },
    {
      onData: ({ data }) => {
        if (data.seq <= highestQueued) return;
        highestQueued = data.seq;
        queue.push(data);
        notify();
      },
      onError: (error) => {
        const code = (error as { data?: { code?: string } }).data?.code;
        fatal = new CliError(code === "NOT_FOUND" ? EXIT.NOT_FOUND : code === "UNAUTHORIZED" ? EXIT.CONFIG : EXIT.ERROR, `live stream failed: ${error.message}`);
        notify();
      },
    },
  );

  const reports = new Set<Promise<void>>();
  const matches = (summary: CaptureSummary) =>
    (options.onlyMethod === undefined || summary.method.toUpperCase() === options.onlyMethod.toUpperCase()) &&
    (options.onlyPath === undefined || summary.path.toLowerCase().includes(options.onlyPath.toLowerCase()));

  /** Fetches the full record, waiting out a server that is briefly unreachable. */
  const fetchWithRetry = async (summary: CaptureSummary) => {
    for (let retry = 0; ; retry += 1) {
      try {
        return await fetchRequest(client, summary.id, stopWaiting.signal);
      } catch (error) {
        if (!(error instanceof CliError) || error.exitCode !== EXIT.ERROR || stopping) throw error;
        stderr.write(yellow(stderr, `${error.message}; #${summary.seq} held, retrying\n`));
        await sleep(backoff(retry), undefined, { signal: stopWaiting.signal });
      }
    }
  };

  const prefetched = new Map<string, Promise<RequestJson>>();
  const prefetch = (summary: CaptureSummary) => {
    if (prefetched.has(summary.id) || !matches(summary)) return;
    const fetching = fetchWithRetry(summary);
    fetching.catch(() => undefined); // handled where it is awaited
    prefetched.set(summary.id, fetching);
  };

  const deliverOne = async (summary: CaptureSummary): Promise<void> => {
    if (!matches(summary)) return finish(summary.seq);
    let record;
    try {
      const fetching = prefetched.get(summary.id) ?? fetchWithRetry(summary);
      prefetched.delete(summary.id);
      record = await fetching;
    } catch (error) {
      if (error instanceof CliError && error.exitCode === EXIT.NOT_FOUND) {
        stderr.write(dim(stderr, `#${summary.seq} was deleted before it could be forwarded; skipped\n`));
        return finish(summary.seq);
      }
      if (stopping) return;
      throw error;
    }
    let outgoing;
    try {
      outgoing = outgoingFor(record, options);
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      stderr.write(red(stderr, `#${summary.seq} not forwarded: ${error.message}\n`));
      return finish(summary.seq);
    }
    let result;
    let tries = 0;
    for (let retry = 0; ; retry += 1) {
      tries += 1;
      result = await send(outgoing, options, abandon.signal);
      if (abandon.signal.aborted) return;
      if (!isRetryable(result)) break;
      const refused = result.error?.code === "connection_refused";
      if (!refused && retry >= options.retries) break;
      if (stopping) return;
      const delay = backoff(retry);
      const reason = result.error ? result.error.code.replace("_", " ") : `answered ${result.status}`;
      stderr.write(yellow(stderr, `waiting for ${targetHost} (${reason}); #${summary.seq} held, retry in ${(delay / 1000).toFixed(2)} s\n`));
      try {
        await sleep(delay, undefined, { signal: stopWaiting.signal });
      } catch {
        return;
      }
    }
    if (options.json) stdout.write(`${deliveryJson(summary.seq, record.id, outgoing.method, result, tries)}\n`);
    else stdout.write(`${deliveryLine(stdout, summary.seq, outgoing.method, result)}\n`);
    finish(summary.seq);
    const report = reportAttempt(client, record.id, result, modified).catch((error: unknown) => {
      stderr.write(yellow(stderr, `#${summary.seq}: ${error instanceof Error ? error.message : String(error)}\n`));
    });
    reports.add(report);
    void report.finally(() => reports.delete(report));
  };

  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;
  while (!stopping && !fatal && failure === null) {
    while (queue.length > 0 && inFlight.size < options.concurrency && !stopping) {
      const summary = queue.shift() as CaptureSummary;
      dispatched.push(summary.seq);
      const delivery = deliverOne(summary).catch((error: unknown) => {
        failure = error;
      });
      inFlight.add(delivery);
      void delivery.finally(() => {
        inFlight.delete(delivery);
        notify();
      });
    }
    for (const summary of queue.slice(0, PREFETCH)) prefetch(summary);
    await nextWake();
  }
  await Promise.all(inFlight);
  subscription.unsubscribe();
  await Promise.all(reports);
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  stderr.write(dim(stderr, `stopped; position #${position} saved (next start delivers from #${position + 1})\n`));
  if (failure !== null) throw failure;
  if (fatal) throw fatal;
  return EXIT.INTERRUPTED;
}
