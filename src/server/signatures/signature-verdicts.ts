import type { Db } from "../db/create-db";
import type { RequestRecord, RequestSummary } from "../requests/requests-service";
import { SUMMARY_FIELDS, toRequestRecord } from "../requests/requests-service";
import { captureUrlOf } from "./capture-url-of";
import type { TSignatureScheme } from "./signature-config-schema";
import type { TVerifyResult } from "./signature-types";
import { openStoredSignature } from "./stored-signature-config";
import { verifySignature } from "./verify-signature";

/** What request records and summaries carry: null when the bin verifies nothing. */
export interface TSignatureVerdict {
  scheme: TSignatureScheme;
  verdict: TVerifyResult["verdict"];
  reason: TVerifyResult["reason"];
  detail: string;
}

/** The inspector's full account of one verdict. */
export type TSignatureReport = TSignatureVerdict & Omit<TVerifyResult, "verdict" | "reason" | "detail">;

export interface BinSignature {
  binId: string;
  slug: string;
  text: string;
  scheme: TSignatureScheme;
  opened: ReturnType<typeof openStoredSignature>;
}

export interface SignatureVerdicts {
  /** The bin's current settings, opened once per distinct stored value. */
  forBin(binId: string): Promise<BinSignature | null>;
  judge(request: Pick<RequestRecord, "headers" | "body" | "receivedAt" | "path" | "query"> & { truncated?: boolean }, bin: BinSignature): TSignatureReport;
  /** Summaries with their `signature`, reading the page's headers and bodies in one query. */
  withVerdicts<T extends RequestSummary>(binId: string, summaries: T[]): Promise<(T & { signature: TSignatureVerdict | null })[]>;
}

export function toVerdict(report: TSignatureReport): TSignatureVerdict {
  return { scheme: report.scheme, verdict: report.verdict, reason: report.reason, detail: report.detail };
}

/**
 * Verdicts are computed when records are read, never at capture, so a changed secret or scheme
 * re-judges every stored request.
 */
export function createSignatureVerdicts(deps: { db: Db; key: Buffer; captureBaseUrl?: string; trustProxy: boolean }): SignatureVerdicts {
  const cache = new Map<string, BinSignature>();

  async function forBin(binId: string): Promise<BinSignature | null> {
    const row = await deps.db.bin.findUnique({ where: { id: binId }, select: { slug: true, signatureConfig: true } });
    if (!row?.signatureConfig) {
      cache.delete(binId);
      return null;
    }
    const cached = cache.get(binId);
    if (cached && cached.text === row.signatureConfig && cached.slug === row.slug) return cached;
    const opened = openStoredSignature(deps.key, binId, row.signatureConfig);
    if (opened === null) return null;
    const scheme = opened === "undecryptable" ? ((JSON.parse(row.signatureConfig) as { scheme: TSignatureScheme }).scheme) : opened.scheme;
    const entry = { binId, slug: row.slug, text: row.signatureConfig, scheme, opened };
    cache.set(binId, entry);
    return entry;
  }

  function judge(request: Pick<RequestRecord, "headers" | "body" | "receivedAt" | "path" | "query"> & { truncated?: boolean }, bin: BinSignature): TSignatureReport {
    if (bin.opened === "undecryptable" || bin.opened === null) {
      return {
        scheme: bin.scheme,
        verdict: "invalid",
        reason: "signature_mismatch",
        detail: "The bin's secret could not be decrypted (BETTER_AUTH_SECRET changed?): enter the secret again in the bin's settings.",
        recipe: "",
        received: null,
        expectedPrefix: null,
        timestampAgeSeconds: null,
      };
    }
    const url = captureUrlOf(request, bin.slug, { captureBaseUrl: deps.captureBaseUrl, trustProxy: deps.trustProxy });
    const result = verifySignature({ headers: request.headers, body: request.body, receivedAt: request.receivedAt, url }, bin.opened);
    if (request.truncated && result.verdict === "invalid" && result.reason === "signature_mismatch") {
      // The sender signed bytes that were never stored: say so rather than blame the secret.
      return { scheme: bin.scheme, ...result, detail: `The body was truncated at capture (only ${request.body.length} bytes stored), so its signature cannot match.` };
    }
    return { scheme: bin.scheme, ...result };
  }

  async function withVerdicts<T extends RequestSummary>(binId: string, summaries: T[]) {
    const bin = await forBin(binId);
    if (!bin || summaries.length === 0) return summaries.map((summary) => ({ ...summary, signature: null }));
    const rows = await deps.db.capturedRequest.findMany({
      where: { id: { in: summaries.map((summary) => summary.id) } },
      select: { ...SUMMARY_FIELDS, headers: true, body: true, declaredSize: true, ip: true },
    });
    const byId = new Map(rows.map((row) => [row.id, toRequestRecord(row)]));
    return summaries.map((summary) => {
      const record = byId.get(summary.id);
      return { ...summary, signature: record ? toVerdict(judge(record, bin)) : null };
    });
  }

  return { forBin, judge, withVerdicts };
}
