// A one-line progress bar on stderr for terminals; silent when stderr is not a terminal (logs, CI).
export function progressBar(label: string, total: number): { update(done: number): void; finish(): void } {
  const terminal = process.stderr.isTTY === true;
  let lastDrawn = 0;
  const draw = (done: number) => {
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const width = 30;
    const filled = Math.round(fraction * width);
    const megabytes = (bytes: number) => (bytes / 1_048_576).toFixed(1);
    process.stderr.write(
      `\r${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${megabytes(done)}/${megabytes(total)} MiB`,
    );
  };
  return {
    update(done) {
      if (!terminal || Date.now() - lastDrawn < 100) return;
      lastDrawn = Date.now();
      draw(done);
    },
    finish() {
      if (!terminal) return;
      draw(total);
      process.stderr.write("\n");
    },
  };
}
