import crypto from "node:crypto";
import type { Db } from "~/server/db/create-db";
import { createBin } from "~/server/bins/bins-service";

/** A user row written directly, for tests that need an owner but not a sign-in. */
export async function seedUser(db: Db, email = `seed-${crypto.randomUUID()}@example.com`) {
  return db.user.create({ data: { id: crypto.randomUUID(), name: "Seed", email } });
}

export async function seedBin(db: Db, slug?: string) {
  const user = await seedUser(db);
  const bin = await createBin(db, user.id, { name: "Seeded bin", slug });
  return { user, bin };
}
