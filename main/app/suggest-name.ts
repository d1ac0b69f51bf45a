/** A first-run display name suggestion from the OS account name ("ada.lovelace" → "Ada Lovelace"). */
import { userInfo } from "node:os";

/** Turn an account name into a friendly display name; "Guest" when there is nothing usable. */
export function suggestDisplayName(account: string | undefined): string {
  const words = (account ?? "")
    .split(/[._\-\s]+/)
    .map((w) => w.replace(/[^\p{L}\p{N}]/gu, ""))
    .filter((w) => w.length > 0)
    .slice(0, 3);
  if (words.length === 0) return "Guest";
  const name = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(" ");
  return name.slice(0, 40);
}

/** The suggestion for this machine's current user. */
export function suggestedNameForThisUser(): string {
  try {
    return suggestDisplayName(userInfo().username);
  } catch {
    return suggestDisplayName(undefined);
  }
}
