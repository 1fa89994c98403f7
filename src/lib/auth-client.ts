import { createAuthClient } from "better-auth/react";

// No baseURL: the client talks to whatever origin served the page.
export const authClient = createAuthClient();
