import crypto from "node:crypto";
import pg from "pg";
import { z } from "zod";
import type { CaptureReader } from "./capture-reader";
import type { CapturedEvent, EventBus } from "./event-bus";
import { createMemoryEventBus, type MemoryEventBusOptions } from "./memory-event-bus";

/** The subset of a pino logger the bus writes to. */
export interface PostgresEventBusLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface PostgresEventBusOptions {
  /** For NOTIFY: the pool the app's Prisma adapter uses. The bus never ends it. */
  pool: pg.Pool;
  /** The bus opens its own connection for LISTEN: a pooled one would be handed to other queries. */
  connectionString: string;
  /** Reads what other instances captured: notifications carry ids and sequence ranges only. */
  reader: CaptureReader;
  /** Tells this instance's notifications apart from the others' (default: a random UUID). */
  instanceId?: string;
  /** The NOTIFY channel; tests use their own so that parallel runs do not hear each other. */
  channel?: string;
  /** Seconds from a capture's publication on another instance to its notification's arrival here. */
  onLag?: (seconds: number) => void;
  log?: PostgresEventBusLog;
  /** Reconnect delays grow from min to max (exponential, with jitter). Default 100..5000. */
  reconnectDelayMs?: { min: number; max: number };
  /** For the inner memory bus, which does all local delivery and coalescing. */
  coalesce?: MemoryEventBusOptions;
}

export interface PostgresEventBus extends EventBus {
  readonly instanceId: string;
  /**
   * The LISTEN connection's application_name, `webhookdump-listen:<instanceId>` (at most 63
   * characters), by which operators and tests find it in pg_stat_activity.
   */
  readonly applicationName: string;
}

export const DEFAULT_CAPTURE_CHANNEL = "webhookdump_captures";

// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; the margin is for the envelope.
const MAX_PAYLOAD_BYTES = 7_500;
const READ_PAGE = 1_000;
const CHECK_TIMEOUT_MS = 2_000;
// Catching up after a reconnect reads every watched bin: a few at a time leaves the pool to captures.
const CATCH_UP_CONCURRENCY = 4;
// Captures are stamped by the capturing instance's clock when they arrive and committed a little
// later; the bins-list catch-up after an outage looks back a generous minute so neither clock skew
// between instances nor a slow commit hides one. Re-sending a bin's newest capture is harmless:
// the activity stream keeps only news newer than what it has sent.
const USER_CATCH_UP_MARGIN_MS = 60_000;

/** [binId, userId, fromSeq, toSeq]: one bin's contiguous range of captures in one notification. */
export type NotificationEntry = [binId: string, userId: string, fromSeq: number, toSeq: number];

const ZNotificationEntry = z
  .tuple([z.string().min(1), z.string().min(1), z.number().int().positive(), z.number().int().positive()])
  .refine(([, , fromSeq, toSeq]) => fromSeq <= toSeq, "fromSeq must not exceed toSeq");

/** A notification as instances send it: `i` the sender, `t` when it published (ms since epoch), `b` the ranges. */
export const ZCaptureNotification = z.object({
  i: z.string().min(1),
  t: z.number().finite(),
  b: z.array(ZNotificationEntry),
});

/** The payloads for one NOTIFY round: as few as fit under the size limit, entries in order. */
export function encodeNotifications(
  instanceId: string,
  publishedAt: number,
  entries: NotificationEntry[],
  maxBytes = MAX_PAYLOAD_BYTES,
): string[] {
  const head = `{"i":${JSON.stringify(instanceId)},"t":${publishedAt},"b":[`;
  const tail = "]}";
  const envelope = Buffer.byteLength(head) + Buffer.byteLength(tail);
  const payloads: string[] = [];
  let parts: string[] = [];
  let size = envelope;
  for (const entry of entries) {
    const part = JSON.stringify(entry);
    const bytes = Buffer.byteLength(part) + (parts.length > 0 ? 1 : 0);
    if (parts.length > 0 && size + bytes > maxBytes) {
      payloads.push(head + parts.join(",") + tail);
      parts = [];
      size = envelope;
    }
    size += Buffer.byteLength(part) + (parts.length > 0 ? 1 : 0);
    parts.push(part);
  }
  if (parts.length > 0) payloads.push(head + parts.join(",") + tail);
  return payloads;
}

