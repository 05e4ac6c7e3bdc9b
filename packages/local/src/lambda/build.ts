import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { type BuildOptions, build, type Message } from "esbuild";

/** A handler string split into its source file and export, e.g. `src/api/x.handler`. */
export interface HandlerLocation {
  /** Absolute path of the source file. */
  file: string;
  exportName: string;
}

/** A handler bundled into one ES module. */
export interface BuiltHandler extends HandlerLocation {
  /** Absolute path of the bundled `.mjs` file. */
  bundle: string;
}

const sourceExtensions = [".ts", ".mts", ".tsx", ".js", ".mjs"];

// SST bundles Node functions as ES modules. Dependencies that are CommonJS still call `require`,
// which an ES module lacks, so the bundle defines it first.
const requireBanner = [
  'import { createRequire as __orderflowCreateRequire } from "node:module";',
  "const require = __orderflowCreateRequire(import.meta.url);",
].join("\n");

/**
 * Resolves a handler string as SST's `handler` option takes it (`path/file.export`, relative to
 * `rootDir`) to its source file and export name.
 */
export function resolveHandler(rootDir: string, handler: string): HandlerLocation {
  const dot = handler.lastIndexOf(".");
  if (dot <= 0 || dot === handler.length - 1) {
    throw new Error(`Invalid handler "${handler}": expected "path/file.export"`);
  }

  const base = path.resolve(rootDir, handler.slice(0, dot));
  const exportName = handler.slice(dot + 1);
  const file = sourceExtensions.map((ext) => base + ext).find((candidate) => existsSync(candidate));
  if (file === undefined) {
    throw new Error(
      `Handler file for "${handler}" not found: tried ${sourceExtensions.map((ext) => base + ext).join(", ")}`,
    );
  }
  return { file, exportName };
}

function formatMessages(messages: Message[]): string {
  return messages
    .map((message) => {
      const where = message.location
        ? `${message.location.file}:${message.location.line}:${message.location.column}: `
        : "";
      return `  ${where}${message.text}`;
    })
    .join("\n");
}

// The options SST uses for Node functions: ESM, platform node, target node24, every dependency
// inlined, a source map beside each bundle.
const sharedOptions: BuildOptions = {
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node24",
  sourcemap: true,
  mainFields: ["module", "main"],
  banner: { js: requireBanner },
  logLevel: "silent",
};

/**
 * Bundles one handler as SST bundles Node functions. Throws an error that names the function and
 * the file when the build fails.
 */
export async function bundleHandler(options: {
  functionName: string;
  location: HandlerLocation;
  outDir: string;
}): Promise<BuiltHandler> {
  const { functionName, location, outDir } = options;
  await mkdir(outDir, { recursive: true });
  const bundle = path.join(outDir, `${path.parse(location.file).name}.mjs`);

  try {
    const result = await build({ ...sharedOptions, entryPoints: [location.file], outfile: bundle });
    if (result.errors.length > 0) {
      throw new Error(formatMessages(result.errors));
    }
  } catch (error) {
    const detail =
      error instanceof Error && "errors" in error && Array.isArray(error.errors)
        ? formatMessages(error.errors as Message[])
        : String(error instanceof Error ? error.message : error);
    throw new Error(`Build of function ${functionName} (${location.file}) failed:\n${detail}`, {
      cause: error,
    });
  }

  return { ...location, bundle };
}

/**
 * Bundles many handlers in one esbuild run, which parses the modules they share (the AWS SDK,
 * core) once instead of once per function. Each bundle is the same as `bundleHandler` makes, in
 * `buildDir/<function name>/`. When the shared run fails, each handler is built on its own so
 * that the error names the function that fails.
 */
export async function bundleHandlers(
  handlers: { functionName: string; location: HandlerLocation }[],
  buildDir: string,
): Promise<BuiltHandler[]> {
  const outputs = handlers.map(({ functionName, location }) => ({
    in: location.file,
    out: path.join(functionName, path.parse(location.file).name),
  }));

  try {
    await build({
      ...sharedOptions,
      entryPoints: outputs,
      outdir: buildDir,
      outExtension: { ".js": ".mjs" },
    });
  } catch {
    await Promise.all(
      handlers.map(({ functionName, location }) =>
        bundleHandler({ functionName, location, outDir: path.join(buildDir, functionName) }),
      ),
    );
  }

  return handlers.map(({ location }, index) => ({
    ...location,
    bundle: path.join(buildDir, `${(outputs[index] as { out: string }).out}.mjs`),
  }));
}
