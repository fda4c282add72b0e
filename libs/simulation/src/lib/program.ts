import { fileURLToPath } from 'node:url';

/**
 * Where the programs of task processes and threads are. Built, they are plain
 * JavaScript beside this file. From the TypeScript sources (under vitest) they
 * run through tsx and resolve workspace packages to their sources, so tests
 * exercise real processes and threads without a build step.
 */
const fromSource = import.meta.url.endsWith('.ts');

export interface ChildProgram {
  path: string;
  url: URL;
  execArgv: string[];
  fromSource: boolean;
}

export function childProgram(name: 'task-process' | 'thread-task'): ChildProgram {
  const url = new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  return {
    path: fileURLToPath(url),
    url,
    execArgv: fromSource ? ['--import', 'tsx', '--conditions=@concurrency-lab/source'] : [],
    fromSource,
  };
}
