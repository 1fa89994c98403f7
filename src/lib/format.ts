export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatTime(date: Date): string {
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
}

/** `https://host` + `/b/slug`: where senders post. */
export function captureUrlFor(base: string | null, slug: string): string {
  const origin = base ?? (typeof window === "undefined" ? "" : window.location.origin);
  return `${origin}/b/${slug}`;
}
