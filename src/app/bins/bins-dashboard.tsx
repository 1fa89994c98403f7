"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { fieldErrors } from "~/lib/field-errors";
import { formatTime } from "~/lib/format";
import { api } from "~/trpc/react";
import { ConnectionIndicator } from "../_components/connection-indicator";

export function BinsDashboard() {
  const router = useRouter();
  const bins = api.bins.list.useQuery();
  const utils = api.useUtils();
  // Counts come from the server; activity events only say "something changed", so refetch at most
  // a few times a second however busy the bins are.
  const refetchTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (refetchTimer.current) clearTimeout(refetchTimer.current);
  }, []);
  api.bins.onActivity.useSubscription(undefined, {
    onStarted: () => void utils.bins.list.invalidate(),
    onData: (activity) => {
      utils.bins.list.setData(undefined, (old) =>
        old?.map((b) => (b.id === activity.binId ? { ...b, lastRequestAt: new Date(activity.receivedAt) } : b)),
      );
      refetchTimer.current ??= setTimeout(() => {
        refetchTimer.current = null;
        void utils.bins.list.invalidate();
      }, 300);
    },
  });
  const [errors, setErrors] = useState<{ name?: string; slug?: string; form?: string }>({});
  const create = api.bins.create.useMutation({
    onSuccess: async (bin) => {
      await utils.bins.list.invalidate();
      router.push(`/bins/${bin.slug}`);
    },
    onError: (error) => setErrors(fieldErrors(error, ["name", "slug"])),
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const slug = String(data.get("slug") ?? "").trim();
    setErrors({});
    create.mutate({ name: String(data.get("name") ?? ""), slug: slug === "" ? undefined : slug });
  }

  const inputClass =
    "mt-1 block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500 dark:border-zinc-700 dark:bg-zinc-900";

  return (
    <div className="grid gap-8 lg:grid-cols-[1fr_22rem]">
      <section aria-labelledby="bins-heading">
        <div className="flex items-center justify-between">
          <h1 id="bins-heading" className="text-xl font-semibold">Your bins</h1>
          <ConnectionIndicator />
        </div>
        {bins.isPending && <p className="mt-4 text-sm text-zinc-500 dark:text-zinc-400">Loading bins…</p>}
        {bins.isError && <p role="alert" className="mt-4 text-sm text-red-600">Could not load bins: {bins.error.message}</p>}
        {bins.data?.length === 0 && (
          <div className="mt-4 rounded-lg border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
            No bins yet. Create one to get a capture URL you can point any webhook sender at.
          </div>
        )}
        {bins.data && bins.data.length > 0 && (
          <ul className="mt-4 divide-y divide-zinc-200 overflow-hidden rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900" data-testid="bins-list">
            {bins.data.map((bin) => (
              <li key={bin.id}>
                <Link href={`/bins/${bin.slug}`} className="flex items-center gap-4 px-4 py-3 hover:bg-zinc-50 focus:outline-none focus-visible:bg-zinc-100 dark:hover:bg-zinc-800/60">
                  <span className="min-w-0 flex-1">
                    <span className="block truncate font-medium">{bin.name}</span>
                    <span className="block truncate font-mono text-xs text-zinc-500 dark:text-zinc-400">/b/{bin.slug}</span>
                  </span>
                  <span className="text-right text-xs text-zinc-500 dark:text-zinc-400">
                    <span className="block">{bin.requestCount.toLocaleString()} {bin.requestCount === 1 ? "request" : "requests"}</span>
                    <span className="block">{bin.lastRequestAt ? `last ${formatTime(bin.lastRequestAt)}` : "no requests yet"}</span>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="create-heading" className="h-fit rounded-lg border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
        <h2 id="create-heading" className="font-semibold">New bin</h2>
        <form className="mt-4 space-y-4" onSubmit={onSubmit} noValidate>
          <div>
            <label htmlFor="bin-name" className="block text-sm font-medium">Name</label>
            <input id="bin-name" name="name" required maxLength={100} className={inputClass} placeholder="Stripe staging" aria-invalid={Boolean(errors.name)} aria-describedby="bin-name-error" />
            {errors.name && <p id="bin-name-error" role="alert" className="mt-1 text-sm text-red-600 dark:text-red-400">{errors.name}</p>}
          </div>
          <div>
            <label htmlFor="bin-slug" className="block text-sm font-medium">Custom slug <span className="font-normal text-zinc-500 dark:text-zinc-400">(optional)</span></label>
            <input id="bin-slug" name="slug" maxLength={64} className={`${inputClass} font-mono`} placeholder="random if empty" aria-invalid={Boolean(errors.slug)} aria-describedby="bin-slug-help bin-slug-error" />
            <p id="bin-slug-help" className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">3–64 lowercase letters, digits and dashes. Leave empty for an unguessable address.</p>
            {errors.slug && <p id="bin-slug-error" role="alert" className="mt-1 text-sm text-red-600 dark:text-red-400">{errors.slug}</p>}
          </div>
          {errors.form && <p role="alert" className="text-sm text-red-600 dark:text-red-400">{errors.form}</p>}
          <button type="submit" disabled={create.isPending} className="w-full rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2 disabled:opacity-60">
            {create.isPending ? "Creating…" : "Create bin"}
          </button>
        </form>
      </section>
    </div>
  );
}
