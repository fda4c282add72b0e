import { describe, expect, it } from 'vitest';
import { checkNodeLossLogs, judgeReplicas, serviceOfNode, servicesConnected, type ReplicaView } from './cluster.js';

const peer = (name: string, state: 'current' | 'behind' | 'offline' = 'current') => ({
  name,
  current: state === 'current',
  offline: state === 'offline',
  lag: state === 'behind' ? 12 : 0,
});
const view = (leader: string | undefined, peers: ReplicaView['peers'], configured = 3): ReplicaView => ({
  what: 'stream LAB_QUEUE',
  configured,
  leader,
  peers,
});

describe('serviceOfNode', () => {
  it("maps n1 to the base file's nats service and n2, n3 to their own", () => {
    expect(['n1', 'n2', 'n3'].map(serviceOfNode)).toEqual(['nats', 'n2', 'n3']);
    expect(() => serviceOfNode('n4')).toThrow(/n4/);
  });
});

describe('judgeReplicas', () => {
  it('passes three copies with a leader and two current peers', () => {
    const verdict = judgeReplicas(view('n2', [peer('n1'), peer('n3')]), 3);
    expect(verdict.problems).toEqual([]);
    expect(verdict.summary).toBe('stream LAB_QUEUE R3: leader n2, n1 current, n3 current');
  });

  it('takes a consumer whose replicas follow its stream (0) by its copies', () => {
    expect(judgeReplicas(view('n1', [peer('n2'), peer('n3')], 0), 3).problems).toEqual([]);
    expect(judgeReplicas(view('n1', [peer('n2')], 0), 3).problems).toEqual(['stream LAB_QUEUE has 2 copies, expected 3']);
  });

  it('names a copy that is behind or offline, a missing leader and a wrong replica count', () => {
    expect(judgeReplicas(view('n2', [peer('n1', 'behind'), peer('n3', 'offline')]), 3).problems).toEqual([
      "stream LAB_QUEUE's copy on n1 is not current",
      "stream LAB_QUEUE's copy on n3 is not current",
    ]);
    expect(judgeReplicas(view(undefined, [peer('n1'), peer('n2'), peer('n3')]), 3).problems).toEqual(['stream LAB_QUEUE has no leader']);
    expect(judgeReplicas(view('n1', [], 1), 3).problems).toEqual([
      'stream LAB_QUEUE has 1 replicas, expected 3',
      'stream LAB_QUEUE has 1 copies, expected 3',
    ]);
  });

  it('lets the node known to be down be offline, but not lead', () => {
    expect(judgeReplicas(view('n1', [peer('n2', 'offline'), peer('n3')]), 3, 'n2').problems).toEqual([]);
    expect(judgeReplicas(view('n2', [peer('n1'), peer('n3')]), 3, 'n2').problems).toEqual([
      'stream LAB_QUEUE is still led by n2, which is down',
    ]);
  });
});

describe('servicesConnected', () => {
  it('finds the services by their connection names in /connz', () => {
    const connz = JSON.stringify({
      connections: [{ name: 'writer-1' }, { name: 'coordinator-7' }, { name: 'cluster-smoke-ops' }, {}],
    });
    expect(servicesConnected(connz, ['coordinator', 'writer', 'reader'])).toEqual(['coordinator', 'writer']);
    expect(servicesConnected(JSON.stringify({ connections: [] }), ['reader'])).toEqual([]);
  });
});

describe('checkNodeLossLogs', () => {
  const takeover = "[1] 2026/12/02 10:00:01.000000 [INF] JetStream cluster new stream leader for 'LAB > LAB_QUEUE'";
  const start = '[1] 2026/12/02 10:00:00.000000 [INF] Starting nats-server';
  const told = {
    stream: 'LAB_QUEUE',
    newLeader: { server: 'n3', logs: takeover },
    restarted: { server: 'n2', logs: `${start}\n...\n${start}\n` },
    reconnected: [{ service: 'writer', logs: '{"msg":"disconnected from NATS"}\n{"msg":"reconnected to NATS"}' }],
  };

  it('passes logs that tell the takeover, the restart and the reconnection', () => {
    const verdict = checkNodeLossLogs(told);
    expect(verdict.problems).toEqual([]);
    expect(verdict.summary).toBe('n3 took over LAB_QUEUE; n2 started 2 times; writer disconnected and reconnected');
  });

  it('names each part the logs leave out', () => {
    const verdict = checkNodeLossLogs({
      ...told,
      newLeader: { server: 'n3', logs: takeover.replace('LAB_QUEUE', 'LAB_EVENTS') },
      restarted: { server: 'n2', logs: start },
      reconnected: [{ service: 'reader', logs: '{"msg":"disconnected from NATS"}' }],
    });
    expect(verdict.problems).toEqual([
      'n3 does not log taking over LAB_QUEUE',
      'n2 logs 1 start(s), expected 2 (killed, then started again)',
      'reader does not log reconnecting to NATS',
    ]);
  });
});
