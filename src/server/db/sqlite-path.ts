import path from "node:path";

/** Resolves a Prisma-style `file:` URL to an absolute path, relative to the working directory. */
export function sqlitePathFromUrl(url: string): string {
  const raw = url.replace(/^file:/, "").replace(/\?.*$/, "");
  if (raw === ":memory:") return raw;
  return path.resolve(raw);
}
