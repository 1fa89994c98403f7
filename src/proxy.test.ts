import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { describe, expect, it } from "vitest";
import { config } from "./proxy";

const runsOn = (url: string) => unstable_doesMiddlewareMatch({ config, url });

describe("proxy matcher", () => {
  it("leaves the operations endpoints alone: probes and scrapes need no page headers", () => {
    expect(runsOn("/api/health")).toBe(false);
    expect(runsOn("/api/ready")).toBe(false);
    expect(runsOn("/metrics")).toBe(false);
    expect(runsOn("/metrics?name=x")).toBe(false);
  });

  it("still covers pages, including ones whose names start like an endpoint", () => {
    expect(runsOn("/")).toBe(true);
    expect(runsOn("/bins/abc")).toBe(true);
    expect(runsOn("/metrics-overview")).toBe(true);
  });

  it("skips API routes and captures as before", () => {
    expect(runsOn("/api/v1/bins")).toBe(false);
    expect(runsOn("/b/some-bin/path")).toBe(false);
  });
});
