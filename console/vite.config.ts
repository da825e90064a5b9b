// The web console's build: console/ → dist/console/, served by `strata serve` under /console/.
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { bundleBudget } from "./bundle-budget.js";

const consoleRoot = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root: consoleRoot,
  base: "/console/",
  // No dev server proxying or env files: the console talks to the origin that served it.
  envDir: false,
  publicDir: false,
  plugins: [react(), bundleBudget({ maxGzipKiB: 150 })],
  build: {
    outDir: fileURLToPath(new URL("../dist/console/", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    // Inline nothing: the Content-Security-Policy allows this origin's files only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
