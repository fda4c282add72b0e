/**
 * `npm run bench [-- --quick]`: this project's figures beside anchors measured
 * in the same run on the same machine. Starts a nats-server and the built
 * services on 127.0.0.1, runs every case (bounded in count and time), prints
 * one row per measurement and the targets, writes bench-results/, and stops
 * everything it started: at the end, on an error, on Ctrl-C and at the deadline.
 */
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Cleanup } from './cleanup.js';
import { SimulationRunner } from './simulation-runner.js';
import { BENCH_CASES, CASE_NAMES, type CaseOutcome } from './cases/registry.js';
import { CURVE_MODES, curveSeries } from './cases/scale-curve.js';
import { tasksOf, type CaseContext } from './cases/context.js';
import { parseOptions, planFor, usage, type BenchOptions } from './options.js';
import { pythonVersion } from './python-anchors.js';
import { writeResults, type BenchResults } from './results-file.js';
import { reasonOf, row, type BenchRow } from './rows.js';
import { buildLineChart } from './svg-chart.js';
import { missingBuilds, repoRoot, SERVICE_LOG_LEVEL, startBenchSystem } from './system.js';
import { formatTable, formatTargets } from './table.js';
import { evaluateTargets } from './targets.js';

const log = (line: string) => process.stderr.write(`${line}\n`);
const out = (text: string) => process.stdout.write(text);

function firstLine(command: string, args: string[]): string | null {
  const run = spawnSync(command, args, { encoding: 'utf8', timeout: 5_000, cwd: repoRoot });
  return run.status === 0 ? ((run.stdout || run.stderr).trim().split('\n')[0] ?? null) : null;
}

/** A case that throws becomes one n/a row naming the error; the bench goes on (unless it is being stopped). */
async function guarded(group: string, signal: AbortSignal, work: () => Promise<CaseOutcome>): Promise<CaseOutcome> {
  signal.throwIfAborted();
  try {
    return await work();
  } catch (error) {
    if (signal.aborted) throw error;
    const failed = row({
      id: `${group}/error`,
      group,
      what: 'case failed',
      unit: 'ms',
      better: 'lower',
      project: null,
      anchor: { name: '-', value: null },
      note: `n/a: ${reasonOf(error)}`,
      params: {},
    });
    log(`  ${group}: failed: ${reasonOf(error)}`);
    return { rows: [failed] };
  }
}