/** Each bin's captures in one publish round as contiguous sequence ranges. */
function rangesOf(events: CapturedEvent[]): NotificationEntry[] {
  const byBin = new Map<string, { userId: string; seqs: number[] }>();
  for (const { userId, summary } of events) {
    const bin = byBin.get(summary.binId);
    if (bin) bin.seqs.push(summary.seq);
    else byBin.set(summary.binId, { userId, seqs: [summary.seq] });
  }
  const entries: NotificationEntry[] = [];
  for (const [binId, { userId, seqs }] of byBin) {
    seqs.sort((a, b) => a - b);
    let entry: NotificationEntry | undefined;
    for (const seq of seqs) {
      if (entry && seq <= entry[3] + 1) entry[3] = Math.max(entry[3], seq);
      else {
        entry = [binId, userId, seq, seq];
        entries.push(entry);
      }
    }
  }
  return entries;
}

/** Exponential growth from min towards max, drawn at random above min so instances do not reconnect in step. */
function backoffMs(attempt: number, { min, max }: { min: number; max: number }): number {
  const ceiling = Math.min(max, min * 2 ** Math.min(attempt + 1, 30));
  return min + Math.random() * Math.max(0, ceiling - min);
}

async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

/** What this instance knows about one bin that it has listeners for (directly or through the bin's owner). */
interface BinState {
  binId: string;
  userId: string | undefined;
  /** Every capture up to this seq has been published here, or deliberately passed over. */
  lastSeen: number | undefined;
  /** While lastSeen is unknown: where the next read starts (the lowest announced fromSeq - 1). */
  from: number | undefined;
  /** The highest seq announced; reads go up to it. */
  target: number;
  /** Read everything after lastSeen, page by page (after a reconnect). */
  catchUp: boolean;
  /**
   * Ranges this instance published itself beyond a gap after lastSeen. Reading the gap returns
   * them too; they must not reach the listeners twice.
   */
  own: [number, number][];
  /** The bin's lastSeq when it was first watched: where catch-up starts if no capture was seen since. */
  floor: Promise<number | undefined> | undefined;
  /** A read loop is running (at most one per bin, so announcements arriving meanwhile merge). */
  running: boolean;
  loop: Promise<void> | undefined;
  failures: number;
  retry: ReturnType<typeof setTimeout> | undefined;
}

interface Listening {
  client: pg.Client;
  /** Resolves with the reason and time once the connection is gone (or given up on). */
  lost: Promise<{ error: Error; at: number }>;
  lose(error: Error): void;
}

/**
 * The bus for several instances on one PostgreSQL database. Local delivery and coalescing is a
 * memory bus; between instances, a NOTIFY per publish round carries only bin ids and sequence
 * ranges, and the receiving instance reads the rows from the database, which stays the source of
 * truth. A dropped LISTEN connection is re-established and followed by a catch-up read, so a
 * capture made while it was down still reaches the listeners without waiting for the next one.
 *
 * Returns at once; `check()` rejects until LISTEN is active. Prefer `startPostgresEventBus`.
 */
export function createPostgresEventBus(options: PostgresEventBusOptions): PostgresEventBus {
  const { bus, started } = openPostgresEventBus(options);
  // Failures are logged and retried by the bus itself; this promise only serves startPostgresEventBus.
  started.catch(() => undefined);
  return bus;
}

/**
 * Creates the bus and resolves once LISTEN is active, so an instance does not report ready before
 * it can hear the others. Rejects (and closes the bus) if the first connection attempt fails:
 * a wrong URL or password should stop the start, not turn into an endless retry loop.
 */
export async function startPostgresEventBus(options: PostgresEventBusOptions): Promise<PostgresEventBus> {
  const { bus, started } = openPostgresEventBus(options);
  try {
    await started;
  } catch (error) {
    await bus.close();
    throw new Error(`could not LISTEN on PostgreSQL: ${asError(error).message}`, { cause: error });
  }
  return bus;
}

