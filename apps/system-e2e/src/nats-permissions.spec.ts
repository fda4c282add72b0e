import { NATS_CONFIG_FILE, type NatsCliUser, type ServiceName } from '@concurrency-lab/config';
import {
  EVENTS_STREAM,
  itemSubject,
  openQueue,
  QUEUE_STREAM,
  READER_CONSUMER,
  READER_CONTROL_SUBJECT,
  readBatchSubject,
  runEventsFilter,
  WRITER_REQUEST_SUBJECT,
} from '@concurrency-lab/queue';
import { openRunRecords, RUN_RECORDS_BUCKET, RUN_RECORDS_STREAM } from '@concurrency-lab/run-records';
import { captureLogs, freePort, type NatsServerHandle } from '@concurrency-lab/testing';
import { AckPolicy, jetstream, jetstreamManager, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, errors, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { natsUserEnvironment, serviceEnvironment, startRepoNatsServer } from './support/system.js';

/**
 * deploy/nats/nats.conf for real: nats-server started with it (bcrypt hashes
 * of the passwords), and clients holding the credentials each user's env file
 * gives it (deploy/env/<service>.env, ops.env, sys.env). Who gets in, and
 * what each user may and may not do. (The other e2e specs run the whole
 * system under the same config.)
 */

const { logger: silentLogger } = captureLogs('permissions-spec');
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
let nats: NatsServerHandle;
const connections: NatsConnection[] = [];

beforeAll(async () => {
  nats = await startRepoNatsServer({ monitor: true });
});
afterEach(async () => {
  await Promise.all(connections.splice(0).map((nc) => nc.close()));
});
afterAll(async () => {
  await nats?.stop();
});

function credentialsOf(name: ServiceName | NatsCliUser): { user: string; pass: string } {
  const { NATS_USER: user, NATS_PASSWORD: pass } = name === 'ops' || name === 'sys' ? natsUserEnvironment(name) : serviceEnvironment(name);
  if (!user || !pass) throw new Error(`deploy/env/${name}.env sets no NATS_USER and NATS_PASSWORD`);
  return { user, pass };
}

async function connectAs(credentials: { user?: string; pass?: string }): Promise<NatsConnection> {
  const nc = await connect({ servers: nats.url, name: 'permissions-spec', maxReconnectAttempts: 0, ...credentials });
  connections.push(nc);
  return nc;
}
const connectAsService = (service: ServiceName | NatsCliUser) => connectAs(credentialsOf(service));

/** What nats-server prints while it starts with the repository's config, up to "Server is ready". */
async function startupLog(): Promise<string> {
  const store = await mkdtemp(join(tmpdir(), 'clab-nats-log-'));
  const server = spawn('nats-server', [
    '-c',
    resolve(repoRoot, NATS_CONFIG_FILE),
    '-a',
    '127.0.0.1',
    '-p',
    String(await freePort()),
    '-js',
    '-sd',
    store,
  ]);
  let log = '';
  try {
    await new Promise<void>((done, failed) => {
      const timer = setTimeout(() => failed(new Error(`nats-server did not say "Server is ready" within 20 s:\n${log}`)), 20_000);
      const take = (chunk: Buffer) => {
        log += chunk.toString();
        if (!log.includes('Server is ready')) return;
        clearTimeout(timer);
        done();
      };
      server.stdout.on('data', take);
      server.stderr.on('data', take);
      server.once('exit', (code) => {
        clearTimeout(timer);
        failed(new Error(`nats-server exited (${code}):\n${log}`));
      });
    });
    return log;
  } finally {
    if (server.exitCode === null && server.signalCode === null) {
      const exited = once(server, 'exit');
      server.kill('SIGTERM');
      await exited;
    }
    await rm(store, { recursive: true, force: true });
  }
}

/**
 * The permission violations the server reports while `action` runs. nats-server
 * answers a connection's commands in order, so a violation's -ERR arrives
 * before the PONG of a flush sent after it; a second flush, answered in a later
 * read from the socket, lets the status events already received be handled.
 */
async function violationsDuring(nc: NatsConnection, action: () => unknown): Promise<string[]> {
  const seen: string[] = [];
  const statuses = nc.status();
  const watching = (async () => {
    for await (const status of statuses) {
      if (status.type === 'error' && status.error instanceof errors.PermissionViolationError) {
        seen.push(`${status.error.operation} ${status.error.subject}${status.error.queue ? ` ${status.error.queue}` : ''}`);
      }
    }
  })();
  await action();
  await nc.flush();
  await nc.flush();
  (statuses as AsyncIterable<unknown> & { stop(): void }).stop();
  await watching;
  return seen;
}

/** Subscribes and reports whether the server refused it (the subscription is then closed with the violation). */
async function subscriptionDenied(nc: NatsConnection, subject: string, queue?: string): Promise<boolean> {
  let sub: Subscription | undefined;
  const violations = await violationsDuring(nc, () => {
    sub = nc.subscribe(subject, queue ? { queue } : {});
  });
  const denied = violations.includes(`subscription ${subject}${queue ? ` ${queue}` : ''}`);
  expect(sub?.isClosed(), `a refused subscription to ${subject} is closed, an allowed one open`).toBe(denied);
  sub?.unsubscribe();
  return denied;
}

async function publishDenied(nc: NatsConnection, subject: string): Promise<boolean> {
  const violations = await violationsDuring(nc, () => nc.publish(subject, 'x'));
  return violations.includes(`publish ${subject}`);
}

/** A JetStream API call refused by the permissions: nats.js rejects the request with the server's violation. */
async function expectApiDenied(call: Promise<unknown>, subject: string): Promise<void> {
  await expect(call).rejects.toThrow(`Permissions Violation for Publish to "${subject}"`);
}

describe('nats-server with deploy/nats/nats.conf', () => {
  it('refuses a connection without credentials, with a wrong password and with an unknown user', async () => {
    await expect(connectAs({})).rejects.toBeInstanceOf(errors.AuthorizationError);
    await expect(connectAs({ user: 'writer', pass: 'not-the-password' })).rejects.toBeInstanceOf(errors.AuthorizationError);
    await expect(connectAs({ user: 'nobody', pass: credentialsOf('writer').pass })).rejects.toBeInstanceOf(errors.AuthorizationError);
  });

  it('lets each user in with the password of its env file, which nats.conf holds only as a bcrypt hash', async () => {
    for (const user of ['coordinator', 'writer', 'reader', 'downloader', 'ops', 'sys'] as const) {
      const nc = await connectAsService(user);
      expect(credentialsOf(user).user).toBe(user);
      expect(nc.info?.auth_required).toBe(true);
    }
    // The hash itself is no password: a client sending it is refused.
    const hash = /user:\s*writer\s+password:\s*"([^"]+)"/.exec(readFileSync(resolve(repoRoot, NATS_CONFIG_FILE), 'utf8'))?.[1];
    expect(hash).toMatch(/^\$2[aby]\$\d\d\$/);
    await expect(connectAs({ user: 'writer', pass: hash ?? '' })).rejects.toBeInstanceOf(errors.AuthorizationError);
  });

  it('starts without the plaintext-password warning', async () => {
    const log = await startupLog();
    expect(log).toContain('Server is ready');
    expect(log).not.toMatch(/plaintext password/i);
    expect(log).not.toMatch(/\[(WRN|ERR)\]/);
  });

  it('keeps HTTP monitoring open for the healthcheck, and the system account for `nats server` requests', async () => {
    const health = await fetch(`${nats.monitorUrl}/healthz`);
    expect(health.status).toBe(200);
    const sys = await connectAsService('sys');
    const ping = await sys.request('$SYS.REQ.SERVER.PING', '', { timeout: 5_000 });
    expect(ping.json<{ server: { name: string } }>().server.name).toBeTruthy();
    // A service's user lives in the LAB account: the system's subjects are not there for it.
    const writer = await connectAsService('writer');
    await expect(writer.request('$SYS.REQ.SERVER.PING', '', { timeout: 2_000 })).rejects.toThrow();
  });

  it('lets every user do its part of a queue run (what the e2e suite relies on)', async () => {
    const [coordinator, writer, reader] = await Promise.all([
      connectAsService('coordinator'),
      connectAsService('writer'),
      connectAsService('reader'),
    ]);
    // Each creates or updates the streams at start, the reader its durable consumer too.
    const queues = {
      coordinator: await openQueue(coordinator, 'coordinator'),
      writer: await openQueue(writer, 'writer'),
      reader: await openQueue(reader, 'reader'),
    };
    const runId = randomUUID();

    // The coordinator follows the run's events and asks a writer, which answers on the coordinator's inbox.
    const events = await queues.coordinator.js.consumers.get(EVENTS_STREAM, { filter_subjects: runEventsFilter(runId) });
    const requests = writer.subscribe(WRITER_REQUEST_SUBJECT, {
      queue: 'writers',
      max: 1,
      callback: (_error, message) => void message.respond('accepted'),
    });
    await writer.flush();
    expect((await coordinator.request(WRITER_REQUEST_SUBJECT, runId, { timeout: 5_000 })).string()).toBe('accepted');
    await requests.closed;

    // The writer stores an item and its own event; the reader pulls the item, reports it, looks the report up and acks.
    await queues.writer.js.publish(itemSubject(runId), 'item-1', { msgID: `${runId}:1` });
    await queues.writer.js.publish(`lab.events.${runId}.writer-finished`, 'done');
    const consumer = await queues.reader.js.consumers.get(QUEUE_STREAM, READER_CONSUMER);
    let item: JsMsg | undefined;
    for await (const message of await consumer.fetch({ max_messages: 1, expires: 5_000 })) item = message;
    expect(item?.string()).toBe('item-1');
    await queues.reader.js.publish(readBatchSubject(runId, 'spec', 1), 'read-1');
    expect(
      (await queues.reader.jsm.streams.getMessage(EVENTS_STREAM, { last_by_subj: readBatchSubject(runId, 'spec', 1) }))?.string(),
    ).toBe('read-1');
    expect(await item?.ackAck()).toBe(true);

    const seen: string[] = [];
    for await (const message of await events.consume()) {
      seen.push(message.string());
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(['done', 'read-1']);
    // The queue stream is empty again (work-queue retention): the ack was taken.
    expect((await queues.coordinator.jsm.streams.info(QUEUE_STREAM)).state.messages).toBe(0);
    // Pausing readers: the coordinator publishes, readers receive.
    const control = reader.subscribe(READER_CONTROL_SUBJECT, { max: 1 });
    await reader.flush();
    coordinator.publish(READER_CONTROL_SUBJECT, 'pause');
    for await (const message of control) expect(message.string()).toBe('pause');
  });

  describe('the writer', () => {
    let writer: NatsConnection;
    let jsm: JetStreamManager;
    beforeAll(async () => {
      // The streams exist whichever test runs first.
      await openQueue(await connectAsService('coordinator'), 'coordinator');
    });
    const open = async () => {
      writer = await connectAsService('writer');
      jsm = await jetstreamManager(writer);
    };

    it('cannot consume the queue: no subscription to its items, no consumer on its stream', async () => {
      await open();
      expect(await subscriptionDenied(writer, 'lab.queue.items.>')).toBe(true);
      expect(await subscriptionDenied(writer, itemSubject(randomUUID()))).toBe(true);
      expect(await subscriptionDenied(writer, 'lab.core.items.>', 'readers')).toBe(true);
      await expectApiDenied(
        jsm.consumers.add(QUEUE_STREAM, { name: 'thief', ack_policy: AckPolicy.Explicit, filter_subject: 'lab.queue.items.>' }),
        '$JS.API.CONSUMER.CREATE.LAB_QUEUE.thief.lab.queue.items.>',
      );
      await expectApiDenied(jsm.consumers.info(QUEUE_STREAM, READER_CONSUMER), `$JS.API.CONSUMER.INFO.LAB_QUEUE.${READER_CONSUMER}`);
      await expectApiDenied(jsm.streams.getMessage(QUEUE_STREAM, { seq: 1 }), '$JS.API.STREAM.MSG.GET.LAB_QUEUE');
    });

    it('cannot delete or purge the streams, nor delete a message', async () => {
      await open();
      await expectApiDenied(jsm.streams.delete(QUEUE_STREAM), '$JS.API.STREAM.DELETE.LAB_QUEUE');
      await expectApiDenied(jsm.streams.purge(QUEUE_STREAM), '$JS.API.STREAM.PURGE.LAB_QUEUE');
      await expectApiDenied(jsm.streams.delete(EVENTS_STREAM), '$JS.API.STREAM.DELETE.LAB_EVENTS');
      await expectApiDenied(jsm.streams.purge(EVENTS_STREAM), '$JS.API.STREAM.PURGE.LAB_EVENTS');
      await expectApiDenied(jsm.streams.deleteMessage(QUEUE_STREAM, 1), '$JS.API.STREAM.MSG.DELETE.LAB_QUEUE');
      expect((await jsm.streams.info(QUEUE_STREAM)).config.name).toBe(QUEUE_STREAM); // still there
    });

    it('takes run requests only in the writers queue group, and sends no reader commands', async () => {
      await open();
      expect(await subscriptionDenied(writer, WRITER_REQUEST_SUBJECT, 'writers')).toBe(false);
      expect(await subscriptionDenied(writer, WRITER_REQUEST_SUBJECT)).toBe(true);
      expect(await publishDenied(writer, READER_CONTROL_SUBJECT)).toBe(true);
      expect(await publishDenied(writer, WRITER_REQUEST_SUBJECT)).toBe(true);
      expect(await publishDenied(writer, `lab.events.${randomUUID()}.read.1`)).toBe(false);
    });
  });

  describe('the reader', () => {
    it('cannot put items on the queue, by JetStream or core NATS', async () => {
      const reader = await connectAsService('reader');
      expect(await publishDenied(reader, 'lab.queue.items.x')).toBe(true);
      expect(await publishDenied(reader, itemSubject(randomUUID(), 'core'))).toBe(true);
      await expectApiDenied(jetstream(reader).publish('lab.queue.items.x', 'forged'), 'lab.queue.items.x');
    });

    it('cannot delete or purge the streams, nor touch consumers other than "readers"', async () => {
      const reader = await connectAsService('reader');
      const jsm = await jetstreamManager(reader);
      await expectApiDenied(jsm.streams.delete(QUEUE_STREAM), '$JS.API.STREAM.DELETE.LAB_QUEUE');
      await expectApiDenied(jsm.streams.purge(QUEUE_STREAM), '$JS.API.STREAM.PURGE.LAB_QUEUE');
      await expectApiDenied(jsm.consumers.delete(QUEUE_STREAM, READER_CONSUMER), `$JS.API.CONSUMER.DELETE.LAB_QUEUE.${READER_CONSUMER}`);
      await expectApiDenied(
        jsm.consumers.add(EVENTS_STREAM, { name: 'other', ack_policy: AckPolicy.None, filter_subject: 'lab.events.>' }),
        '$JS.API.CONSUMER.CREATE.LAB_EVENTS.other.lab.events.>',
      );
    });

    it('cannot take run requests nor watch writer heartbeats', async () => {
      const reader = await connectAsService('reader');
      expect(await subscriptionDenied(reader, WRITER_REQUEST_SUBJECT)).toBe(true);
      expect(await subscriptionDenied(reader, WRITER_REQUEST_SUBJECT, 'writers')).toBe(true);
      expect(await subscriptionDenied(reader, 'lab.writer.heartbeat.>')).toBe(true);
      expect(await publishDenied(reader, WRITER_REQUEST_SUBJECT)).toBe(true);
    });
  });

  describe('the coordinator', () => {
    it('cannot take run requests, write items, report reads or pull from the queue consumer (only look at it)', async () => {
      const coordinator = await connectAsService('coordinator');
      const jsm = await jetstreamManager(coordinator);
      expect(await subscriptionDenied(coordinator, WRITER_REQUEST_SUBJECT)).toBe(true);
      expect(await subscriptionDenied(coordinator, WRITER_REQUEST_SUBJECT, 'writers')).toBe(true);
      expect(await publishDenied(coordinator, itemSubject(randomUUID()))).toBe(true);
      expect(await publishDenied(coordinator, readBatchSubject(randomUUID(), 'spec', 1))).toBe(true);
      // It looks at the readers' consumer (open pulls before a paused run's writer starts, unacked items when a run stalls).
      expect((await jsm.consumers.info(QUEUE_STREAM, READER_CONSUMER)).name).toBe(READER_CONSUMER);
      expect(await publishDenied(coordinator, `$JS.API.CONSUMER.MSG.NEXT.${QUEUE_STREAM}.${READER_CONSUMER}`)).toBe(true);
      await expectApiDenied(jsm.streams.delete(EVENTS_STREAM), '$JS.API.STREAM.DELETE.LAB_EVENTS');
      await expectApiDenied(jsm.streams.purge(QUEUE_STREAM), '$JS.API.STREAM.PURGE.LAB_QUEUE');
    });

    it('keeps run records: creates the bucket, puts and gets its two kinds of record, and nothing more', async () => {
      const coordinator = await connectAsService('coordinator');
      const jsm = await jetstreamManager(coordinator);
      const store = await openRunRecords(coordinator, { logger: silentLogger });
      const runId = randomUUID();
      await store.put(`simulation.${runId}`, { state: 'running' });
      await store.put(`queue.${runId}`, { state: 'finished' });
      expect([await store.get(`simulation.${runId}`), await store.get(`queue.${runId}`)]).toEqual([
        { state: 'running' },
        { state: 'finished' },
      ]);
      expect((await jsm.streams.info(RUN_RECORDS_STREAM)).config.max_msgs_per_subject).toBe(1);
      // A record of a kind it does not write, and reading or changing the bucket any other way, are refused.
      await expectApiDenied(store.put(`other.${runId}`, {}), `$KV.${RUN_RECORDS_BUCKET}.other.${runId}`);
      // (A KV delete is a marker put on the key's subject: whoever may put a record may mark it deleted; purges are refused.)
      await expectApiDenied(jsm.streams.purge(RUN_RECORDS_STREAM), `$JS.API.STREAM.PURGE.${RUN_RECORDS_STREAM}`);
      await expectApiDenied(jsm.streams.delete(RUN_RECORDS_STREAM), `$JS.API.STREAM.DELETE.${RUN_RECORDS_STREAM}`);
      const { config } = await jsm.streams.info(RUN_RECORDS_STREAM);
      await expectApiDenied(
        jsm.streams.update(RUN_RECORDS_STREAM, { ...config, max_bytes: 1 }),
        `$JS.API.STREAM.UPDATE.${RUN_RECORDS_STREAM}`,
      );
      await expectApiDenied(jsm.streams.getMessage(RUN_RECORDS_STREAM, { seq: 1 }), `$JS.API.STREAM.MSG.GET.${RUN_RECORDS_STREAM}`);
    });
  });
  describe('the downloader', () => {
    it('cannot hand out tasks, cancel runs, touch the queue or delete the tasks stream; others cannot pull its tasks', async () => {
      const downloader = await connectAsService('downloader');
      expect(await publishDenied(downloader, `lab.downloads.tasks.${randomUUID()}.0`)).toBe(true);
      expect(await publishDenied(downloader, `lab.downloads.cancel.${randomUUID()}`)).toBe(true);
      expect(await publishDenied(downloader, 'lab.downloads.ping')).toBe(true);
      expect(await publishDenied(downloader, itemSubject(randomUUID()))).toBe(true);
      expect(await publishDenied(downloader, `lab.events.${randomUUID()}.read.1`)).toBe(true);
      expect(await subscriptionDenied(downloader, 'lab.downloads.events.>')).toBe(true);
      expect(await publishDenied(downloader, `lab.downloads.events.${randomUUID()}`)).toBe(false);
      const jsm = await jetstreamManager(downloader);
      await expectApiDenied(jsm.streams.delete('LAB_DOWNLOADS'), '$JS.API.STREAM.DELETE.LAB_DOWNLOADS');
      await expectApiDenied(jsm.streams.purge('LAB_DOWNLOADS'), '$JS.API.STREAM.PURGE.LAB_DOWNLOADS');
      // The reader and the coordinator never pull the downloaders' tasks.
      for (const user of ['reader', 'coordinator'] as const) {
        const other = await connectAsService(user);
        expect(await publishDenied(other, '$JS.API.CONSUMER.MSG.NEXT.LAB_DOWNLOADS.downloaders'), user).toBe(true);
      }
      const writer = await connectAsService('writer');
      expect(await publishDenied(writer, `lab.downloads.tasks.${randomUUID()}.0`)).toBe(true);
    });
  });

  describe('the ops user (read-only, for the nats CLI)', () => {
    let ops: NatsConnection;
    let jsm: JetStreamManager;
    /** A JetStream API request as the nats CLI sends it, answered with JSON. */
    const api = async <T>(subject: string, body: unknown = {}) =>
      (await ops.request(subject, JSON.stringify(body), { timeout: 5_000 })).json<T>();

    beforeAll(async () => {
      // The streams and the readers' durable consumer exist, as once the services have started.
      await openQueue(await connectAsService('reader'), 'reader');
    });
    const open = async () => {
      ops = await connectAsService('ops');
      jsm = await jetstreamManager(ops);
    };

    it('looks up what `nats stream ls`, `nats consumer report` and `nats account info` show', async () => {
      await open();
      expect((await jsm.getAccountInfo()).streams).toBeGreaterThanOrEqual(2);
      const names: string[] = [];
      for await (const name of jsm.streams.names()) names.push(name);
      expect(names).toEqual(expect.arrayContaining([QUEUE_STREAM, EVENTS_STREAM]));
      const listed: string[] = [];
      for await (const info of jsm.streams.list()) listed.push(info.config.name);
      expect(listed).toEqual(expect.arrayContaining([QUEUE_STREAM, EVENTS_STREAM]));
      expect((await jsm.streams.info(QUEUE_STREAM)).config.subjects).toContain('lab.queue.items.>');
      const consumers: string[] = [];
      for await (const info of jsm.consumers.list(QUEUE_STREAM)) consumers.push(info.name);
      expect(consumers).toContain(READER_CONSUMER);
      expect((await jsm.consumers.info(QUEUE_STREAM, READER_CONSUMER)).config.durable_name).toBe(READER_CONSUMER);
      expect((await api<{ consumers: string[] }>(`$JS.API.CONSUMER.NAMES.${QUEUE_STREAM}`)).consumers).toContain(READER_CONSUMER);
      expect((await api<{ streams: string[] }>('$JS.API.STREAM.NAMES')).streams).toEqual(
        expect.arrayContaining([QUEUE_STREAM, EVENTS_STREAM]),
      );
    });

    it('cannot publish to the lab, nor take run requests or items', async () => {
      await open();
      for (const subject of [
        itemSubject(randomUUID()),
        itemSubject(randomUUID(), 'core'),
        `lab.events.${randomUUID()}.read.1`,
        WRITER_REQUEST_SUBJECT,
        READER_CONTROL_SUBJECT,
      ]) {
        expect(await publishDenied(ops, subject), `publish ${subject}`).toBe(true);
      }
      const item = itemSubject(randomUUID());
      await expectApiDenied(jetstream(ops).publish(item, 'forged'), item);
      expect(await subscriptionDenied(ops, 'lab.queue.items.>')).toBe(true);
      expect(await subscriptionDenied(ops, WRITER_REQUEST_SUBJECT, 'writers')).toBe(true);
    });

    it('reads a run record by its key (`nats kv get lab-runs <key>`), and cannot write or delete one', async () => {
      const store = await openRunRecords(await connectAsService('coordinator'), { logger: silentLogger });
      const key = `queue.${randomUUID()}`;
      await store.put(key, { state: 'finished' });
      await open();
      const kv = await new Kvm(ops).open(RUN_RECORDS_BUCKET, { allow_direct: true });
      expect((await kv.get(key))?.json()).toEqual({ state: 'finished' });
      expect((await kv.status()).history).toBe(1);
      await expectApiDenied(kv.put(key, '{}'), `$KV.${RUN_RECORDS_BUCKET}.${key}`);
      await expectApiDenied(kv.delete(key), `$KV.${RUN_RECORDS_BUCKET}.${key}`);
    });

    it('cannot create, change, delete or purge a stream or consumer, pull from one or read a stored message', async () => {
      await open();
      const streamInfo = await jsm.streams.info(QUEUE_STREAM);
      await expectApiDenied(jsm.streams.delete(QUEUE_STREAM), '$JS.API.STREAM.DELETE.LAB_QUEUE');
      await expectApiDenied(jsm.streams.purge(EVENTS_STREAM), '$JS.API.STREAM.PURGE.LAB_EVENTS');
      await expectApiDenied(jsm.streams.update(QUEUE_STREAM, { ...streamInfo.config, max_msgs: 1 }), '$JS.API.STREAM.UPDATE.LAB_QUEUE');
      await expectApiDenied(jsm.streams.add({ name: 'OPS_STREAM', subjects: ['ops.>'] }), '$JS.API.STREAM.CREATE.OPS_STREAM');
      await expectApiDenied(jsm.streams.deleteMessage(QUEUE_STREAM, 1), '$JS.API.STREAM.MSG.DELETE.LAB_QUEUE');
      await expectApiDenied(jsm.streams.getMessage(EVENTS_STREAM, { seq: 1 }), '$JS.API.STREAM.MSG.GET.LAB_EVENTS');
      await expectApiDenied(
        jsm.consumers.add(EVENTS_STREAM, { name: 'peek', ack_policy: AckPolicy.None, filter_subject: 'lab.events.>' }),
        '$JS.API.CONSUMER.CREATE.LAB_EVENTS.peek.lab.events.>',
      );
      await expectApiDenied(jsm.consumers.delete(QUEUE_STREAM, READER_CONSUMER), `$JS.API.CONSUMER.DELETE.LAB_QUEUE.${READER_CONSUMER}`);
      expect(await publishDenied(ops, `$JS.API.CONSUMER.MSG.NEXT.${QUEUE_STREAM}.${READER_CONSUMER}`)).toBe(true);
      // Still all there.
      expect((await jsm.consumers.info(QUEUE_STREAM, READER_CONSUMER)).name).toBe(READER_CONSUMER);
    });
  });
});
