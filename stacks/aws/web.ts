import { allowSiteOrigin, api } from "./api.ts";

/** The checkout page, built by Vite with the API's URL fixed into the bundle. */
export const site = new sst.aws.StaticSite("Web", {
  path: "packages/web",
  build: { command: "pnpm exec vite build", output: "dist" },
  environment: { VITE_API_URL: api.url },
  // SST writes its own ImportMetaEnv for Vite, by default into src/. src/env.d.ts already
  // declares VITE_API_URL, and two declarations of it would not type-check.
  vite: { types: ".sst/vite-env.d.ts" },
  dev: { url: "http://localhost:5173", command: "pnpm exec vite" },
});

allowSiteOrigin(site.url);

export const outputs = { site: site.url };
