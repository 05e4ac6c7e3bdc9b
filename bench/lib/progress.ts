/**
 * One status line on stderr while the benchmark runs. On a terminal the line is redrawn in
 * place; otherwise (CI logs, pipes) only phase starts and ends are printed, so logs stay short.
 */
export class ProgressLine {
  readonly #stream = process.stderr;
  readonly #interactive = process.stderr.isTTY === true;
  readonly #startedAt = performance.now();
  #phase = "";
  #phaseStartedAt = 0;
  #lastDrawAt = 0;

  startPhase(phase: string): void {
    this.#phase = phase;
    this.#phaseStartedAt = performance.now();
    if (this.#interactive) {
      this.update("starting");
    } else {
      this.#stream.write(`[bench ${this.#elapsed()}] ${phase}: started\n`);
    }
  }

  /** Redraws the line at most 10 times a second; `detail` is free text such as "120/400". */
  update(detail: string): void {
    if (!this.#interactive) {
      return;
    }
    const now = performance.now();
    if (now - this.#lastDrawAt < 100) {
      return;
    }
    this.#lastDrawAt = now;
    const phaseSeconds = ((now - this.#phaseStartedAt) / 1000).toFixed(1);
    const text = `[bench ${this.#elapsed()}] ${this.#phase}: ${detail} (${phaseSeconds} s)`;
    const width = this.#stream.columns ?? 100;
    this.#stream.write(`\r\x1b[2K${text.slice(0, width - 1)}`);
  }

  endPhase(summary: string): void {
    const seconds = ((performance.now() - this.#phaseStartedAt) / 1000).toFixed(1);
    const line = `[bench ${this.#elapsed()}] ${this.#phase}: ${summary} (${seconds} s)`;
    this.#stream.write(this.#interactive ? `\r\x1b[2K${line}\n` : `${line}\n`);
    this.#lastDrawAt = 0;
  }

  note(message: string): void {
    this.#stream.write(this.#interactive ? `\r\x1b[2K${message}\n` : `${message}\n`);
  }

  #elapsed(): string {
    const total = Math.round((performance.now() - this.#startedAt) / 1000);
    const minutes = Math.floor(total / 60);
    const seconds = String(total % 60).padStart(2, "0");
    return `${minutes}:${seconds}`;
  }
}
