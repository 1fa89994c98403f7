import crypto from "node:crypto";
import { z } from "zod";
import type { Auth } from "./create-auth";
import { MIN_PASSWORD_LENGTH } from "./create-auth";

/**
 * Accounts an operator creates or repairs from the command line (npm run user:create /
 * user:reset-password), for instances without email. They go through better-auth's own adapter and
 * password hashing, so the result signs in exactly like a sign-up; being no HTTP sign-up, they are
 * allowed when SIGNUPS=closed.
 */
export const ZOperatorEmail = z.email().transform((email) => email.toLowerCase());
export const ZOperatorPassword = z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).max(128);
export const ZCreateUserInput = z.object({
  email: ZOperatorEmail,
  name: z.string().trim().min(1).max(100),
  password: ZOperatorPassword,
});

export class OperatorError extends Error {}

/** A password to hand to a person once: 18 random bytes, base64url (24 characters). */
export function generatePassword(): string {
  return crypto.randomBytes(18).toString("base64url");
}

export async function createUserAccount(auth: Auth, input: z.input<typeof ZCreateUserInput>): Promise<{ userId: string; email: string }> {
  const { email, name, password } = ZCreateUserInput.parse(input);
  const context = await auth.$context;
  if (await context.internalAdapter.findUserByEmail(email)) throw new OperatorError(`A user with the email ${email} exists already.`);
  const user = await context.internalAdapter.createUser({ email, name, emailVerified: false }, { method: "admin" });
  if (!user) throw new OperatorError("better-auth refused to create the user.");
  await context.internalAdapter.linkAccount({
    userId: user.id,
    providerId: "credential",
    accountId: user.id,
    password: await context.password.hash(password),
  });
  return { userId: user.id, email };
}

/** Sets a new password and ends every session of the user (a reset is often after a leak). */
export async function resetUserPassword(auth: Auth, rawEmail: string, rawPassword: string): Promise<{ userId: string; sessionsEnded: number }> {
  const email = ZOperatorEmail.parse(rawEmail);
  const password = ZOperatorPassword.parse(rawPassword);
  const context = await auth.$context;
  const found = await context.internalAdapter.findUserByEmail(email);
  if (!found) throw new OperatorError(`No user with the email ${email}.`);
  const hash = await context.password.hash(password);
  const userId = found.user.id;
  // A GitHub-only account has no password yet: give it one.
  if (await context.internalAdapter.findCredentialAccount(userId)) await context.internalAdapter.updatePassword(userId, hash);
  else await context.internalAdapter.linkAccount({ userId, providerId: "credential", accountId: userId, password: hash });
  const sessions = await context.internalAdapter.listSessions(userId);
  await context.internalAdapter.deleteUserSessions(userId);
  return { userId, sessionsEnded: sessions.length };
}
