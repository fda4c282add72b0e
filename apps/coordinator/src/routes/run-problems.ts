import { HttpProblem } from '@concurrency-lab/http';
import { TooManyRunsError } from '@concurrency-lab/runs';

/**
 * Runs `start`, turning the run registry's TooManyRunsError into a 429 with
 * Retry-After, the same for both kinds of run.
 */
export function startOr429<T>(title: string, start: () => T): T {
  try {
    return start();
  } catch (error) {
    if (error instanceof TooManyRunsError) throw new HttpProblem(429, title, `${error.message}; retry shortly`, {}, { 'Retry-After': '5' });
    throw error;
  }
}
