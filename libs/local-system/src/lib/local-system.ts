import { deployEnvironment, type ServiceName } from '@concurrency-lab/config';
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { LogLine } from './line-log.js';
import { startNatsServer, startShippedNatsServer, type NatsServerHandle, type NatsServerOptions } from './nats-server.js';
import { assertPortsFree, freePort, LOOPBACK } from './ports.js';
import { startServiceProcess, type ServiceProcess } from './service-process.js';
import { running, stopChild } from './stop-child.js';
import { waitFor } from './wait-for.js';

/** The services of the system, in the order they start and are listed. */
export const SERVICES = ['coordinator', 'writer', 'reader', 'downloader'] as const satisfies readonly ServiceName[];

/** How a started service counts as ready: the line it logs (needs LOG_LEVEL info), its /healthz answering 200 (any level), or not awaited. */
export type Readiness = 'log' | 'healthz' | 'none';

/** The line each service logs once it is ready for work. */
const READY_LINE: Record<ServiceName, (line: LogLine) => boolean> = {
  coordinator: (line) => line.msg === 'listening',
  writer: (line) => line.msg === 'writer ready',
  reader: (line) => line.msg === 'reader ready',
  downloader: (line) => line.msg === 'downloader ready',
};

export interface LocalSystemOptions {
  /** The repository: deploy/nats/nats.conf, deploy/env/*.env and apps/<service>/dist/main.js. */
  repoRoot: string;
  /** nats-server settings; `shipped: false` runs it without deploy/nats/nats.conf (no users), and the services without credentials. */
  nats?: Omit<NatsServerOptions, 'configFile' | 'output' | 'detached'> & { shipped?: boolean };
  /**
   * NATS that runs already (a cluster from startNatsCluster): the services get
   * this NATS_URL (one URL or several, comma-joined) and no nats-server is
   * started or stopped here. Unset: one nats-server of its own, as shipped.
   */
  natsUrl?: string;
  /** NATS_REPLICAS for every service (3 on a three-node cluster); the env files' (1) when unset. */
  natsReplicas?: number;
  /** Fixed HTTP ports of the first instance of each service (npm start); free loopback ports otherwise. */
  ports?: Partial<Record<ServiceName, number>>;
  /** On top of every service's env files and the local settings (NATS_URL, HOST, PORT): LOG_LEVEL, LOG_FORMAT, ... */
  common?: Record<string, string>;
  /** On top of that, per service: a test's ACK_WAIT_MS, a COORDINATOR_TOKEN. */
  environment?: Partial<Record<ServiceName, Record<string, string>>>;
  readiness?: Readiness;
  /** How long a service may take to become ready. */
  readyTimeoutMs?: number;
  /** Output of every process: collected as lines (default) or passed straight to this terminal. */
  output?: 'collect' | 'inherit';
  /** Repeat collected lines on this process's output, prefixed with the service's name. */
  echo?: boolean;
  /** Every process in a group of its own: a terminal's Ctrl-C reaches only the caller, which stops them in order. */
  detached?: boolean;
  /** A service exited that this system did not stop (npm start stops the rest). */
  onUnexpectedExit?: (service: ServiceProcess, how: string) => void;
}

/** The built entry point of each service that is missing. */
export function missingBuilds(repoRoot: string): string[] {
  return SERVICES.map((service) => serviceScript(repoRoot, service)).filter((script) => !existsSync(script));
}

function serviceScript(repoRoot: string, service: ServiceName): string {
  return resolve(repoRoot, 'apps', service, 'dist', 'main.js');
}

/** GET url answers 200 within a second (the services serve /healthz only once their NATS side is ready). */
async function answersOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * nats-server as it ships and the built coordinator, writer, reader and downloader as
 * real processes on loopback, each configured from deploy/env as compose
 * configures its container. stop() may be called at any time, during
 * start() too: it stops whatever runs, services first (SIGTERM, so they drain
 * their NATS connections), NATS last.
 */
