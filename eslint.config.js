// ESLint flat config. The layering rules are the point: folders are runtimes (STYLE.md §1, §3).
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";

// Bare Node built-ins are banned by exact name (paths), so "crypto" does not also catch "@libp2p/crypto".
const nodeBuiltinNames = ["fs", "path", "os", "child_process", "net", "http", "https", "crypto", "stream", "url", "util", "events", "buffer", "worker_threads"];
const nodeBuiltins = ["node:*", "fs/*"];
const builtinPaths = (message) => nodeBuiltinNames.map((name) => ({ name, message }));
const layer = (patterns, paths = []) => ["error", { patterns, paths }];
const ipcBan = { name: "electron", importNames: ["ipcMain", "ipcRenderer"], message: "Raw IPC lives only in main/electron/ipc.ts and preload/index.ts." };

export default tseslint.config(
  { ignores: ["node_modules/**", "out/**", "dist/**", "test-results/**", "playwright-report/**", "bench/results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ["*.config.js"] }, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/only-throw-error": "off",
      "no-restricted-syntax": ["error", { selector: "ExportDefaultDeclaration", message: "Named exports only." }],
    },
  },
  // Tool configs must default-export, and plain JS files are outside the type-aware project.
  { files: ["**/*.config.{js,ts}"], rules: { "no-restricted-syntax": "off" } },
  { files: ["**/*.js"], ...tseslint.configs.disableTypeChecked },
  { files: ["**/*.test.ts", "**/*.int.test.ts", "**/*.test.tsx"], rules: { "@typescript-eslint/no-non-null-assertion": "off", "@typescript-eslint/no-unsafe-member-access": "off" } },
  // shared/: pure TypeScript for both sides. Nothing from electron, node or the app's runtime folders.
  {
    files: ["shared/**"],
    languageOptions: { globals: {} },
    rules: { "no-restricted-imports": layer([{ group: ["electron", ...nodeBuiltins], message: "shared/ runs in every runtime." }, { group: ["**/main/**", "**/renderer/**", "**/preload/**"], message: "shared/ imports only shared/." }], builtinPaths("shared/ runs in every runtime.")) },
  },
  // main/: the network core is plain Node; only main/electron/ may touch Electron.
  {
    files: ["main/**"],
    ignores: ["main/electron/**"],
    rules: { "no-restricted-imports": layer([{ group: ["electron"], message: "The core must run without Electron (CLI, browser mode, tests)." }, { group: ["**/renderer/**", "**/preload/**"], message: "main/ imports only main/ and shared/." }]) },
  },
  {
    files: ["main/electron/**"],
    ignores: ["main/electron/ipc.ts"],
    rules: { "no-restricted-imports": layer([{ group: ["**/renderer/**", "**/preload/**"], message: "main/ imports only main/ and shared/." }], [ipcBan]) },
  },
  // preload/: shared types and Electron's renderer modules.
  {
    files: ["preload/**"],
    rules: { "no-restricted-imports": layer([{ group: [...nodeBuiltins, "**/main/**", "**/renderer/**"], message: "preload/ imports shared/ and electron only." }], builtinPaths("preload/ imports shared/ and electron only.")) },
  },
  // renderer/: the DOM and shared/ only.
  {
    files: ["renderer/**"],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "no-restricted-imports": layer([{ group: ["electron", ...nodeBuiltins], message: "The renderer is sandboxed: talk to main through window.api." }, { group: ["**/main/**", "**/preload/**"], message: "renderer/ imports only renderer/ and shared/." }], builtinPaths("The renderer is sandboxed: talk to main through window.api.")),
    },
  },
);
