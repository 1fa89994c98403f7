import superjson from "superjson";
import type { Encoder } from "@trpc/server/adapters/ws";

// Live batches go to many subscribers at once, and under load every subscriber's batch is a
// different array of the same summary objects. So the unit of reuse is the summary: each is
// turned into JSON once, however many subscribers and batches it travels in.
const plainLists = new WeakSet<object>();
const itemJson = new WeakMap<object, string>();

/**
 * Marks an array of plain JSON objects (strings, numbers, booleans, null; no Dates) that is sent
 * to subscribers unchanged. superjson would pass such values through as `{ json: value }`, so
 * they skip it, and their items' JSON is cached. Neither the array nor its items may be mutated.
 */
export function shareSerialization<T extends readonly object[]>(list: T): T {
  plainLists.add(list);
  return list;
}

const isPrimitive = (value: unknown) => value === null || ["string", "number", "boolean"].includes(typeof value);

/**
 * A shared list, or an object of primitives holding one (tRPC wraps a tracked event as
 * `{ id, data }`): superjson's output for it is just `{ json: value }`.
 */
function carriesSharedList(value: unknown): value is object {
  if (typeof value !== "object" || value === null) return false;
  if (plainLists.has(value)) return true;
  if (Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) return false;
  let found = false;
  for (const field of Object.values(value)) {
    if (typeof field === "object" && field !== null && plainLists.has(field)) found = true;
    else if (!isPrimitive(field)) return false;
  }
  return found;
}

/** superjson, except for shared plain lists (see shareSerialization). */
export const sharedTransformer = {
  serialize(value: unknown) {
    return carriesSharedList(value) ? { json: value } : superjson.serialize(value);
  },
  deserialize: (value: unknown) => superjson.deserialize(value as Parameters<typeof superjson.deserialize>[0]),
};

function jsonOfItem(item: unknown): string {
  if (typeof item !== "object" || item === null) return JSON.stringify(item);
  let json = itemJson.get(item);
  if (json === undefined) {
    json = JSON.stringify(item);
    itemJson.set(item, json);
  }
  return json;
}

const PLACEHOLDER = "\u0000webhookdump-shared\u0000";
const PLACEHOLDER_JSON = JSON.stringify(PLACEHOLDER);

/**
 * tRPC's WebSocket wire format (plain JSON, what the client's default decoder reads), with shared
 * lists spliced in from the per-item cache instead of being stringified per subscriber.
 */
export const sharedJsonEncoder: Encoder = {
  encode(message) {
    let spliced: string | undefined;
    const json = JSON.stringify(message, (_key, value: unknown) => {
      if (spliced === undefined && Array.isArray(value) && plainLists.has(value)) {
        spliced = `[${value.map(jsonOfItem).join(",")}]`;
        return PLACEHOLDER;
      }
      return value;
    });
    return spliced === undefined ? json : json.replace(PLACEHOLDER_JSON, () => spliced as string);
  },
  decode(data) {
    return JSON.parse(typeof data === "string" ? data : new TextDecoder().decode(data));
  },
};