export class LocalSystem {
  private natsHandle: NatsServerHandle | undefined;
  private first: Partial<Record<ServiceName, ServiceProcess>> = {};
  private readonly launched: ServiceProcess[] = [];
  private readonly urls = new Map<ServiceProcess, string>();
  private readonly stoppedOnPurpose = new Set<ServiceProcess>();
  /** What each instance was started with beyond the common settings, for restartService. */
  private readonly extraEnv = new Map<ServiceProcess, Record<string, string>>();
  private stopping: Promise<void> | undefined;
  private firstCoordinatorUrl: string | undefined;

  constructor(private readonly options: LocalSystemOptions) {}

  get nats(): NatsServerHandle {
    if (this.options.natsUrl !== undefined) throw new Error('the local system runs on NATS it did not start (natsUrl)');
    if (!this.natsHandle) throw new Error('the local system has not started NATS yet');
    return this.natsHandle;
  }

  /** The first instance of each service; a caller may put a replacement in its place. */
  get services(): Record<ServiceName, ServiceProcess> {
    const { coordinator, writer, reader, downloader } = this.first;
    if (!coordinator || !writer || !reader || !downloader) throw new Error('the local system has not started its services yet');
    return this.first as Record<ServiceName, ServiceProcess>;
  }

  /** The first coordinator's base URL (a replacement put in `services` has its own: urlOf). */
  get baseUrl(): string {
    if (!this.firstCoordinatorUrl) throw new Error('the local system has not started its services yet');
    return this.firstCoordinatorUrl;
  }

  /** Where a service process answers HTTP (/healthz, /readyz; the coordinator's API). */
  urlOf(service: ServiceProcess): string {
    const url = this.urls.get(service);
    if (!url) throw new Error(`${service.name} ${service.pid} was not started by this system`);
    return url;
  }

  /** The lines of every service process started so far, stopped or killed ones included, that match. */
  linesOfAll(match: (line: LogLine) => boolean): LogLine[] {
    return this.launched.flatMap((service) => service.lines.filter(match));
  }

