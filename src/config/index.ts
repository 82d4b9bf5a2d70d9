export type { Config, ConfigInput, DatabaseTarget } from "./config-schema.js";
export { type Environment, loadConfig, parseConfig } from "./load-config.js";
