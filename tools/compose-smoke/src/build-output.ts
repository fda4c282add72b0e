/**
 * What `compose up --build` printed while building, with BuildKit's plain
 * progress: whether BuildKit built at all (its steps are "#N ..." lines; the
 * classic builder prints "Step N/M"), and any line in which npm warned or
 * gave notice (`npm warn using --force`, `npm notice New major version ...`):
 * a newcomer's build should be quiet.
 */
export interface BuildOutputCheck {
  buildkit: boolean;
  /** Steps BuildKit took from its cache rather than running them. */
  cached: number;
  /** Steps it ran. */
  ran: number;
  noise: string[];
}

const NPM_NOISE = /\bnpm (warn|WARN|notice|ERR!)\b/;

export function checkBuildOutput(output: string): BuildOutputCheck {
  const lines = output.split(/\r?\n/);
  const steps = new Map<string, 'ran' | 'cached'>();
  for (const line of lines) {
    const step = /^#(\d+) (CACHED|DONE)\b/.exec(line.trim());
    if (step?.[1]) steps.set(step[1], step[2] === 'CACHED' ? 'cached' : (steps.get(step[1]) ?? 'ran'));
  }
  const noise = [...new Set(lines.map((line) => line.trim()).filter((line) => NPM_NOISE.test(line)))];
  const values = [...steps.values()];
  return {
    buildkit: lines.some((line) => /^#\d+ \[/.test(line.trim())) && !lines.some((line) => /^Step \d+\/\d+ :/.test(line.trim())),
    cached: values.filter((value) => value === 'cached').length,
    ran: values.filter((value) => value === 'ran').length,
    noise,
  };
}
