import type { TSchemeConfig } from "../signature-config-schema";
import type { TVerifyInput, TVerifyResult } from "../signature-types";
import { verifyV0Timestamped } from "./v0-timestamped";

export function verifySlack(input: TVerifyInput, config: TSchemeConfig<"slack">): TVerifyResult {
  return verifyV0Timestamped(input, config.secret, config.toleranceSeconds ?? 300, {
    signature: "X-Slack-Signature",
    timestamp: "X-Slack-Request-Timestamp",
    secretName: "signing secret",
  });
}
