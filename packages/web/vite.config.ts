import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/**
 * The checkout page. `VITE_API_URL` (from the environment or a `.env` file) is the API's base URL
 * and is fixed into the bundle at build time, which is how the static site learns where the API is.
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  envPrefix: "VITE_",
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
  },
  server: {
    host: "localhost",
    port: 5173,
    strictPort: true,
  },
});
