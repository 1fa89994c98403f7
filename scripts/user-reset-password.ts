// `npm run user:reset-password -- --email a@example.com [--password …]`: sets a new password and
// ends the user's sessions. Without --password one is generated and printed once.
import { parseArgs } from "node:util";
import { createAppContext } from "~/server/app-context";
import { generatePassword, OperatorError, resetUserPassword } from "~/server/auth/operator-accounts";
import { env } from "~/server/env";
import { runOperatorScript } from "./operator-script";

await runOperatorScript("npm run user:reset-password -- --email <email> [--password <password>]", async () => {
  const { values } = parseArgs({ options: { email: { type: "string" }, password: { type: "string" } } });
  if (!values.email) throw new OperatorError("--email is required.");
  const password = values.password ?? generatePassword();
  const app = await createAppContext({ ...env(), LOG_LEVEL: "warn" });
  try {
    const { sessionsEnded } = await resetUserPassword(app.auth, values.email, password);
    const ended = `${sessionsEnded} session${sessionsEnded === 1 ? "" : "s"} ended`;
    return values.password ? `Password of ${values.email} reset; ${ended}.` : `Password of ${values.email} reset to: ${password} (${ended})`;
  } finally {
    await app.close();
  }
});
