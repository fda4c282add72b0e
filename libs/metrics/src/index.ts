export { createMetricsRegistry, metricsHandler } from './lib/registry.js';
export type { Registry } from 'prom-client';
