import type { TSchemeConfig } from "../signature-config-schema";
import type { TVerifyInput, TVerifyResult } from "../signature-types";
import { verifyV0Timestamped } from "./v0-timestamped";

/** Zoom states no window; 300 s is WebhookDump's default, not Zoom's. */
export function verifyZoom(input: TVerifyInput, config: TSchemeConfig<"zoom">): TVerifyResult {
  return verifyV0Timestamped(input, config.secret, config.toleranceSeconds ?? 300, {
    signature: "x-zm-signature",
    timestamp: "x-zm-request-timestamp",
    secretName: "secret token",
  });
}
