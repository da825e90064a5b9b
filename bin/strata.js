#!/usr/bin/env node
// The compiled CLI lives in dist/; `npm run build` (or `npm start`) produces it.
import("../dist/cli/main.js").catch((error) => {
  if (error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist/cli/main.js")) {
    console.error("strata: not built yet — run `npm run build` first");
    process.exit(1);
  }
  throw error;
});
