import type { WebSocket } from "ws";
import { sharedJsonEncoder, sharedTransformer } from "./shared-serialization";

// A bin watched by a thousand dashboards sends each event a thousand times. Through tRPC's
// WebSocket adapter every one of those is an async iteration step, an envelope, a transformer call
// and an encode per subscriber, several times the cost of the socket write itself. So the live
// subscriptions write their data messages themselves: the same bytes tRPC would send, built once
// per event and subscription id, written from the bus's delivery. tRPC still handles everything
// else (starting, input and ownership checks, errors, stopping, keep-alive, reconnect notices).
//
// A data message must carry the id the client gave the subscription request, which tRPC does not
// pass to procedures. The WebSocket decoder stamps it into the request's own input (overwriting
// anything a client put there), and `directSubscription` reads it back from the raw input.

const ADDRESS_FIELD = "$wsSubscription";

/** The id (and JSON-RPC marker) of one subscription request on one WebSocket connection. */
export interface SubscriptionAddress {
  id: number | string;
  jsonrpc?: "2.0";
}

/** Where a subscription's data messages go when it writes them itself. */
export interface DirectSubscription {
  socket: WebSocket;
  address: SubscriptionAddress;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * For the WebSocket decoder: stamps every subscription request's input (superjson's `{ json }`
 * form) with the request's id, and strips the field from anything else a client sends.
 */
export function stampSubscriptionRequests<T>(decoded: T): T {
  for (const message of Array.isArray(decoded) ? (decoded as unknown[]) : [decoded]) {
    if (!isRecord(message) || !isRecord(message.params) || !isRecord(message.params.input)) continue;
    const json = message.params.input.json;
    if (!isRecord(json)) continue;
    const { id, jsonrpc } = message;
    if (message.method === "subscription" && (typeof id === "number" || typeof id === "string")) {
      json[ADDRESS_FIELD] = jsonrpc === "2.0" ? { id, jsonrpc } : { id };
    } else {
      delete json[ADDRESS_FIELD];
    }
  }
  return decoded;
}

/** The address the decoder stamped into a subscription's raw input, if any. */
export function subscriptionAddressOf(rawInput: unknown): SubscriptionAddress | null {
  if (!isRecord(rawInput)) return null;
  const address = rawInput[ADDRESS_FIELD];
  if (!isRecord(address)) return null;
  const { id, jsonrpc } = address;
  if (typeof id !== "number" && typeof id !== "string") return null;
  return jsonrpc === "2.0" ? { id, jsonrpc } : { id };
}

// Per shared data object (a published batch, a summary): its encoded message per address.
const encoded = new WeakMap<object, Map<string, Buffer>>();

/**
 * The message tRPC's WebSocket adapter sends for `yield tracked(trackedId, data)`, encoded by the
 * same encoder; built once per data object and address, however many sockets it goes to.
 */
export function trackedDataMessage(address: SubscriptionAddress, trackedId: string, data: object): Buffer {
  let byAddress = encoded.get(data);
  if (!byAddress) {
    byAddress = new Map();
    encoded.set(data, byAddress);
  }
  const key = `${typeof address.id}:${address.id}:${address.jsonrpc ?? ""}:${trackedId}`;
  let message = byAddress.get(key);
  if (!message) {
    const envelope = {
      id: address.id,
      jsonrpc: address.jsonrpc,
      result: { type: "data", id: trackedId, data: sharedTransformer.serialize({ id: trackedId, data }) },
    };
    message = Buffer.from(sharedJsonEncoder.encode(envelope));
    byAddress.set(key, message);
  }
  return message;
}

/** Sends `tracked(trackedId, data)` to the subscription, as a text frame like tRPC's own. */
export function sendTracked(target: DirectSubscription, trackedId: string, data: object): void {
  target.socket.send(trackedDataMessage(target.address, trackedId, data), { binary: false });
}

/**
 * The value a directly-writing subscription returns to tRPC: a stream that never yields. `write`
 * starts when tRPC starts reading it and must not send before its first await (tRPC tells the
 * client the subscription started in that same tick); the stream ends when `write` settles, so
 * tRPC reports its failure or its end as for any other subscription.
 */
export async function* writtenDirectly(write: () => Promise<void>): AsyncGenerator<never> {
  await write();
}
