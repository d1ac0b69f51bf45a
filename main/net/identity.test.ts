import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { afterEach, describe, expect, it } from "vitest";
import { IDENTITY_FILE, IdentityError, loadOrCreateIdentity, resetIdentity } from "./identity.ts";

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), "identity-"));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("loadOrCreateIdentity", () => {
  it("keeps the same peer id across restarts and stores the key with mode 0600", async () => {
    const dir = join(tmp(), "nested", "data");
    const first = await loadOrCreateIdentity(dir);
    const again = await loadOrCreateIdentity(dir);
    expect(peerIdFromPrivateKey(again).toString()).toBe(peerIdFromPrivateKey(first).toString());
    expect(statSync(join(dir, IDENTITY_FILE)).mode & 0o777).toBe(0o600);
  });

  it("gives a fresh directory a fresh identity", async () => {
    const a = await loadOrCreateIdentity(tmp());
    const b = await loadOrCreateIdentity(tmp());
    expect(peerIdFromPrivateKey(a).toString()).not.toBe(peerIdFromPrivateKey(b).toString());
  });

  it("refuses a corrupt key file instead of silently replacing the identity", async () => {
    const dir = tmp();
    writeFileSync(join(dir, IDENTITY_FILE), "not a key");
    await expect(loadOrCreateIdentity(dir)).rejects.toBeInstanceOf(IdentityError);
  });

  it("reset gives the next start a new peer id, and resetting twice is harmless", async () => {
    const dir = tmp();
    const before = peerIdFromPrivateKey(await loadOrCreateIdentity(dir)).toString();
    await resetIdentity(dir);
    await resetIdentity(dir);
    const after = peerIdFromPrivateKey(await loadOrCreateIdentity(dir)).toString();
    expect(after).not.toBe(before);
    expect(statSync(join(dir, IDENTITY_FILE)).mode & 0o777).toBe(0o600);
  });
});
