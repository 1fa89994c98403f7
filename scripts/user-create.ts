// `npm run user:create -- --email a@example.com --name "Ada" [--password …]`: adds an account on an
// instance without email (allowed with SIGNUPS=closed). Without --password one is generated and
// printed once. Reads DATABASE_URL (and the rest of the configuration) like the server.
import { parseArgs } from "node:util";
import { createAppContext } from "~/server/app-context";
import { createUserAccount, generatePassword, OperatorError } from "~/server/auth/operator-accounts";
import { env } from "~/server/env";
import { runOperatorScript } from "./operator-script";

await runOperatorScript("npm run user:create -- --email <email> --name <name> [--password <password>]", async () => {
  const { values } = parseArgs({ options: { email: { type: "string" }, name: { type: "string" }, password: { type: "string" } } });
  if (!values.email || !values.name) throw new OperatorError("--email and --name are required.");
  const password = values.password ?? generatePassword();
  const app = await createAppContext({ ...env(), LOG_LEVEL: "warn" });
  try {
    const { email } = await createUserAccount(app.auth, { email: values.email, name: values.name, password });
    return values.password ? `Created ${email}.` : `Created ${email} with the password: ${password}`;
  } finally {
    await app.close();
  }
});
