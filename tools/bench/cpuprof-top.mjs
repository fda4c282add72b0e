// Self time per function in a .cpuprofile: node cpuprof-top.mjs FILE [N] [--busiest MS]
// --after S skips the first S seconds (start-up); --busiest MS keeps only the busiest MS-long stretch (the bench run, not start-up or idle waits).
import { readFileSync } from 'node:fs';
const args = process.argv.slice(2);
const busiestAt = args.indexOf('--busiest');
const busiestMs = busiestAt >= 0 ? Number(args.splice(busiestAt, 2)[1]) : 0;
const afterAt = args.indexOf('--after');
const afterS = afterAt >= 0 ? Number(args.splice(afterAt, 2)[1]) : 0;
const [file, n = '25'] = args;
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const samples = [];
let t = 0;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i] ?? 0;
  const { functionName, url, lineNumber } = byId.get(profile.samples[i]).callFrame;
  const name = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(libs|apps|tools)\//, '$1/')}:${lineNumber + 1}`;
  if (t < afterS * 1e6) continue;
  samples.push({ t, us: profile.timeDeltas[i + 1] ?? 0, name });
}
let from = 0,
  to = Infinity;
if (busiestMs > 0) {
  // The window (sliding by sample) with the least idle time inside it.
  let best = -1,
    busy = 0,
    lo = 0;
  for (let hi = 0; hi < samples.length; hi++) {
    if (samples[hi].name.startsWith('(idle)') === false) busy += samples[hi].us;
    while (samples[hi].t - samples[lo].t > busiestMs * 1000) {
      if (!samples[lo].name.startsWith('(idle)')) busy -= samples[lo].us;
      lo++;
    }
    if (busy > best) {
      best = busy;
      from = samples[lo].t;
      to = samples[hi].t;
    }
  }
}
const self = new Map();
for (const s of samples) if (s.t >= from && s.t <= to) self.set(s.name, (self.get(s.name) ?? 0) + s.us);
const total = [...self.values()].reduce((a, b) => a + b, 0);
console.log(`window ${(from / 1e6).toFixed(2)}-${(to / 1e6).toFixed(2)} s, ${(total / 1000).toFixed(0)} ms sampled`);
for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(n)))
  console.log(`${(us / 1000).toFixed(1).padStart(8)} ms ${((us / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
