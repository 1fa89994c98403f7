/**
 * A server error as the browser receives it from tRPC: `data.zodIssues` for input validation
 * (path and message of each issue, see src/server/trpc/init.ts), `data.field` for a service's
 * error about one field. Structural, so this module needs no client library.
 */
export interface TServerErrorLike {
  message: string;
  data?: { zodIssues?: readonly { path: string; message: string }[] | null; field?: string | null } | null;
}

export type TFieldErrors<F extends string> = Partial<Record<F | "form", string>>;

const GENERIC = "Something in this form is not valid. Check the values and try again.";

/** zod's built-in messages and transport failures, as sentences a person can act on. */
const REWRITES: [RegExp, (match: RegExpExecArray) => string][] = [
  [/^Invalid input: expected number, received NaN/, () => "Enter a number."],
  [/^Invalid input: expected int/, () => "Enter a whole number."],
  [/^Invalid input: expected (\w+), received (undefined|null)/, () => "This field is required."],
  [/^Too small: expected number to be >=(-?[\d.]+)/, (m) => `Enter ${m[1]} or more.`],
  [/^Too small: expected number to be >(-?[\d.]+)/, (m) => `Enter a number above ${m[1]}.`],
  [/^Too big: expected number to be <=(-?[\d.]+)/, (m) => `Enter ${m[1]} or less.`],
  [/^Too big: expected number to be <(-?[\d.]+)/, (m) => `Enter a number below ${m[1]}.`],
  [/^Too small: expected string to have >=1 characters?/, () => "This field is required."],
  [/^Too small: expected string to have >=(\d+) characters?/, (m) => `Use at least ${m[1]} characters.`],
  [/^Too big: expected string to have <=(\d+) characters?/, (m) => `Use at most ${m[1]} characters.`],
  [/^Too big: expected array to have <=(\d+) items?/, (m) => `Use at most ${m[1]} entries.`],
  [/^Invalid string: must match pattern/, () => "This value contains characters that are not allowed."],
  [/^Invalid (input|option)/, () => "This value is not valid."],
  [/^(Failed to fetch|NetworkError|Load failed|fetch failed)/i, () => "Could not reach the server. Check your connection and try again."],
];

/** One message as a sentence: never JSON, capitalised, ending with a full stop. */
export function toSentence(message: string): string {
  const text = message.trim();
  if (text === "" || text.startsWith("[") || text.startsWith("{")) return GENERIC;
  for (const [pattern, rewrite] of REWRITES) {
    const match = pattern.exec(text);
    if (match) return rewrite(match);
  }
  const capitalised = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?…)]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

/**
 * A server error turned into one sentence per form field, the first issue of each field winning.
 * `fields` are dotted input paths ("name", "response.status"); an issue belongs to the longest
 * field its path starts with ("response.headers.0.0" → "response.headers"), after `prefix` (such
 * as "patch.") is removed. Whatever belongs to no field lands in `form`, still as a sentence.
 */
export function fieldErrors<F extends string>(
  error: TServerErrorLike | null | undefined,
  fields: readonly F[],
  { prefix = "" }: { prefix?: string } = {},
): TFieldErrors<F> {
  const result: TFieldErrors<F> = {};
  if (!error) return result;
  const byLength = [...fields].sort((a, b) => b.length - a.length);
  const fieldOf = (path: string): F | undefined => {
    const bare = prefix && path.startsWith(prefix) ? path.slice(prefix.length) : path;
    return byLength.find((field) => bare === field || bare.startsWith(`${field}.`));
  };
  const issues = error.data?.zodIssues ?? [];
  for (const issue of issues) {
    const key = fieldOf(issue.path) ?? "form";
    result[key] ??= toSentence(issue.message);
  }
  const field = error.data?.field ? fieldOf(error.data.field) : undefined;
  if (field) result[field] ??= toSentence(error.message);
  if (Object.keys(result).length === 0) result.form = toSentence(error.message);
  return result;
}
