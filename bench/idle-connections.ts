// A separate process that holds many idle, authenticated tRPC WebSocket connections, driven over IPC:
//   start → opens `count` connections to /api/trpc-ws?connectionParams=1, sends each the API token
//           as tRPC connection params, and proves each is signed in with one protected query
//           (`bins.list`); then the connections stay open and silent
//   ready ← how many opened and how many are authenticated
//   close → closes them all and exits
// It speaks tRPC's WebSocket messages directly (the same JSON the tRPC client sends) so that this
// process stays small with 10,000 sockets; the server side is the real tRPC handler.
import WebSocket from "ws";

export interface IdleStart {
  type: "start";
  /** ws://…/api/trpc-ws */
  wsUrl: string;
  token: string;
  count: number;
  concurrency: number;
}

export interface IdleReady {
  type: "ready";
  opened: number;
  authenticated: number;
  failures: string[];
  seconds: number;
}

const sockets: WebSocket[] = [];

function openOne(start: IdleStart): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${start.wsUrl}?connectionParams=1`);
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error("timed out"));
    }, 60_000);
    socket.on("open", () => {
      sockets.push(socket);
      socket.send(JSON.stringify({ method: "connectionParams", data: { token: start.token } }));
      socket.send(JSON.stringify({ id: 1, method: "query", params: { path: "bins.list", input: {} } }));
    });
    socket.on("message", (raw: Buffer) => {
      const message = JSON.parse(raw.toString()) as { id?: number; result?: unknown; error?: { message?: string } };
      if (message.id !== 1) return;
      clearTimeout(timer);
      if (message.result) resolve(true);
      else reject(new Error(`query refused: ${JSON.stringify(message.error).slice(0, 200)}`));
    });
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

async function onStart(start: IdleStart) {
  const began = performance.now();
  let authenticated = 0;
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < start.count) {
      next++;
      try {
        if (await openOne(start)) authenticated++;
      } catch (error) {
        if (failures.length < 5) failures.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: start.concurrency }, worker));
  const opened = sockets.filter((socket) => socket.readyState === WebSocket.OPEN).length;
  const ready: IdleReady = { type: "ready", opened, authenticated, failures, seconds: (performance.now() - began) / 1000 };
  process.send?.(ready);
}

process.on("message", (message: IdleStart | { type: "close" }) => {
  if (message.type === "start") {
    onStart(message).catch((error: unknown) => {
      process.send?.({ type: "error", message: String(error) }, () => process.exit(1));
    });
  } else {
    for (const socket of sockets) socket.terminate();
    process.exit(0);
  }
});
process.on("disconnect", () => process.exit(0));
