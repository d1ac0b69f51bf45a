import { describe, expect, it } from "vitest";
import { suggestDisplayName } from "./suggest-name.ts";

describe("suggestDisplayName", () => {
  it.each([
    ["ada.lovelace", "Ada Lovelace"],
    ["root", "Root"],
    ["j_doe-2", "J Doe 2"],
    ["", "Guest"],
    [undefined, "Guest"],
    ["...", "Guest"],
    ["élodie", "Élodie"],
  ])("%s → %s", (account, name) => {
    expect(suggestDisplayName(account)).toBe(name);
  });
});
