import { ZodError } from "zod";
import { OperatorError } from "~/server/auth/operator-accounts";
import { EnvError } from "~/server/env";

/** Runs an operator command: its result on stdout, a clear one-line error and exit 1 otherwise. */
export async function runOperatorScript(usage: string, run: () => Promise<string>): Promise<void> {
  try {
    console.log(await run());
    process.exit(0);
  } catch (error) {
    if (error instanceof ZodError) console.error(`Invalid input: ${error.issues.map((i) => `${i.path.join(".") || "value"} ${i.message}`).join("; ")}\nUsage: ${usage}`);
    else if (error instanceof OperatorError || error instanceof EnvError || error instanceof TypeError) console.error(`${error.message}\nUsage: ${usage}`);
    else console.error(error);
    process.exit(1);
  }
}
