/**
 * Persistent Ed25519 identity: the key that makes this device's peer id stable across restarts.
 *
 * Stored as libp2p's protobuf private-key encoding (68 bytes) in `<dataDir>/identity.key`, mode 0600,
 * written atomically (temp file + rename) so a crash mid-write never leaves a half key behind.
 */
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Ed25519PrivateKey } from "@libp2p/interface";
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from "@libp2p/crypto/keys";

/** File name of the identity key inside the data directory. */
export const IDENTITY_FILE = "identity.key";

/** Raised when the identity file exists but cannot be used; we never silently replace it. */
export class IdentityError extends Error {
  override name = "IdentityError";
  readonly code = "identity-unreadable";
}

/** Load the identity from `dataDir`, creating a fresh one (and the directory) when none exists. */
export async function loadOrCreateIdentity(dataDir: string): Promise<Ed25519PrivateKey> {
  const file = join(dataDir, IDENTITY_FILE);
  let bytes: Buffer | undefined;
  try {
    bytes = await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  if (bytes !== undefined) {
    let key;
    try {
      key = privateKeyFromProtobuf(bytes);
    } catch (err) {
      throw new IdentityError(`identity file ${file} is corrupt: ${(err as Error).message}`);
    }
    if (key.type !== "Ed25519") throw new IdentityError(`identity file ${file} holds a ${key.type} key, expected Ed25519`);
    // Tighten permissions of keys written by older builds or copied around by hand.
    await chmod(file, 0o600).catch(() => undefined);
    return key;
  }
  const key = await generateKeyPair("Ed25519");
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, privateKeyToProtobuf(key), { mode: 0o600 });
  await rename(tmp, file);
  return key;
}

/**
 * Forget this device's identity: the next {@link loadOrCreateIdentity} makes a new one (a new peer id).
 * The old key is removed, not kept aside: resetting is how a user stops being linkable to the old id.
 */
export async function resetIdentity(dataDir: string): Promise<void> {
  await rm(join(dataDir, IDENTITY_FILE), { force: true });
}
