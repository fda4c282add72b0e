export {
  deployEnvFiles,
  deployEnvironment,
  NATS_CLI_USERS,
  NATS_CLUSTER_CONFIG_FILE,
  NATS_CONFIG_FILE,
  type NatsCliUser,
} from './lib/deploy-files.js';
export { readEnvFiles } from './lib/env-files.js';
export { knownVariables, loadConfig, loadConfigOrExit, requiredVariables } from './lib/load-config.js';
export {
  coordinatorConfigSchema,
  downloaderConfigSchema,
  readerConfigSchema,
  serviceConfigSchemas,
  writerConfigSchema,
  type CoordinatorConfig,
  type DownloaderConfig,
  type ServiceName,
} from './lib/services.js';
