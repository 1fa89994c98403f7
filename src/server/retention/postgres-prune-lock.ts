import type pg from "pg";
import type { PruneLock } from "./create-pruner";

// Any constant shared by all instances; distinct from Prisma Migrate's 72707369.
const PRUNE_LOCK_KEY = 72707370;

/**
 * One pruning round at a time across every instance on the database: a session advisory lock held
 * on one pooled connection for the round. If the instance dies, its session ends and PostgreSQL
 * releases the lock.
 */
export function postgresPruneLock(pool: pg.Pool): PruneLock {
  return async (round) => {
    const client = await pool.connect();
    // A session whose unlock failed may still hold the lock: it is closed, not pooled, or every
    // instance would find the lock taken for as long as that connection lived.
    let broken: Error | undefined;
    try {
      const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [PRUNE_LOCK_KEY]);
      if (!rows[0]?.locked) return false;
      try {
        await round();
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [PRUNE_LOCK_KEY]).catch((error: unknown) => {
          broken = error instanceof Error ? error : new Error(String(error));
        });
      }
      return true;
    } catch (error) {
      broken ??= error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      client.release(broken);
    }
  };
}
