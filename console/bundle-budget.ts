// A Vite plugin that fails the build when the console's JavaScript, gzipped, is over budget: the size a user
// downloads on first load is part of the console's contract, checked on every `npm run build`.
import { gzipSync } from "node:zlib";
import type { Plugin } from "vite";

export function bundleBudget(options: { maxGzipKiB: number }): Plugin {
  return {
    name: "strata-bundle-budget",
    apply: "build",
    generateBundle(_outputOptions, bundle) {
      let gzipBytes = 0;
      const files: string[] = [];
      for (const output of Object.values(bundle)) {
        if (output.type !== "chunk") continue;
        const size = gzipSync(output.code, { level: 9 }).length;
        gzipBytes += size;
        files.push(`${output.fileName} ${(size / 1024).toFixed(1)} KiB`);
      }
      const total = gzipBytes / 1024;
      const summary = `console JavaScript: ${total.toFixed(1)} KiB gzipped (budget ${options.maxGzipKiB} KiB): ${files.join(", ")}`;
      if (total > options.maxGzipKiB) this.error(`over budget — ${summary}`);
      this.info(summary);
    },
  };
}
