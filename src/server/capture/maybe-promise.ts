/**
 * A value that may already be there. The capture path runs thousands of times a second and most of
 * its steps answer synchronously (SQLite lookups from a cache, rate limits switched off); each
 * needless promise there costs a microtask and, with Next's AsyncLocalStorage active in the
 * process, an async-hooks round.
 */
export type MaybePromise<T> = T | Promise<T>;

/** `next(value)` at once when `value` is there, else when it resolves. */
export function andThen<T, U>(value: MaybePromise<T>, next: (resolved: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}
