import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native and engine-backed packages load from node_modules at run time instead of the bundle.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "@prisma/client"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
