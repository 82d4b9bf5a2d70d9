export type { ApiDependencies, RouteModule, ZodApp } from "./api-types.js";
export { type ApiServerOptions, createApiServer } from "./create-api-server.js";
export { type ErrorBody, mapError } from "./error-body.js";
