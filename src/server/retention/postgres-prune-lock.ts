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
    try {
      const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [PRUNE_LOCK_KEY]);
      if (!rows[0]?.locked) return false;
      try {
        await round();
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [PRUNE_LOCK_KEY]);
      }
      return true;
    } finally {
      client.release();
    }
  };
}
