import { parseArgs, type ParseArgsConfig } from "node:util";
import { CliError, EXIT } from "./cli-error";
import { createBinCommand, listBinsCommand, login, replay, tail, wait } from "./commands";
import { loadConfig } from "./config";
import type { SendSettings } from "./deliver";
import { forward } from "./forward";
import { parseDuration, parseHeader, parseInteger, parseMethod, parseTargetUrl } from "./parse-values";
import { connectServer, resolveBin } from "./server-client";
import { VERSION } from "./version";

const EXIT_CODES = `Exit codes:
  0    done (wait: a matching request was printed)
  1    unexpected error, or the server could not be reached
  2    bad command line
  3    not logged in, or the server refused the token
  4    no such bin or request
  5    wait: nothing matching arrived before --timeout
  6    replay: the target gave no answer or answered 5xx
  130  stopped with Ctrl-C (forward saves its position first)`;

const HELP: Record<string, string> = {
  main: `webhookdump ${VERSION}: forward a WebhookDump bin to localhost without missing a webhook

Usage: webhookdump <command> [options]

Commands:
  login --server URL [--token T]     save the server and an API token
  forward <bin> --to URL             deliver every capture to a local URL, in order, resumable
  tail <bin>                         print captures as they arrive
  replay <request-id> --to URL       send one stored request from this machine
  wait <bin> [filters]               wait for a matching capture and print it as JSON (for CI)
  bins                               list your bins
  bins create <name> [--slug S]      create a bin and print its capture URL

Options: --help on any command, --version.
<bin> is a bin's slug or id. WEBHOOKDUMP_URL and WEBHOOKDUMP_TOKEN override the saved login;
HTTPS_PROXY / HTTP_PROXY / NO_PROXY apply to the connection to the server.

${EXIT_CODES}`,
  login: `Usage: webhookdump login --server URL [--token TOKEN]

Checks the token against the server and saves both in
$XDG_CONFIG_HOME/webhookdump/config.json (default ~/.config/webhookdump/), mode 0600.
Without --token it asks for one when run in a terminal.

${EXIT_CODES}`,
  forward: `Usage: webhookdump forward <bin> --to URL [options]

Delivers every request captured by <bin> to URL, one at a time in sequence order, byte-exact
(method, headers in order with duplicates, body bytes; the captured sub-path and query are
appended to URL). The position is saved after each delivery (per server, bin and URL), so the
next start first delivers what was captured meanwhile, then goes live. A refused connection
holds the queue until the target is back ("waiting for localhost:3000"); 5xx answers, timeouts
and broken connections are retried --retries times with backoff. Each delivery is reported to
the server as an attempt with trigger "cli". Ctrl-C finishes the current delivery and saves the
position; a second Ctrl-C abandons it (it is delivered again next time).

Options:
  --to URL               target, e.g. http://localhost:3000/webhooks (required)
  --from now|last|SEQ    where to start: now, the saved position (default; now if none), or this seq
  --host target|original|VALUE   Host header sent (default: the target's)
  --path-mode append|exact       append the captured sub-path and query (default) or send to URL as is
  -H, --header "Name: value"     add or replace a header (repeatable)
  --drop-header NAME     leave a header out (repeatable)
  --method METHOD        only forward requests with this method
  --path TEXT            only forward requests whose path contains TEXT
  --concurrency N        deliveries at once (default 1, which keeps order)
  --retries N            retries for 5xx, timeouts and broken connections (default 10)
  --timeout DURATION     per delivery, e.g. 30s (default 30s, at most 60s)
  --insecure             accept a self-signed certificate on the target
  --allow-truncated      forward captures whose body was cut at the server's size limit
  --json                 one JSON object per delivery instead of a line

${EXIT_CODES}`,
  tail: `Usage: webhookdump tail <bin> [--json]

Prints each request captured by <bin> from now on, like tail -f, until Ctrl-C.

${EXIT_CODES}`,
  replay: `Usage: webhookdump replay <request-id> --to URL [options]

Sends one stored request from this machine (same rules as forward) and records the attempt.
Options: --host, --path-mode, -H/--header, --drop-header, --timeout, --insecure,
--allow-truncated, --json (see webhookdump forward --help).

${EXIT_CODES}`,
  wait: `Usage: webhookdump wait <bin> [--method M] [--path TEXT] [--contains TEXT] [--timeout 30s]

Waits for the first request captured by <bin> after the command started that matches, prints it
as JSON (the record of GET /api/v1/requests/{id}, body in bodyBase64) and exits 0; exits 5 when
none arrives before --timeout (default 30s). --path matches part of the path, --contains text in
the headers or body.

${EXIT_CODES}`,
  bins: `Usage: webhookdump bins [--json]
       webhookdump bins create <name> [--slug SLUG] [--json]

Lists your bins, or creates one and prints its capture URL.

${EXIT_CODES}`,
};

const SEND_OPTIONS = {
  to: { type: "string" },
  host: { type: "string", default: "target" },
  "path-mode": { type: "string", default: "append" },
  header: { type: "string", short: "H", multiple: true, default: [] },
  "drop-header": { type: "string", multiple: true, default: [] },
  timeout: { type: "string", default: "30s" },
  insecure: { type: "boolean", default: false },
  "allow-truncated": { type: "boolean", default: false },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const satisfies ParseArgsConfig["options"];

function parse<O extends NonNullable<ParseArgsConfig["options"]>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError(EXIT.USAGE, error instanceof Error ? error.message : String(error));
  }
}

