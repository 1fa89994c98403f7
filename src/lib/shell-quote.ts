/**
 * POSIX single-quoting: everything between single quotes is literal in sh, bash and zsh ($, `, \,
 * !, newlines included); a single quote itself is closed, escaped and reopened.
 */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
