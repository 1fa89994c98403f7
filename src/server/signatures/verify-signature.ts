import type { TSignatureConfig } from "./signature-config-schema";
import type { TVerifyInput, TVerifyResult } from "./signature-types";
import { verifyDiscord } from "./schemes/discord";
import { verifyGithub } from "./schemes/github";
import { verifyHmac } from "./schemes/hmac";
import { verifyLinear } from "./schemes/linear";
import { verifyMailgun } from "./schemes/mailgun";
import { verifyPaddle } from "./schemes/paddle";
import { verifyShopify } from "./schemes/shopify";
import { verifySlack } from "./schemes/slack";
import { verifySquare } from "./schemes/square";
import { verifyStandardWebhooks } from "./schemes/standard-webhooks";
import { verifyStripe } from "./schemes/stripe";
import { verifyTwilio } from "./schemes/twilio";
import { verifyZoom } from "./schemes/zoom";

/** Every scheme and its verifier; see scheme-info.ts for what the UI says about each. */
const VERIFIERS: { [S in TSignatureConfig["scheme"]]: (input: TVerifyInput, config: Extract<TSignatureConfig, { scheme: S }>) => TVerifyResult } = {
  github: verifyGithub,
  stripe: verifyStripe,
  "standard-webhooks": verifyStandardWebhooks,
  shopify: verifyShopify,
  slack: verifySlack,
  twilio: verifyTwilio,
  paddle: verifyPaddle,
  linear: verifyLinear,
  zoom: verifyZoom,
  square: verifySquare,
  mailgun: verifyMailgun,
  discord: verifyDiscord,
  hmac: verifyHmac,
};

/** Judges one stored request against a bin's signature settings. Pure: same bytes, same verdict. */
export function verifySignature(input: TVerifyInput, config: TSignatureConfig): TVerifyResult {
  const verify = VERIFIERS[config.scheme] as (input: TVerifyInput, config: TSignatureConfig) => TVerifyResult;
  return verify(input, config);
}
