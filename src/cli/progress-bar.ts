// A one-line progress bar on stderr for terminals; silent when stderr is not a terminal (logs, CI). It counts
// MiB unless a `describe` callback says what `done` and `total` are (training steps, with loss and ETA).
export function progressBar(
  label: string,
  total: number,
  describe?: (done: number, total: number) => string,
): { update(done: number): void; finish(): void } {
  const terminal = process.stderr.isTTY === true;
  let lastDrawn = 0;
  const draw = (done: number) => {
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const width = 30;
    const filled = Math.round(fraction * width);
    const megabytes = (bytes: number) => (bytes / 1_048_576).toFixed(1);
    const counts = describe ? describe(done, total) : `${megabytes(done)}/${megabytes(total)} MiB`;
    process.stderr.write(
      `\r${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${counts}\x1b[K`,
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
