import { cors, routeMethods } from "../cors.ts";
import { type FunctionName, routes } from "../manifest.ts";
import { stageSettings } from "../stage-settings.ts";
import { createFunction } from "./functions.ts";
import { tableLink } from "./storage.ts";
import { workflowLink } from "./workflow.ts";

const settings = stageSettings($app.stage);

/**
 * The site's URL, the one origin CORS allows. The site's build needs this API's URL, so web.ts
 * creates the site after the API and passes its URL back through `allowSiteOrigin`.
 */
let resolveSiteUrl: (url: $util.Output<string>) => void = () => {};
// NOTE: until `allowSiteOrigin` runs, the API's CORS setting stays pending, so a program that
// does not load web.ts never finishes.
const siteUrl = $output(
  new Promise<$util.Output<string>>((resolve) => {
    resolveSiteUrl = resolve;
  }),
);

/** Sets the site URL whose origin CORS allows. */
export function allowSiteOrigin(url: $util.Output<string>): void {
  resolveSiteUrl(url);
}

export const api = new sst.aws.ApiGatewayV2("Api", {
  cors: {
    allowOrigins: [siteUrl],
    allowMethods: routeMethods(),
    allowHeaders: [...cors.allowHeaders],
    exposeHeaders: [...cors.exposeHeaders],
    maxAge: `${cors.maxAgeSeconds} seconds`,
  },
  accessLog: { retention: settings.logRetention },
  transform: {
    stage: (args) => {
      // Requests beyond these rates get 429 from API Gateway before any Lambda runs.
      args.defaultRouteSettings = {
        throttlingBurstLimit: settings.throttle.burstLimit,
        throttlingRateLimit: settings.throttle.rateLimit,
      };
      // One JSON line per request, without the caller's IP address or user agent.
      args.accessLogSettings = $output(args.accessLogSettings).apply((settings) => {
        if (settings === undefined) {
          throw new Error("SST's ApiGatewayV2 stage has no access log settings to extend.");
        }
        return {
          ...settings,
          format: JSON.stringify({
            requestId: "$context.requestId",
            requestTime: "$context.requestTime",
            routeKey: "$context.routeKey",
            status: "$context.status",
            responseLatency: "$context.responseLatency",
            integrationLatency: "$context.integration.latency",
            integrationError: "$context.integration.error",
            integrationStatus: "$context.integration.integrationStatus",
          }),
        };
      });
    },
  },
});

const routeFunctions = new Map<FunctionName, sst.aws.Function>();
for (const [route, name] of Object.entries(routes)) {
  let fn = routeFunctions.get(name);
  if (!fn) {
    fn = createFunction(name, { Table: tableLink, OrderWorkflow: workflowLink });
    routeFunctions.set(name, fn);
  }
  api.route(route, fn.arn);
}

export const outputs = { api: api.url };
