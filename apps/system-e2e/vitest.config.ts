import { projectTestConfig } from '../../vitest.shared.js';

// Real services and real waits: longer bounds than unit tests.
export default projectTestConfig(import.meta.dirname, { testTimeout: 60_000, hookTimeout: 60_000 });