async function run(options: BenchOptions): Promise<number> {
  const plan = planFor(options.quick);
  const startedAt = new Date();
  const clock = performance.now();
  const cleanup = new Cleanup(log);
  const removeHandlers = cleanup.installExitHandlers(plan.deadlineMs);

  const missing = missingBuilds();
  if (missing.length > 0) {
    log(`bench: not built: ${missing.join(', ')}; run \`npx nx run-many -t build\` (npm run bench does)`);
    return 1;
  }
  const python = pythonVersion();
  const machine = {
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryMb: Math.round(totalmem() / 1024 / 1024),
    node: process.version,
    python: python ?? 'not found',
    natsServer: firstLine('nats-server', ['--version']) ?? 'unknown',
  };
  const commit = firstLine('git', ['rev-parse', '--short', 'HEAD']);
  const notes = [
    `services run with LOG_LEVEL=${SERVICE_LOG_LEVEL}, so logging does not dominate the queue and HTTP figures`,
    'the services run on nats-server with the shipped config (deploy/nats/nats.conf: users, permissions), as compose runs them; the raw nats.js anchors on a bare nats-server; nats/shipped-config-cost is what the config costs the same raw pub/sub',
    "overheads: parallel = total - longest task, sequential = total - sum; times are the coordinator's own totalMs (HTTP excluded), Python's measured inside the script (interpreter start excluded)",
    'ratio = this project / anchor: below 1 is better for times, above 1 for rates',
  ];
  if (!python) notes.push('python3 not found: the Python anchors are n/a');

  let exitCode = 0;
  const rows: BenchRow[] = [];
  try {
    out(`Concurrency Lab bench (${options.quick ? '--quick' : 'full'}), commit ${commit ?? 'unknown'}\n`);
    out(
      `machine: ${machine.cpus} x ${machine.cpu}, ${machine.memoryMb} MB, node ${machine.node}, ${machine.python}, ${machine.natsServer}\n`,
    );
    out(`${notes.map((n) => `note: ${n}`).join('\n')}\n`);

    log('bench: starting nats-server and the services on 127.0.0.1...');
    const system = await startBenchSystem(cleanup);
    const client = new SimulationRunner(system.baseUrl, cleanup.signal);
    const ctx: CaseContext = {
      plan,
      client,
      natsUrl: system.anchorNatsUrl,
      shippedNats: system.shippedAnchor,
      python: python !== null,
      signal: cleanup.signal,
      log,
    };

    // Warm-up: one tiny run per mode, which also finds which modes this coordinator accepts.
    const support: string[] = [];
    for (const mode of CURVE_MODES) {
      const outcome = await client.simulate(mode, tasksOf(2, 0));
      const sent = client.sentModeFor(mode);
      support.push(outcome.ok ? (sent === mode ? `${mode} ok` : `${mode} -> sent as ${sent}`) : `${mode} n/a (${outcome.reason})`);
    }
    const modeNote = `modes: ${support.join('; ')}; waitMs ${client.waitMsSent === null ? 'not accepted, left out' : `sent as ${client.waitMsSent}`}`;
    notes.push(modeNote);
    out(`note: ${modeNote}\n\n`);

    for (const benchCase of BENCH_CASES) {
      if (options.only.length > 0 && !options.only.includes(benchCase.name)) continue;
      log(`bench: ${benchCase.title}`);
      const outcome = await guarded(benchCase.group, cleanup.signal, () => benchCase.run(ctx, system, cleanup));
      rows.push(...outcome.rows);
      if (outcome.correctnessFailure) {
        exitCode = 1;
        notes.push(outcome.correctnessFailure);
      }
    }
  } catch (error) {
    log(`bench: failed: ${reasonOf(error)}`);
    exitCode = 1;
  } finally {
    log('bench: stopping everything it started...');
    await cleanup.runAll();
    removeHandlers();
  }

  // With --only, the targets of the cases left out are left out too, rather than shown as not met.
  const targets = evaluateTargets(rows).filter((target) => options.only.length === 0 || !target.detail.startsWith('not measured'));
  out(formatTable(rows));
  out('\ntargets:\n');
  out(formatTargets(targets));

  const wallMs = Math.round(performance.now() - clock);
  const results: BenchResults = {
    schema: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    wallMs,
    quick: options.quick,
    commit,
    machine,
    notes,
    rows,
    targets,
  };
  const svg = buildLineChart({
    title: `Scale curve: total time of N tasks of ${plan.curveTaskMs} ms`,
    xLabel: 'tasks per run (log scale)',
    yLabel: 'total time, ms (log scale)',
    series: curveSeries(rows, plan.curveTaskMs),
  });
  const paths = await writeResults(resolve(options.outDir === 'bench-results' ? repoRoot : process.cwd(), options.outDir), results, svg);
  out(`\nwrote ${paths.map((p) => p.replace(repoRoot, '')).join(', ')}\n`);
  out(`wall time ${(wallMs / 1000).toFixed(1)} s\n`);
  return exitCode;
}

let options: BenchOptions;
try {
  options = parseOptions(process.argv.slice(2), CASE_NAMES);
} catch (error) {
  process.stderr.write(`bench: ${reasonOf(error)}\n${usage(CASE_NAMES)}`);
  process.exit(2);
}
if (options.help) {
  process.stdout.write(usage(CASE_NAMES));
  process.exit(0);
}
// Exit now: a failed start can leave bounded probes and timers that would only delay the exit.
process.exit(await run(options));
