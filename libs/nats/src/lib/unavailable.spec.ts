import { startNatsServer, type NatsServerHandle } from '@concurrency-lab/testing';
import { JetStreamApiError } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { natsUnavailableReason } from './unavailable.js';

describe('natsUnavailableReason', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
  });
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  it('names a request nobody answers, and one answered too late', async () => {
    const noResponders = await nc.request('lab.nobody.here', '', { timeout: 1_000 }).catch((error: unknown) => error);
    expect(natsUnavailableReason(noResponders)).toBe('nothing answered on lab.nobody.here');
    const slow = nc.subscribe('lab.slow', { callback: () => undefined });
    const late = await nc.request('lab.slow', '', { timeout: 50 }).catch((error: unknown) => error);
    slow.unsubscribe();
    expect(natsUnavailableReason(late)).toBe('NATS did not answer in time');
  });

  it('names a closed connection', async () => {
    const closing = await connect({ servers: server.url });
    await closing.close();
    const closed = await closing.request('lab.any', '').catch((error: unknown) => error);
    expect(natsUnavailableReason(closed)).toBe('the NATS connection is closing');
  });

  it('takes JetStream 503 (no quorum) as unavailable, and other API errors not', () => {
    const noQuorum = new JetStreamApiError({ code: 503, err_code: 10008, description: 'JetStream system temporarily unavailable' });
    expect(natsUnavailableReason(noQuorum)).toMatch(/^JetStream is unavailable/);
    const notFound = new JetStreamApiError({ code: 404, err_code: 10059, description: 'stream not found' });
    expect(natsUnavailableReason(notFound)).toBeUndefined();
    expect(natsUnavailableReason(new Error('a bug'))).toBeUndefined();
    expect(natsUnavailableReason('not an error')).toBeUndefined();
  });
});
