import { describe, expect, it } from "vitest";
import { initialsOf, nameOf } from "./names.ts";

describe("names", () => {
  it("initials: first letters of the first and last word, upper-cased, whole characters", () => {
    expect(initialsOf("Ada Lovelace")).toBe("AL");
    expect(initialsOf("  cher ")).toBe("C");
    expect(initialsOf("Jean Paul Sartre")).toBe("JS");
    expect(initialsOf("😀 party")).toBe("😀P");
    expect(initialsOf("")).toBe("?");
  });

  it("a missing or blank name falls back to a short peer id", () => {
    expect(nameOf("12D3KooWAbcdefgh", "  ")).toBe("Guest Abcdefgh");
    expect(nameOf("12D3KooWAbcdefgh", undefined)).toBe("Guest Abcdefgh");
    expect(nameOf("x", " Ada ")).toBe("Ada");
  });
});
