import { createLogger, type Logger } from '@concurrency-lab/logger';
import { Writable } from 'node:stream';
import { LineLog } from '@concurrency-lab/local-system';

/**
 * A real pino logger whose lines a test reads back: `lines` so far, and
 * `waitForLine` for one still to come.
 */
export function captureLogs(service = 'spec', level = 'info'): { logger: Logger } & Pick<LineLog, 'lines' | 'waitForLine'> {
  const log = new LineLog();
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split('\n').filter(Boolean)) log.push(text);
      done();
    },
  });
  return {
    logger: createLogger({ service, level, destination }),
    lines: log.lines,
    waitForLine: (match, timeoutMs, who) => log.waitForLine(match, timeoutMs, who),
  };
}