function sendSettings(values: {
  to?: string;
  host: string;
  "path-mode": string;
  header: string[];
  "drop-header": string[];
  timeout: string;
  insecure: boolean;
  "allow-truncated": boolean;
}): SendSettings {
  const pathMode = values["path-mode"];
  if (pathMode !== "append" && pathMode !== "exact") throw new CliError(EXIT.USAGE, `--path-mode must be append or exact, got ${JSON.stringify(pathMode)}`);
  const timeoutMs = parseDuration("timeout", values.timeout);
  if (timeoutMs < 1 || timeoutMs > 60_000) throw new CliError(EXIT.USAGE, "--timeout must be more than 0 and at most 60s");
  return {
    to: parseTargetUrl("to", values.to),
    pathMode,
    host: values.host,
    headers: values.header.map(parseHeader),
    dropHeaders: values["drop-header"],
    timeoutMs,
    insecure: values.insecure,
    allowTruncated: values["allow-truncated"],
  };
}

function onePositional(positionals: string[], what: string, command: string): string {
  const [value, ...rest] = positionals;
  if (!value) throw new CliError(EXIT.USAGE, `missing ${what}: webhookdump ${command} --help`);
  if (rest.length > 0) throw new CliError(EXIT.USAGE, `unexpected argument ${JSON.stringify(rest[0])}`);
  return value;
}

async function withClient<T>(run: (client: ReturnType<typeof connectServer>) => Promise<T>): Promise<T> {
  const client = connectServer(loadConfig());
  try {
    return await run(client);
  } finally {
    client.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(`${HELP.main}\n`);
    return command === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (command === "--version" || command === "-v") {
    process.stdout.write(`${VERSION}\n`);
    return EXIT.OK;
  }
  const help = HELP[command];
  if (!help || command === "main") throw new CliError(EXIT.USAGE, `unknown command ${JSON.stringify(command)}: webhookdump --help lists them`);
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(`${help}\n`);
    return EXIT.OK;
  }

  switch (command) {
    case "login": {
      const { values } = parse(args, { server: { type: "string" }, token: { type: "string" } });
      if (!values.server) throw new CliError(EXIT.USAGE, "--server URL is required");
      return login({ server: values.server, token: values.token });
    }
    case "forward": {
      const { values, positionals } = parse(args, {
        ...SEND_OPTIONS,
        from: { type: "string", default: "last" },
        method: { type: "string" },
        path: { type: "string" },
        concurrency: { type: "string", default: "1" },
        retries: { type: "string", default: "10" },
      });
      const binRef = onePositional(positionals, "<bin>", "forward");
      const from: "now" | "last" | number = values.from === "now" || values.from === "last" ? values.from : parseInteger("from", values.from, 1, Number.MAX_SAFE_INTEGER);
      const options = {
        ...sendSettings(values),
        from,
        concurrency: parseInteger("concurrency", values.concurrency, 1, 64),
        retries: parseInteger("retries", values.retries, 0, 1000),
        json: values.json,
        onlyMethod: values.method === undefined ? undefined : parseMethod(values.method),
        onlyPath: values.path,
      };
      return withClient(async (client) => forward(client, await resolveBin(client, binRef), options));
    }
    case "tail": {
      const { values, positionals } = parse(args, { json: { type: "boolean", default: false } });
      const binRef = onePositional(positionals, "<bin>", "tail");
      return withClient((client) => tail(client, binRef, values.json));
    }
    case "replay": {
      const { values, positionals } = parse(args, SEND_OPTIONS);
      const requestId = onePositional(positionals, "<request-id>", "replay");
      const settings = sendSettings(values);
      return withClient((client) => replay(client, requestId, settings, values.json));
    }
    case "wait": {
      const { values, positionals } = parse(args, {
        method: { type: "string" },
        path: { type: "string" },
        contains: { type: "string" },
        timeout: { type: "string", default: "30s" },
      });
      const binRef = onePositional(positionals, "<bin>", "wait");
      const timeoutMs = parseDuration("timeout", values.timeout);
      const filters = { method: values.method === undefined ? undefined : parseMethod(values.method), path: values.path, contains: values.contains };
      return withClient((client) => wait(client, binRef, filters, timeoutMs));
    }
    case "bins": {
      const { values, positionals } = parse(args, { slug: { type: "string" }, json: { type: "boolean", default: false } });
      if (positionals.length === 0) return withClient((client) => listBinsCommand(client, values.json));
      const [sub, name, ...rest] = positionals;
      if (sub !== "create") throw new CliError(EXIT.USAGE, `unknown bins command ${JSON.stringify(sub)}: webhookdump bins --help`);
      if (!name) throw new CliError(EXIT.USAGE, "missing <name>: webhookdump bins create <name> [--slug SLUG]");
      if (rest.length > 0) throw new CliError(EXIT.USAGE, `unexpected argument ${JSON.stringify(rest[0])} (quote a name with spaces)`);
      return withClient((client) => createBinCommand(client, name, values.slug, values.json));
    }
    default:
      throw new CliError(EXIT.USAGE, `unknown command ${JSON.stringify(command)}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CliError) {
      process.stderr.write(`webhookdump: ${error.message}\n`);
      process.exitCode = error.exitCode;
    } else {
      process.stderr.write(`webhookdump: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = EXIT.ERROR;
    }
  },
);
