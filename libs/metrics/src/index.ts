export { queueRunMetrics, readerMetrics, writerMetrics } from './lib/queue-metrics.js';
export { createMetricsRegistry, metricsHandler } from './lib/registry.js';
export { simulationMetrics } from './lib/simulation-metrics.js';
export type { Registry } from 'prom-client';
