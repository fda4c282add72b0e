export { deployEnvFiles, deployEnvironment, NATS_CLI_USERS, NATS_CONFIG_FILE, type NatsCliUser } from './lib/deploy-files.js';
export { EnvFileError, readEnvFiles } from './lib/env-files.js';
export { ConfigError, knownVariables, loadConfig, loadConfigOrExit, requiredVariables } from './lib/load-config.js';
export {
  coordinatorConfigSchema,
  readerConfigSchema,
  serviceConfigSchemas,
  writerConfigSchema,
  type CoordinatorConfig,
  type ReaderConfig,
  type ServiceName,
  type WriterConfig,
} from './lib/services.js';
