/** A progress bar on stderr: redrawn in place on a terminal, a line every 10% otherwise. */
export class ProgressBar {
  readonly #total: number;
  readonly #label: string;
  readonly #stream: NodeJS.WriteStream;
  readonly #started = performance.now();
  #done = 0;
  #failed = 0;
  #lastDecile = -1;

  constructor(label: string, total: number, stream: NodeJS.WriteStream = process.stderr) {
    this.#label = label;
    this.#total = total;
    this.#stream = stream;
  }

  tick(passed: boolean): void {
    this.#done++;
    if (!passed) this.#failed++;
    const elapsed = (performance.now() - this.#started) / 1000;
    const eta = this.#done > 0 ? (elapsed / this.#done) * (this.#total - this.#done) : 0;
    const ratio = this.#total === 0 ? 1 : this.#done / this.#total;
    const line = `${this.#label} [${"#".repeat(Math.round(ratio * 24)).padEnd(24, ".")}] ${this.#done}/${this.#total} · ${this.#failed} failed · ${elapsed.toFixed(1)} s · eta ${eta.toFixed(0)} s`;
    if (this.#stream.isTTY) {
      this.#stream.write(`\r${line}`);
      if (this.#done === this.#total) this.#stream.write("\n");
    } else {
      const decile = Math.floor(ratio * 10);
      if (decile !== this.#lastDecile) {
        this.#lastDecile = decile;
        this.#stream.write(`${line}\n`);
      }
    }
  }
}
