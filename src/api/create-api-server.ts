import { randomUUID } from "node:crypto";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify from "fastify";
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from "fastify-type-provider-zod";
import type { Logger } from "../core/logger.js";
import { isOspreyError } from "../core/osprey-error.js";
import type { ApiDependencies, RouteModule, ZodApp } from "./api-types.js";
import { mapError } from "./error-body.js";
import { createRequestLogController, registerRequestLog } from "./request-log.js";
import { registerHealthRoutes } from "./routes/health-routes.js";

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export interface ApiServerOptions {
  readonly logger: Logger;
  readonly routes?: readonly RouteModule[];
}

/** Builds the Fastify app: request ids, logging, OpenAPI at /docs, the error table, the routes. */
export async function createApiServer(
  deps: ApiDependencies,
  options: ApiServerOptions,
): Promise<ZodApp> {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: deps.config.BODY_LIMIT_BYTES,
    // Honour a caller's request id when it is harmless, so traces join up across services.
    genReqId: (req) => {
      const incoming = req.headers["x-request-id"];
      return typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    requestIdHeader: false,
    logController: createRequestLogController(),
    return503OnClosing: true,
  }).withTypeProvider() as unknown as ZodApp;

  // The API speaks JSON only; a text body is refused with 415 rather than half-parsed.
  app.removeContentTypeParser("text/plain");
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  registerRequestLog(app);
  app.decorateRequest("principal", null);
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });

  app.setErrorHandler((error, request, reply) => {
    const mapped = mapError(error);
    const retryAfterMs = isOspreyError(error, "RATE_LIMITED")
      ? Number(error.context.retryAfterMs)
      : Number.NaN;
    if (Number.isFinite(retryAfterMs))
      reply.header("retry-after", String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
    if (mapped.serverFault) request.log.error({ err: error }, "request failed");
    else request.log.debug({ code: mapped.body.error.code }, "request refused");
    return reply.status(mapped.status).send(mapped.body);
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: {
        code: "ROUTE_NOT_FOUND",
        message: `No route ${request.method} ${request.url.split("?")[0]}.`,
      },
    }),
  );

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Osprey",
        description:
          "Self-hostable Solana trading service. Amounts are strings of integers in base units.",
        version: "0.1.0",
      },
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer" },
          tradingSession: { type: "apiKey", in: "header", name: "X-Trading-Session" },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });

  for (const register of [registerHealthRoutes, ...(options.routes ?? [])]) register(app, deps);
  await app.ready();
  return app;
}