  /** Starts NATS (unless given natsUrl), then the services together; on a failure, stops what it started and throws. */
  async start(): Promise<this> {
    const { repoRoot, nats = {}, ports = {} } = this.options;
    const missing = missingBuilds(repoRoot);
    if (missing.length > 0)
      throw new Error(`not built: ${missing.map((script) => relative(repoRoot, script)).join(', ')}; run \`npx nx run-many -t build\``);
    await assertPortsFree(Object.values(ports), 'another service or an earlier npm start?');
    try {
      if (this.options.natsUrl === undefined) this.natsHandle = await this.startNats(nats);
      const [coordinator, writer, reader, downloader] = await Promise.all([
        this.launch('coordinator', {}, ports.coordinator),
        this.launch('writer', {}, ports.writer),
        this.launch('reader', {}, ports.reader),
        this.launch('downloader', {}, ports.downloader),
      ]);
      this.first = { coordinator, writer, reader, downloader };
      this.firstCoordinatorUrl = this.urlOf(coordinator);
      return this;
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  private startNats(nats: NonNullable<LocalSystemOptions['nats']>): Promise<NatsServerHandle> {
    const { shipped = true, ...natsOptions } = nats;
    const serverOptions = { ...natsOptions, output: this.options.output ?? 'collect', detached: this.options.detached ?? false };
    return shipped ? startShippedNatsServer(this.options.repoRoot, serverOptions) : startNatsServer(serverOptions);
  }

  /** Starts one more instance of a service (a reader that comes late, a writer after a crash), stopped with the others. */
  startService(service: ServiceName, env: Record<string, string> = {}): Promise<ServiceProcess> {
    return this.launch(service, env);
  }

  /** Ends a service abruptly (SIGKILL), as a crash would, and waits until it is gone. */
  async killService(service: ServiceProcess): Promise<void> {
    this.stoppedOnPurpose.add(service);
    await stopChild(service.child, 'SIGKILL');
  }

  /** Stops a service gracefully (SIGTERM), then starts another instance of it with the same settings. */
  async restartService(service: ServiceProcess): Promise<ServiceProcess> {
    this.stoppedOnPurpose.add(service);
    await service.stop('SIGTERM');
    return this.launch(service.name as ServiceName, this.extraEnv.get(service) ?? {});
  }

  /** Services first, each once (a second SIGTERM would mean "exit now"), then NATS; idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const live = this.launched.filter((service) => running(service.child));
      live.forEach((service) => this.stoppedOnPurpose.add(service));
      await Promise.all(live.map((service) => service.stop('SIGTERM')));
      await this.natsHandle?.stop();
    })();
    return this.stopping;
  }

  /** SIGTERM to every process still running, without waiting: for a process 'exit' handler, where nothing can be awaited. */
  killAll(): void {
    for (const service of this.launched) if (running(service.child)) service.child.kill('SIGTERM');
    const natsPid = this.natsHandle?.pid;
    if (natsPid !== undefined && this.natsHandle?.running) process.kill(natsPid, 'SIGTERM');
  }

  private environmentOf(service: ServiceName, port: number, env: Record<string, string>): Record<string, string> {
    const { repoRoot, nats = {}, common = {}, environment = {}, natsUrl, natsReplicas } = this.options;
    const files = deployEnvironment(repoRoot, service);
    // A server without the shipped users refuses no one, but a client with credentials it does not know.
    if (nats.shipped === false) {
      delete files['NATS_USER'];
      delete files['NATS_PASSWORD'];
    }
    const local = {
      NATS_URL: natsUrl ?? this.nats.url,
      ...(natsReplicas === undefined ? {} : { NATS_REPLICAS: String(natsReplicas) }),
      HOST: LOOPBACK,
      PORT: String(port),
    };
    return { ...files, ...local, ...common, ...environment[service], ...env };
  }

  private async launch(service: ServiceName, env: Record<string, string>, fixedPort?: number): Promise<ServiceProcess> {
    const port = fixedPort ?? (await freePort());
    // Checked just before the spawn, with no await between: stop() sees every process started before it.
    if (this.stopping) throw new Error(`the local system is stopping; ${service} not started`);
    const { repoRoot, output, echo, detached } = this.options;
    const child = startServiceProcess(service, serviceScript(repoRoot, service), this.environmentOf(service, port, env), {
      output: output ?? 'collect',
      echo: echo ?? false,
      detached: detached ?? false,
      cwd: repoRoot,
    });
    this.launched.push(child);
    this.extraEnv.set(child, env);
    this.urls.set(child, `http://${LOOPBACK}:${port}`);
    child.child.once('exit', (code, signal) => {
      if (!this.stoppedOnPurpose.has(child)) this.options.onUnexpectedExit?.(child, signal ?? `code ${code}`);
    });
    await this.whenReady(child, service);
    return child;
  }

  private async whenReady(child: ServiceProcess, service: ServiceName): Promise<void> {
    const { readiness = 'log', readyTimeoutMs = 20_000, output } = this.options;
    if (readiness === 'none') return;
    if (readiness === 'log') {
      await child.waitForLine(READY_LINE[service], readyTimeoutMs);
      return;
    }
    // A line nothing matches: rejects with the service's last lines as soon as it exits (with collected output).
    const exited = output === 'inherit' ? new Promise<never>(() => undefined) : child.waitForLine(() => false, readyTimeoutMs + 5_000);
    exited.catch(() => undefined);
    const url = `${this.urlOf(child)}/healthz`;
    await Promise.race([
      waitFor(`${service} ${url}`, async () => (await answersOk(url)) || undefined, { timeoutMs: readyTimeoutMs, intervalMs: 50 }),
      exited,
    ]);
  }
}

/** Creates a LocalSystem and starts it. */
export function startLocalSystem(options: LocalSystemOptions): Promise<LocalSystem> {
  return new LocalSystem(options).start();
}
