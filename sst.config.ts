/// <reference path="./.sst/platform/config.d.ts" />

/**
 * The SST app. Each file in stacks/aws declares one concern (storage, e-mail, functions, workflow,
 * API, web) from the topology in stacks/manifest.ts. A stack file may export `outputs`, which are
 * merged into the values `sst deploy` prints.
 */
export default $config({
  app(input) {
    const production = input?.stage === "production";

    return {
      name: "orderflow",
      home: "aws",
      // The version SST 4.17.1's own platform code is built against. Without a pin, `sst install`
      // takes the newest @pulumi/aws, so a fresh clone could type-check against other types.
      providers: { aws: "7.20.0" },
      // On production `sst remove` is refused, and a resource dropped from the stacks leaves its
      // DynamoDB table or S3 bucket in the account instead of deleting it.
      removal: production ? "retain" : "remove",
      protect: production,
    };
  },
  async run() {
    const { readdirSync } = await import("node:fs");
    const { join } = await import("node:path");
    const outputs: Record<string, unknown> = {};

    // Each stack file imports the stacks it builds on, so the load order does not matter.
    for (const file of readdirSync(join($cli.paths.root, "stacks/aws")).sort()) {
      if (!file.endsWith(".ts")) continue;
      const stack: { outputs?: Record<string, unknown> } = await import(`./stacks/aws/${file}`);

      for (const [name, value] of Object.entries(stack.outputs ?? {})) {
        if (name in outputs)
          throw new Error(
            `Output "${name}" of stacks/aws/${file} is already set by another stack.`,
          );
        outputs[name] = value;
      }
    }

    return outputs;
  },
});
