/**
 * `npm start`: run the desktop app. Electron's binary is downloaded from the internet when the package
 * installs; where that could not happen (no internet, ELECTRON_SKIP_BINARY_DOWNLOAD), say so and run
 * browser mode instead: the same core in Node, serving the UI at a printed http://127.0.0.1 URL.
 */
import { spawnSync, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The installed Electron binary, found without require("electron") (which tries to download a missing one). */
function electronBinary(): string | undefined {
  try {
    const dir = dirname(createRequire(import.meta.url).resolve("electron/package.json"));
    const pathFile = join(dir, "path.txt");
    if (!existsSync(pathFile)) return undefined;
    const bin = join(dir, "dist", readFileSync(pathFile, "utf8").trim());
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

const build = spawnSync("npm", ["run", "-s", "build"], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

const electron = electronBinary();
const args = process.argv.slice(2);
const child = electron !== undefined
  ? spawn(electron, [".", ...args], { stdio: "inherit" })
  : (process.stderr.write(
      "Electron is not installed on this machine (its installer downloads the binary from the internet).\n" +
      "Starting browser mode instead: open the URL below in Chromium or Chrome.\n",
    ),
    spawn(process.execPath, ["main/cli/rooms.ts", "serve", ...args], { stdio: "inherit" }));
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 0));
