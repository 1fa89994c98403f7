/** What a verifier reads: the stored request exactly as captured. */
export interface TVerifyInput {
  headers: [string, string][];
  /** The stored body bytes; never decoded before hashing. */
  body: Uint8Array;
  /** Capture time: windows are judged against it, not against "now". */
  receivedAt: Date;
  /** The capture URL the sender called, query included. */
  url: string;
}

export const SIGNATURE_REASONS = [
  "ok",
  "missing_signature_header",
  "malformed_signature_header",
  "no_supported_signature",
  "signature_mismatch",
  "timestamp_too_old",
  "timestamp_too_new",
  "body_hash_mismatch",
] as const;
export type TSignatureReason = (typeof SIGNATURE_REASONS)[number];

export interface TVerifyResult {
  verdict: "valid" | "invalid";
  reason: TSignatureReason;
  /** One sentence for a person. */
  detail: string;
  /** The signed string's recipe, with this request's values where they help. */
  recipe: string;
  /** The signature the sender put on the request, as received. */
  received: string | null;
  /** The signature we computed: whole when valid, a short prefix otherwise. */
  expectedPrefix: string | null;
  /** Capture time minus signing time, for timestamped schemes. */
  timestampAgeSeconds: number | null;
}
