"use client";

import { useState, type FormEvent } from "react";
import { fieldErrors } from "~/lib/field-errors";
import { formatTime } from "~/lib/format";
import { api } from "~/trpc/react";
import { CopyButton } from "../_components/copy-button";

export function TokensPanel() {
  const utils = api.useUtils();
  const tokens = api.tokens.list.useQuery();
  const [created, setCreated] = useState<{ id: string; token: string } | null>(null);
  const create = api.tokens.create.useMutation({
    onSuccess: async (token) => {
      setCreated({ id: token.id, token: token.token });
      await utils.tokens.list.invalidate();
    },
  });
  const revoke = api.tokens.revoke.useMutation({
    onSuccess: async (_, { id }) => {
      // A revoked secret is worthless; leaving it on screen invites copying a dead token.
      setCreated((current) => (current?.id === id ? null : current));
      await utils.tokens.list.invalidate();
    },
  });
  const createErrors = fieldErrors(create.error, ["name"]);
  const revokeError = revoke.error ? fieldErrors(revoke.error, []).form : undefined;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    create.mutate({ name: String(new FormData(form).get("name") ?? "") }, { onSuccess: () => form.reset() });
  }

  return (
    <div className="max-w-3xl space-y-6">
      <div>
        <h1 className="text-xl font-semibold">API tokens</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          Use a token with the REST API: <code className="font-mono">Authorization: Bearer &lt;token&gt;</code>. A token is shown once; only its hash is stored.
        </p>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          The API is described in <a href="/api/v1/openapi.json" className="font-medium text-indigo-700 underline hover:text-indigo-600 dark:text-indigo-400">OpenAPI 3.1 (openapi.json)</a>. The same token logs in the <code className="font-mono">webhookdump</code> CLI: <code className="font-mono">webhookdump login --server {"<this server's URL>"}</code>.
        </p>
      </div>
      <form onSubmit={onSubmit} className="flex gap-2" noValidate>
        <div className="flex-1">
          <label htmlFor="token-name" className="block text-sm font-medium">Token name</label>
          <input id="token-name" name="name" required maxLength={100} placeholder="CI pipeline" aria-invalid={createErrors.name ? true : undefined} aria-describedby={createErrors.name ? "token-name-error" : undefined} className="mt-1 block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900" />
          {createErrors.name && <p id="token-name-error" role="alert" className="mt-1 text-sm text-red-700 dark:text-red-400">{createErrors.name}</p>}
        </div>
        <button type="submit" disabled={create.isPending} className="self-start mt-6 rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500 disabled:opacity-60">Create token</button>
      </form>
      {(createErrors.form ?? revokeError) && <p role="alert" className="text-sm text-red-700 dark:text-red-400">{createErrors.form ?? revokeError}</p>}
      {created && (
        <div role="status" className="rounded-md border border-green-300 bg-green-50 p-4 text-sm dark:border-green-900 dark:bg-green-950">
          <p className="font-medium">Copy your new token now; it will not be shown again.</p>
          <div className="mt-2 flex items-center gap-2">
            <code data-testid="new-token" className="min-w-0 flex-1 break-all font-mono">{created.token}</code>
            <CopyButton text={created.token} />
          </div>
        </div>
      )}
      {tokens.data?.length === 0 && <p className="text-sm text-zinc-500 dark:text-zinc-400">No tokens yet.</p>}
      {tokens.data && tokens.data.length > 0 && (
        <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
          {tokens.data.map((token) => (
            <li key={token.id} className="flex items-center gap-4 px-4 py-3 text-sm">
              <span className="min-w-0 flex-1">
                <span className="block font-medium">{token.name}</span>
                <span className="block font-mono text-xs text-zinc-500 dark:text-zinc-400">{token.prefix}… · created {formatTime(token.createdAt)} · {token.lastUsedAt ? `last used ${formatTime(token.lastUsedAt)}` : "never used"}</span>
              </span>
              <button type="button" onClick={() => { if (window.confirm(`Revoke "${token.name}"?`)) revoke.mutate({ id: token.id }); }} className="rounded-md border border-red-300 px-2 py-1 text-xs text-red-700 hover:bg-red-50 dark:border-red-900 dark:text-red-400">Revoke</button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
