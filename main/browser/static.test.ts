import { describe, expect, it } from "vitest";
import { resolveStatic } from "./static.ts";

describe("resolveStatic", () => {
  it("maps / to index.html and paths inside the root to files", () => {
    expect(resolveStatic("/srv/ui", "/")).toBe("/srv/ui/index.html");
    expect(resolveStatic("/srv/ui", "/assets/app-1.js")).toBe("/srv/ui/assets/app-1.js");
  });

  it.each(["/../secret", "/assets/../../etc/passwd", "/%2e%2e/secret", "/.git/config", "/assets/.env", "/a%00b", "/%E0%A4%A"])("refuses %s", (p) => {
    expect(resolveStatic("/srv/ui", p)).toBeUndefined();
  });
});
