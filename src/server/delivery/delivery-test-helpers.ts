import http from "node:http";

/** REST calls as a script makes them: a bearer token, JSON in and out. */
export function restClient(baseUrl: string, token: string) {
  return async function rest(method: string, path: string, json?: unknown): Promise<{ status: number; json: unknown }> {
    const response = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(json === undefined ? {} : { "content-type": "application/json" }) },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as unknown) : null };
  };
}

/** An API token minted from a signed-in session (tokens cannot be minted with a token). */
export async function mintToken(baseUrl: string, cookie: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/v1/tokens`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify({ name: "test" }),
  });
  if (response.status !== 201) throw new Error(`token: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/**
 * A capture sent with node:http and a raw header array, so the order, case and duplicates of its
 * headers are exactly these. Resolves the stored request's id.
 */
export function captureRaw(
  baseUrl: string,
  pathAndQuery: string,
  options: { method?: string; headers?: [string, string][]; body?: Buffer | string } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? Buffer.alloc(0) : Buffer.from(options.body);
    const flat = (options.headers ?? []).flat();
    if (!(options.headers ?? []).some(([name]) => name.toLowerCase() === "content-length")) flat.push("Content-Length", String(body.length));
    const req = http.request(`${baseUrl}${pathAndQuery}`, { method: options.method ?? "POST", headers: flat, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        if (res.statusCode !== 200) return reject(new Error(`capture answered ${res.statusCode}: ${Buffer.concat(chunks).toString()}`));
        resolve((JSON.parse(Buffer.concat(chunks).toString()) as { id: string }).id);
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}
