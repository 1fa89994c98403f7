/**
 * The policy for app pages. Captured content is hostile and shown on these pages, so scripts run
 * only when they carry this response's nonce (Next.js adds it to its own scripts when it finds the
 * nonce in the request's policy header); 'strict-dynamic' lets those load their chunks.
 * Styles likewise: our stylesheet and nonce'd style elements only, so captured markup could not
 * restyle the page even if it ever reached the DOM as HTML.
 */
export function contentSecurityPolicy(nonce: string, options: { dev?: boolean } = {}): string {
  return [
    "default-src 'self'",
    // React's development build uses eval for its error overlays; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    // blob: for image previews built from captured bytes.
    "img-src 'self' blob: data:",
    "font-src 'self'",
    // 'self' covers the same-origin WebSocket for live updates in current browsers.
    "connect-src 'self'",
    "media-src 'self' blob:",
    "object-src 'none'",
    "frame-src 'none'",
    "worker-src 'self' blob:",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** 128 random bits, base64: unguessable, and a valid CSP nonce-source. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
