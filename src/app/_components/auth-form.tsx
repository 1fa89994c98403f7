"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { authClient } from "~/lib/auth-client";
import { toSentence } from "~/lib/field-errors";

type Field = "name" | "email" | "password" | "form";

/** Maps better-auth's error codes to the field a person should fix, in plain words. */
function describeError(error: { code?: string; message?: string; status: number }): { field: Field; message: string } {
  switch (error.code) {
    case "USER_ALREADY_EXISTS":
    case "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL":
      return { field: "email", message: "An account with this email already exists. Sign in instead?" };
    case "INVALID_EMAIL":
      return { field: "email", message: "Enter a valid email address." };
    case "PASSWORD_TOO_SHORT":
      return { field: "password", message: "Use at least 8 characters." };
    case "PASSWORD_TOO_LONG":
      return { field: "password", message: "Use at most 128 characters." };
    case "INVALID_EMAIL_OR_PASSWORD":
      return { field: "password", message: "Wrong email or password." };
  }
  if (error.status === 429) return { field: "form", message: "Too many attempts. Wait a few seconds and try again." };
  const fieldMatch = /\[body\.(name|email|password)\]\s*(.*)/.exec(error.message ?? "");
  if (fieldMatch?.[1]) return { field: fieldMatch[1] as Field, message: toSentence(fieldMatch[2] || "Invalid value.") };
  return { field: "form", message: toSentence(error.message || "Something went wrong. Try again.") };
}

/** `next` is where to go once signed in, already checked to be a path on this site (safeNextPath). */
export function AuthForm({ mode, next, githubEnabled }: { mode: "sign-in" | "sign-up"; next: string; githubEnabled: boolean }) {
  const carryNext = next === "/bins" ? "" : `?next=${encodeURIComponent(next)}`;
  const [error, setError] = useState<{ field: Field; message: string } | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const email = String(data.get("email") ?? "");
    const password = String(data.get("password") ?? "");
    setPending(true);
    setError(null);
    const result =
      mode === "sign-up"
        ? await authClient.signUp.email({ name: String(data.get("name") ?? "") || email.split("@")[0] || email, email, password })
        : await authClient.signIn.email({ email, password });
    setPending(false);
    if (result.error) {
      setError(describeError(result.error));
      return;
    }
    // A full navigation, not a client-side one: the WebSocket and the query cache were opened as
    // a signed-out visitor and must start over as this user.
    window.location.assign(next);
  }

  const fieldError = (field: Field) =>
    error?.field === field ? (
      <p id={`${field}-error`} role="alert" className="mt-1 text-sm text-red-600 dark:text-red-400">
        {error.message}
      </p>
    ) : null;
  const inputClass =
    "mt-1 block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500 dark:border-zinc-700 dark:bg-zinc-900";

  return (
    <div className="mx-auto mt-16 w-full max-w-sm rounded-xl border border-zinc-200 bg-white p-8 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <h1 className="text-2xl font-semibold">{mode === "sign-up" ? "Create your account" : "Sign in to WebhookDump"}</h1>
      <form className="mt-6 space-y-4" onSubmit={onSubmit} noValidate>
        {mode === "sign-up" && (
          <div>
            <label htmlFor="name" className="block text-sm font-medium">Name</label>
            <input id="name" name="name" autoComplete="name" className={inputClass} aria-describedby="name-error" />
            {fieldError("name")}
          </div>
        )}
        <div>
          <label htmlFor="email" className="block text-sm font-medium">Email</label>
          <input id="email" name="email" type="email" required autoComplete="email" className={inputClass} aria-invalid={error?.field === "email"} aria-describedby="email-error" />
          {fieldError("email")}
        </div>
        <div>
          <label htmlFor="password" className="block text-sm font-medium">Password</label>
          <input id="password" name="password" type="password" required minLength={mode === "sign-up" ? 8 : undefined} autoComplete={mode === "sign-up" ? "new-password" : "current-password"} className={inputClass} aria-invalid={error?.field === "password"} aria-describedby="password-error" />
          {mode === "sign-up" && <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">At least 8 characters.</p>}
          {fieldError("password")}
        </div>
        {fieldError("form")}
        <button type="submit" disabled={pending} className="w-full rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2 disabled:opacity-60">
          {pending ? "Please wait…" : mode === "sign-up" ? "Sign up" : "Sign in"}
        </button>
      </form>
      {githubEnabled && (
        <button type="button" onClick={() => void authClient.signIn.social({ provider: "github", callbackURL: next })} className="mt-3 w-full rounded-md border border-zinc-300 px-4 py-2 text-sm font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800">
          Continue with GitHub
        </button>
      )}
      <p className="mt-6 text-center text-sm text-zinc-600 dark:text-zinc-400">
        {mode === "sign-up" ? (
          <>Already have an account? <Link className="font-medium text-indigo-600 hover:underline dark:text-indigo-400" href={`/sign-in${carryNext}`}>Sign in</Link></>
        ) : (
          <>New here? <Link className="font-medium text-indigo-600 hover:underline dark:text-indigo-400" href={`/sign-up${carryNext}`}>Create an account</Link></>
        )}
      </p>
    </div>
  );
}