function openPostgresEventBus(options: PostgresEventBusOptions): { bus: PostgresEventBus; started: Promise<void> } {
  const { pool, connectionString, reader, onLag } = options;
  const instanceId = options.instanceId ?? crypto.randomUUID();
  const channel = options.channel ?? DEFAULT_CAPTURE_CHANNEL;
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(channel)) throw new Error(`invalid NOTIFY channel name: ${channel}`);
  const applicationName = `webhookdump-listen:${instanceId}`.slice(0, 63);
  const delays = options.reconnectDelayMs ?? { min: 100, max: 5_000 };
  const log: PostgresEventBusLog = options.log ?? {
    warn: (obj, msg) => console.warn(msg, obj),
    error: (obj, msg) => console.error(msg, obj),
  };
  const inner = createMemoryEventBus(options.coalesce);

  const binListeners = new Map<string, number>();
  const userListeners = new Map<string, number>();
  const states = new Map<string, BinState>();
  const interested = (binId: string, userId: string | undefined) =>
    binListeners.has(binId) || (userId !== undefined && userListeners.has(userId));

  let closed = false;
  let closing: Promise<void> | null = null;

  // --- per-bin state ------------------------------------------------------------------------

  const stateFor = (binId: string): BinState => {
    let state = states.get(binId);
    if (!state) {
      state = {
        binId,
        userId: undefined,
        lastSeen: undefined,
        from: undefined,
        target: 0,
        catchUp: false,
        own: [],
        floor: undefined,
        running: false,
        loop: undefined,
        failures: 0,
        retry: undefined,
      };
      states.set(binId, state);
    }
    return state;
  };

  const release = (state: BinState) => {
    if (interested(state.binId, state.userId)) return;
    if (state.retry) clearTimeout(state.retry);
    states.delete(state.binId);
  };

  const isCurrent = (state: BinState) => !closed && states.get(state.binId) === state;

  /** Moves lastSeen over own ranges that now continue it. */
  const absorbOwn = (state: BinState) => {
    if (state.lastSeen === undefined || state.own.length === 0) return;
    state.own.sort((a, b) => a[0] - b[0]);
    let seen = state.lastSeen;
    const rest: [number, number][] = [];
    for (const range of state.own) {
      if (range[0] <= seen + 1) seen = Math.max(seen, range[1]);
      else rest.push(range);
    }
    state.lastSeen = seen;
    state.own = rest;
  };

  const kick = (state: BinState): Promise<void> => {
    if (state.retry) {
      clearTimeout(state.retry);
      state.retry = undefined;
    }
    if (!state.running) {
      state.running = true;
      state.loop = drain(state);
    }
    return state.loop ?? Promise.resolve();
  };

  const retryLater = (state: BinState, error: unknown) => {
    state.failures += 1;
    log.error({ err: asError(error), binId: state.binId, failures: state.failures }, "reading announced captures failed; retrying");
    if (!isCurrent(state)) return;
    state.retry = setTimeout(() => {
      state.retry = undefined;
      void kick(state);
    }, backoffMs(state.failures - 1, delays));
    state.retry.unref();
  };

  /** Reads and publishes what was announced (or missed) for one bin until nothing is left. */
  async function drain(state: BinState): Promise<void> {
    try {
      for (;;) {
        if (!isCurrent(state)) return;
        const after = state.lastSeen ?? state.from;
        if (after === undefined) return;
        const unbounded = state.catchUp;
        if (!unbounded && state.target <= after) return;
        const to = unbounded ? undefined : state.target;
        state.catchUp = false;
        let rows: CapturedEvent[];
        try {
          rows = await reader.readBin(state.binId, after, to, READ_PAGE);
        } catch (error) {
          if (unbounded) state.catchUp = true;
          retryLater(state, error);
          return;
        }
        state.failures = 0;
        if (!isCurrent(state)) return;
        const lastRow = rows.at(-1)?.summary.seq;
        const full = rows.length >= READ_PAGE && lastRow !== undefined;
        if (full && unbounded) state.catchUp = true;
        // Without an upper bound, the read saw everything committed: seq is handed out under the
        // bin's row lock, so what is visible is always a prefix.
        const reached = full ? lastRow : (to ?? Math.max(after, lastRow ?? after));
        const seen = state.lastSeen;
        const fresh = rows.filter(
          ({ summary: { seq } }) => (seen === undefined || seq > seen) && !state.own.some(([from, until]) => seq >= from && seq <= until),
        );
        state.userId ??= rows[0]?.userId;
        state.lastSeen = Math.max(seen ?? reached, reached);
        state.from = undefined;
        absorbOwn(state);
        if (fresh.length > 0) inner.publish(fresh);
      }
    } finally {
      state.running = false;
    }
  }

  /** Another instance committed `fromSeq..toSeq` in a bin. */
  const announce = (binId: string, userId: string, fromSeq: number, toSeq: number) => {
    if (!interested(binId, userId)) return;
    const state = stateFor(binId);
    state.userId = userId;
    if (state.lastSeen !== undefined) {
      if (toSeq <= state.lastSeen) return;
    } else {
      state.from = Math.min(state.from ?? fromSeq - 1, fromSeq - 1);
    }
    // With lastSeen known the read starts there, not at fromSeq: captures between the two are
    // committed (their seqs were handed out first) and their notification is late or lost.
    state.target = Math.max(state.target, toSeq);
    void kick(state);
  };

  /** This instance published `fromSeq..toSeq` in a bin itself. */
  const noteOwn = ([binId, userId, fromSeq, toSeq]: NotificationEntry) => {
    if (!interested(binId, userId)) return;
    const state = stateFor(binId);
    state.userId = userId;
    if (state.lastSeen === undefined) {
      if (state.from === undefined && !state.running) state.lastSeen = toSeq;
      else state.own.push([fromSeq, toSeq]);
      return;
    }
    if (fromSeq <= state.lastSeen + 1) {
      state.lastSeen = Math.max(state.lastSeen, toSeq);
      absorbOwn(state);
      return;
    }
    // Another instance's captures sit in the gap and are committed already: read them now
    // rather than wait for a notification that may have been lost.
    state.own.push([fromSeq, toSeq]);
    state.target = Math.max(state.target, fromSeq - 1);
    void kick(state);
  };

  // --- NOTIFY ---------------------------------------------------------------------------------

  // One NOTIFY in flight at a time: rounds published meanwhile share the next one. That keeps
  // this instance's notifications in order and their number bounded by round trips, not rounds.
  let pending: NotificationEntry[] = [];
  let pendingTail = new Map<string, NotificationEntry>();
  let pendingSince = 0;
  let notifying: Promise<void> | null = null;

  const enqueueNotify = (entries: NotificationEntry[]) => {
    if (pending.length === 0) pendingSince = Date.now();
    for (const entry of entries) {
      const tail = pendingTail.get(entry[0]);
      if (tail && tail[3] + 1 === entry[2]) tail[3] = entry[3];
      else {
        const copy: NotificationEntry = [...entry];
        pending.push(copy);
        pendingTail.set(entry[0], copy);
      }
    }
    notifying ??= flushNotify();
  };

  async function flushNotify(): Promise<void> {
    while (pending.length > 0) {
      const entries = pending;
      const publishedAt = pendingSince;
      pending = [];
      pendingTail = new Map();
      const payloads = encodeNotifications(instanceId, publishedAt, entries);
      try {
        // Several payloads go in one statement: one round trip, delivered together at commit.
        const calls = payloads.map((_, i) => `pg_notify($1, $${i + 2})`).join(", ");
        await pool.query(`SELECT ${calls}`, [channel, ...payloads]);
      } catch (error) {
        // Never into the capture path: the rows are committed, and other instances read them on
        // the bin's next capture (gap) or their next reconnect.
        log.error({ err: asError(error), bins: entries.length }, "NOTIFY of captures failed");
      }
    }
    notifying = null;
  }

  // --- LISTEN ---------------------------------------------------------------------------------

  let listening: Listening | null = null;
  let connecting: pg.Client | null = null;
  let everConnected = false;
  let lastError: Error | undefined;
  const endings = new Set<Promise<void>>();
  let wakePause: (() => void) | null = null;
  let checking: Promise<void> | null = null;

  const endClient = (client: pg.Client) => {
    const ending = client.end().catch(() => undefined);
    endings.add(ending);
    void ending.finally(() => endings.delete(ending));
  };

  const onNotification = (message: pg.Notification) => {
    if (message.channel !== channel) return;
    try {
      let data: unknown;
      try {
        data = JSON.parse(message.payload ?? "");
      } catch {
        data = undefined;
      }
      const parsed = ZCaptureNotification.safeParse(data);
      if (!parsed.success) {
        log.warn({ channel, payload: (message.payload ?? "").slice(0, 200) }, "ignoring a malformed capture notification");
        return;
      }
      const { i, t, b } = parsed.data;
      if (i === instanceId) return;
      // Clocks of different hosts disagree a little; a negative lag is noise, not news.
      const lag = Math.max(0, Date.now() - t) / 1000;
      for (const [binId, userId, fromSeq, toSeq] of b) {
        onLag?.(lag);
        announce(binId, userId, fromSeq, toSeq);
      }
    } catch (error) {
      // Thrown from here it would surface inside pg's message parser.
      log.error({ err: asError(error) }, "handling a capture notification failed");
    }
  };

  async function listen(): Promise<Listening> {
    const client = new pg.Client({
      connectionString,
      application_name: applicationName,
      // A silently dropped connection (NAT, failover) is noticed by TCP keepalive, or by check().
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      connectionTimeoutMillis: 10_000,
    });
    let gone = false;
    let signal!: (reason: { error: Error; at: number }) => void;
    const lost = new Promise<{ error: Error; at: number }>((resolve) => (signal = resolve));
    const lose = (error: Error) => {
      if (gone) return;
      gone = true;
      client.off("notification", onNotification);
      if (listening?.client === client) listening = null;
      signal({ error, at: Date.now() });
      endClient(client);
    };
    client.on("error", lose);
    client.on("end", () => lose(new Error("LISTEN connection ended")));
    client.on("notification", onNotification);
    connecting = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      lose(asError(error));
      throw asError(error);
    } finally {
      connecting = null;
    }
    if (gone) throw (await lost).error;
    return { client, lost, lose };
  }

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakePause = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakePause = done;
    });

  /** After a gap in listening: what the watched bins and users missed since `downSince`. */
  async function catchUp(downSince: number): Promise<void> {
    await forEachLimited([...binListeners.keys()], CATCH_UP_CONCURRENCY, async (binId) => {
      const state = states.get(binId);
      if (!state || closed) return;
      if (state.lastSeen === undefined) {
        const floor = await state.floor;
        if (!isCurrent(state)) return;
        if (state.lastSeen === undefined) {
          // No baseline (its lookup failed): the subscriber's own database read is all there is.
          if (floor === undefined) return;
          state.from = Math.min(state.from ?? floor, floor);
        }
      }
      state.catchUp = true;
      await kick(state);
    });
    // Bins first: a user's bins watched directly are complete by now, and their lastSeen tells
    // which of the newest captures below the user listeners already have.
    const since = new Date(downSince - USER_CATCH_UP_MARGIN_MS);
    for (const userId of [...userListeners.keys()]) {
      if (closed) return;
      let events: CapturedEvent[];
      try {
        events = await reader.readUserSince(userId, since);
      } catch (error) {
        log.error({ err: asError(error), userId }, "catching up a user's bins after reconnecting failed");
        continue;
      }
      if (closed || !userListeners.has(userId)) continue;
      const fresh = events.filter(({ summary }) => {
        const seen = states.get(summary.binId)?.lastSeen;
        return seen === undefined || summary.seq > seen;
      });
      for (const { userId: owner, summary } of fresh) {
        const state = stateFor(summary.binId);
        state.userId = owner;
        state.lastSeen = Math.max(state.lastSeen ?? summary.seq, summary.seq);
        absorbOwn(state);
      }
      if (fresh.length > 0) inner.publish(fresh);
    }
  }

  let settleStart: { resolve: () => void; reject: (error: Error) => void } | null = null;
  const started = new Promise<void>((resolve, reject) => (settleStart = { resolve, reject }));

  async function run(): Promise<void> {
    // Until the first LISTEN nothing was heard: subscribers that came early are caught up too.
    let downSince = Date.now();
    let attempt = 0;
    while (!closed) {
      let conn: Listening;
      try {
        conn = await listen();
      } catch (error) {
        lastError = asError(error);
        if (settleStart) {
          settleStart.reject(lastError);
          settleStart = null;
        }
        if (closed) return;
        log.warn({ err: lastError, attempt: attempt + 1 }, "could not LISTEN for captures; retrying");
        await pause(backoffMs(attempt++, delays));
        continue;
      }
      if (closed) {
        conn.lose(new Error("event bus closed"));
        return;
      }
      listening = conn;
      everConnected = true;
      lastError = undefined;
      attempt = 0;
      settleStart?.resolve();
      settleStart = null;
      try {
        await catchUp(downSince);
      } catch (error) {
        log.error({ err: asError(error) }, "catching up after (re)connecting failed");
      }
      const { error, at } = await conn.lost;
      if (closed) return;
      downSince = at;
      lastError = error;
      log.warn({ err: error }, "LISTEN connection for captures lost; reconnecting");
      await pause(backoffMs(attempt++, delays));
    }
  }

  const running = run().catch((error: unknown) => log.error({ err: asError(error) }, "the LISTEN loop stopped"));

  async function ping(conn: Listening): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer to SELECT 1 within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
    });
    try {
      await Promise.race([conn.client.query("SELECT 1"), timeout]);
    } catch (error) {
      const failure = new Error(`LISTEN connection is not answering: ${asError(error).message}`);
      // A connection that does not answer does not deliver either: replace it.
      conn.lose(failure);
      throw failure;
    } finally {
      clearTimeout(timer);
    }
  }

  const bus: PostgresEventBus = {
    instanceId,
    applicationName,

    publish(events) {
      if (closed || events.length === 0) return;
      inner.publish(events);
      const entries = rangesOf(events);
      for (const entry of entries) noteOwn(entry);
      enqueueNotify(entries);
    },

    subscribeBin(binId, listener) {
      const unsubscribe = inner.subscribeBin(binId, listener);
      binListeners.set(binId, (binListeners.get(binId) ?? 0) + 1);
      const state = stateFor(binId);
      if (state.lastSeen === undefined && state.floor === undefined && !closed) {
        state.floor = reader.readLastSeq(binId).catch((error: unknown) => {
          log.warn({ err: asError(error), binId }, "reading a bin's last sequence number failed");
          return undefined;
        });
      }
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        unsubscribe();
        const count = (binListeners.get(binId) ?? 1) - 1;
        if (count > 0) binListeners.set(binId, count);
        else {
          binListeners.delete(binId);
          const watched = states.get(binId);
          if (watched) release(watched);
        }
      };
    },

    subscribeUser(userId, listener) {
      const unsubscribe = inner.subscribeUser(userId, listener);
      userListeners.set(userId, (userListeners.get(userId) ?? 0) + 1);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        unsubscribe();
        const count = (userListeners.get(userId) ?? 1) - 1;
        if (count > 0) userListeners.set(userId, count);
        else {
          userListeners.delete(userId);
          for (const state of [...states.values()]) if (state.userId === userId) release(state);
        }
      };
    },

    check() {
      if (closed) return Promise.reject(new Error("event bus is closed"));
      const conn = listening;
      if (!conn) {
        // The message is public (GET /api/ready); the driver's error, which may name hosts and
        // users, stays in the cause and in the log written when the connection failed.
        return Promise.reject(
          new Error(`LISTEN connection is down (${everConnected ? "reconnecting" : "connecting"})`, { cause: lastError }),
        );
      }
      checking ??= ping(conn).finally(() => {
        checking = null;
      });
      return checking;
    },

    close() {
      closing ??= (async () => {
        closed = true;
        wakePause?.();
        for (const state of states.values()) if (state.retry) clearTimeout(state.retry);
        listening?.lose(new Error("event bus closed"));
        if (connecting) endClient(connecting);
        await running;
        // Rows already committed still deserve their announcement.
        await notifying;
        await Promise.allSettled([...states.values()].map((state) => state.loop));
        // A graceful end waits for the server's goodbye, which a black-holed connection never
        // sends: shutting down must not hang on it (TCP keepalive reaps the socket later).
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([Promise.all(endings), new Promise((resolve) => (timer = setTimeout(resolve, 1_000)))]);
        clearTimeout(timer);
        states.clear();
        binListeners.clear();
        userListeners.clear();
        await inner.close();
      })();
      return closing;
    },
  };

  return { bus, started };
}
