export { loadConfig, ConfigError } from './load-config';
export type { BosunConfig, EncryptionKeyConfig } from './load-config';
