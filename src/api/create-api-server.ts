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
import type { ApiDependencies, RouteModule, ZodApp } from "./api-types.js";
import { getConnectionOptions } from "./connection-options.js";
import { mapError } from "./error-body.js";
import { answerClientError, answerFrameworkError, shapeServerAnswers } from "./framework-errors.js";
import { refuseNulCharacters } from "./refuse-nul-characters.js";
import { createRequestLogController, registerRequestLog } from "./request-log.js";
import { describeAccess, getDeclaredAccess } from "./route-access.js";
import { registerHealthRoutes } from "./routes/health-routes.js";
import { registerSecurityHeaders } from "./security-headers.js";

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
    // Answers Fastify, find-my-way and Node's parser give by themselves, in the contract's shape.
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
    return503OnClosing: false,
    ...getConnectionOptions(deps.config),
  }).withTypeProvider() as unknown as ZodApp;
  shapeServerAnswers(app);
  app.addHook("preValidation", refuseNulCharacters);

  // The API speaks JSON only; a text body is refused with 415 rather than half-parsed.
  app.removeContentTypeParser("text/plain");
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  registerRequestLog(app);
  app.decorateRequest("principal", null);
  app.decorateRequest("viaCookie", false);
  // Every /v1 route says who may call it (route-access.ts), once; one that does not is refused
  // here, so the server does not start. The declaration also writes the route's OpenAPI access.
  app.addHook("onRoute", (route) => {
    if (!route.url.startsWith("/v1/")) return;
    const access = getDeclaredAccess(route);
    if (!access) {
      throw new Error(
        `${String(route.method)} ${route.url} declares no access: give it onRequest: requireAccess(…)`,
      );
    }
    const schema = route.schema ?? {};
    const line = describeAccess(access);
    if (schema.description?.includes(line)) return;
    route.schema = {
      ...schema,
      description: schema.description ? `${schema.description}\n\n${line}` : line,
      ...(access === "public"
        ? {}
        : { security: access === "login" ? [{ bearer: [] }] : [{ bearer: [] }, { apiKey: [] }] }),
    };
  });
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  registerSecurityHeaders(app);

  app.setErrorHandler((error, request, reply) => {
    const mapped = mapError(error);
    if (mapped.retryAfterSeconds !== undefined)
      reply.header("retry-after", String(mapped.retryAfterSeconds));
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
          apiKey: { type: "apiKey", in: "header", name: "X-API-Key" },
          tradingSession: { type: "apiKey", in: "header", name: "X-Trading-Session" },
          webSession: { type: "apiKey", in: "cookie", name: "osprey_session" },
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
