export type LogLine = Record<string, unknown> & { msg?: string };

/**
 * JSON log lines as they arrive, and promises for the ones a test awaits:
 * a test waits for the line that says something happened instead of polling.
 */
export class LineLog {
  readonly lines: LogLine[] = [];
  private readonly waiters = new Set<{
    match: (line: LogLine) => boolean;
    resolve: (line: LogLine) => void;
    reject: (error: Error) => void;
  }>();

  constructor(
    readonly describeTail: () => string = () =>
      this.lines
        .slice(-10)
        .map((line) => JSON.stringify(line))
        .join('\n'),
  ) {}

  /** Adds one line of text: JSON when it parses, kept as `msg` otherwise. */
  push(text: string): void {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      line = { msg: text, unparsed: true };
    }
    this.lines.push(line);
    for (const waiter of [...this.waiters]) {
      if (waiter.match(line)) {
        this.waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  }

  /** Resolves with the first line, past or future, that matches; rejects after timeoutMs, or when fail() is called. */
  waitForLine(match: (line: LogLine) => boolean, timeoutMs = 15_000, who = 'log'): Promise<LogLine> {
    const seen = this.lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise<LogLine>((resolve, reject) => {
      const waiter = {
        match,
        resolve: (line: LogLine) => {
          clearTimeout(timer);
          resolve(line);
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`${who}: no matching log line within ${timeoutMs} ms; last lines:\n${this.describeTail()}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Rejects every pending wait: the source of the lines is gone. */
  fail(error: Error): void {
    for (const waiter of this.waiters) waiter.reject(error);
    this.waiters.clear();
  }
}
