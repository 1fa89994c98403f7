/**
 * What people are told about each signature scheme: the name in the select, the secret's label,
 * which options it takes, its default window, and the usual reasons a check fails. Pure data
 * shared by the settings page and the inspector.
 */
export interface TSchemeInfo {
  label: string;
  secretLabel: string;
  /** Default tolerance in seconds; null = the scheme has a timestamp but no window by default; undefined = no timestamp. */
  defaultToleranceSeconds?: number | null;
  signedUrl?: boolean;
  causes: string[];
}

const BODY_CHANGED = "The body was changed on the way (a proxy or framework re-serialised JSON, added a newline, or decompressed it): the signature covers the exact bytes.";
const CLOCK = "Clock skew: the sender's clock or this server's is off, or the request sat in a queue longer than the window.";
const PROXY_URL = "Behind a reverse proxy the URL the sender signed (https://public-host/…) differs from the one seen here: set the signed URL option, or CAPTURE_BASE_URL / TRUST_PROXY.";

export const SIGNATURE_SCHEMES = {
  github: { label: "GitHub (X-Hub-Signature-256)", secretLabel: "Webhook secret", causes: ["The secret differs from the one typed in the webhook's settings.", BODY_CHANGED, "Only the legacy X-Hub-Signature (SHA-1) was sent: the hook has an old configuration."] },
  stripe: { label: "Stripe", secretLabel: "Endpoint signing secret (whsec_…)", defaultToleranceSeconds: 300, causes: ["The Stripe CLI (stripe listen) signs with its own whsec_ secret, not the dashboard endpoint's; and each endpoint has its own.", BODY_CHANGED, CLOCK, "A secret pasted with a trailing space or newline."] },
  "standard-webhooks": { label: "Standard Webhooks / Svix", secretLabel: "Signing secret (whsec_…) or public key (whpk_…)", defaultToleranceSeconds: 300, causes: ["The key is the base64 after whsec_, decoded: using the text as a key (Stripe-style) never matches.", BODY_CHANGED, CLOCK + " The window applies both ways."] },
  shopify: { label: "Shopify", secretLabel: "App client secret", causes: ["Webhooks created in the store admin are signed with the key shown on that admin page, not the app's client secret.", BODY_CHANGED] },
  slack: { label: "Slack", secretLabel: "Signing secret", defaultToleranceSeconds: 300, causes: ["The signing secret is not the app's (not the verification token, not the client secret).", BODY_CHANGED + " Form bodies must stay percent-encoded as received.", CLOCK] },
  twilio: { label: "Twilio", secretLabel: "Auth token", signedUrl: true, causes: [PROXY_URL, "A parameter was added or changed, or the auth token is a different account's (or a rotated one).", "JSON bodies: the bodySHA256 in the URL must match the body."] },
  paddle: { label: "Paddle Billing", secretLabel: "Endpoint secret key (pdl_ntfset_…)", defaultToleranceSeconds: 5, causes: ["The secret belongs to another notification destination.", BODY_CHANGED, CLOCK + " Paddle's own window is only 5 seconds."] },
  linear: { label: "Linear", secretLabel: "Webhook signing secret", defaultToleranceSeconds: 60, causes: ["The secret is another webhook's.", BODY_CHANGED, CLOCK + " (webhookTimestamp inside the body, 60 s both ways)."] },
  zoom: { label: "Zoom", secretLabel: "Secret token", defaultToleranceSeconds: 300, causes: ["The secret token is another app's.", BODY_CHANGED, CLOCK + " Zoom states no window; 300 s is WebhookDump's default."] },
  square: { label: "Square", secretLabel: "Signature key", signedUrl: true, causes: [PROXY_URL + " The URL must match the subscription's byte for byte (trailing slash, scheme).", BODY_CHANGED] },
  mailgun: { label: "Mailgun", secretLabel: "HTTP webhook signing key", defaultToleranceSeconds: null, causes: ["The key is another domain's or account's (subaccounts: parent-signature uses the primary account's key).", "Mailgun signs timestamp + token only: a valid verdict authenticates the sender, not the event data."] },
  discord: { label: "Discord", secretLabel: "Application public key (hex)", defaultToleranceSeconds: null, causes: ["The public key is another application's.", BODY_CHANGED, "Discord sends deliberately bad signatures to test the endpoint: those are expected to be invalid."] },
  hmac: { label: "Generic HMAC", secretLabel: "Secret", causes: ["Algorithm, encoding or prefix differ from what the sender uses (hex vs base64 is common).", "The sender signs more than the body (a timestamp, the URL): this scheme covers the raw body only.", BODY_CHANGED] },
} satisfies Record<string, TSchemeInfo>;

export type TSchemeName = keyof typeof SIGNATURE_SCHEMES;
export const SCHEME_NAMES = Object.keys(SIGNATURE_SCHEMES) as TSchemeName[];
