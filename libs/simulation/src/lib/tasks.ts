/** A simulated download: a name and how long "downloading" it takes. */
export interface DownloadTask {
  name: string;
  durationMs: number;
}

/** The two files of the lesson. */
export const LESSON_FILES = ['Python introduction.pdf', 'av.avi'] as const;

/** A whole number from min to max inclusive, like Python's randint. */
function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** The lesson's example: each file takes a random whole number of seconds from 5 to 10. */
export function lessonTasks(random: () => number = Math.random): DownloadTask[] {
  return LESSON_FILES.map((name) => ({ name, durationMs: randomInt(random, 5, 10) * 1000 }));
}

/** `count` tasks named file-001… with durations drawn from minMs to maxMs. */
export function generateTasks(count: number, minMs: number, maxMs: number, random: () => number): DownloadTask[] {
  const width = String(count).length;
  return Array.from({ length: count }, (_, index) => ({
    name: `file-${String(index + 1).padStart(width, '0')}`,
    durationMs: randomInt(random, minMs, maxMs),
  }));
}

/** Multiplies every duration, so a demo of 8 s downloads can run in 80 ms. */
export function scaleTasks(tasks: readonly DownloadTask[], scale: number): DownloadTask[] {
  return tasks.map((task) => ({ name: task.name, durationMs: Math.round(task.durationMs * scale) }));
}
