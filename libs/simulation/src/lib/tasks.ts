/** A simulated download: a name and how long "downloading" it takes. */
export interface DownloadTask {
  name: string;
  durationMs: number;
}

/** The two files of the lesson. */
export const LESSON_FILES = ['Python introduction.pdf', 'av.avi'] as const;

/** A whole number of seconds from 5 to 10, like the lesson's randint(5, 10). */
function randomLessonSeconds(random: () => number): number {
  return 5 + Math.floor(random() * 6);
}

/** The lesson's example: each file takes a random 5 to 10 s. */
export function lessonTasks(random: () => number = Math.random): DownloadTask[] {
  return LESSON_FILES.map((name) => ({ name, durationMs: randomLessonSeconds(random) * 1000 }));
}

/** Multiplies every duration, so a demo of 8 s downloads can run in 80 ms. */
export function scaleTasks(tasks: readonly DownloadTask[], scale: number): DownloadTask[] {
  return tasks.map((task) => ({ name: task.name, durationMs: Math.round(task.durationMs * scale) }));
}
