import { z } from "zod";
import type { Db } from "../db/create-db";
import { listRequests, type TListRequests } from "../requests/requests-service";
import type { SignatureVerdicts } from "./signature-verdicts";

export const ZSignatureFilterSchema = z.enum(["valid", "invalid"], { error: 'signature must be "valid" or "invalid"' });
export type TSignatureFilter = z.infer<typeof ZSignatureFilterSchema>;

/**
 * A filtered page judges at most this many requests (newest first, below the cursor); when it
 * stops there, nextCursor lets the client continue the scan with the next page.
 */
export const SIGNATURE_FILTER_SCAN_LIMIT = 2000;
const SCAN_PAGE = 200;

/** listRequests with each summary's `signature`, optionally keeping only one verdict. */
export async function listRequestsWithSignatures(
  deps: { db: Db; signatures: SignatureVerdicts },
  userId: string,
  binId: string,
  input: TListRequests,
  filter?: TSignatureFilter,
  scanLimit = SIGNATURE_FILTER_SCAN_LIMIT,
) {
  if (!filter) {
    const page = await listRequests(deps.db, userId, binId, input);
    return { ...page, requests: await deps.signatures.withVerdicts(binId, page.requests) };
  }
  const found = [];
  let cursor = input.cursor ?? null;
  let scanned = 0;
  let lastSeq = 0;
  for (;;) {
    const page = await listRequests(deps.db, userId, binId, { ...input, cursor, limit: SCAN_PAGE });
    lastSeq = page.lastSeq;
    const judged = await deps.signatures.withVerdicts(binId, page.requests);
    for (const request of judged) {
      scanned += 1;
      cursor = request.seq;
      if (request.signature?.verdict === filter) found.push(request);
      if (found.length > input.limit) {
        const requests = found.slice(0, input.limit);
        return { requests, nextCursor: requests.at(-1)?.seq ?? null, lastSeq };
      }
      if (scanned >= scanLimit) {
        return { requests: found, nextCursor: page.nextCursor === null && request === judged.at(-1) ? null : cursor, lastSeq };
      }
    }
    if (page.nextCursor === null) return { requests: found, nextCursor: null, lastSeq };
  }
}
