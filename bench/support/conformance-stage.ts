/**
 * Stages a client's own test suite for vitest: copies its tests and fixtures out of an extracted
 * checkout into a work directory, points its imports of the library at the installed packages
 * (node_modules), and writes the vitest config with the jest/mocha adapters.
 */
import { cp, mkdir, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export interface StagedSuite {
  readonly name: "kit" | "web3js";
  readonly root: string;
  readonly configPath: string;
  /** solana-test-validator account fixture directories the suite expects at start. */
  readonly fixtureDirs: readonly string[];
  /** solana-test-validator's ledger directory, where some tests read its keypairs and log. */
  readonly ledgerDir?: string;
  readonly testFiles: readonly string[];
}

const SHIMS = join(dirname(fileURLToPath(import.meta.url)), "conformance-shims");

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function listFiles(dir: string, pattern: RegExp): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && pattern.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

async function linkNodeModules(at: string, target: string) {
  await symlink(target, join(at, "node_modules"), "dir");
}

function writeConfig(root: string, config: Record<string, unknown>): Promise<void> {
  return writeFile(
    join(root, "vitest.config.mjs"),
    `export default ${JSON.stringify(config, null, 2)};\n`,
  );
}

/** A test's `..` / `../x` imports of its own package become re-exports of the installed one. */
async function writePackageStubs(srcDir: string, testFiles: readonly string[], pkg: string) {
  for (const file of testFiles) {
    const text = await readFile(file, "utf8");
    for (const [, spec] of text.matchAll(/from '(\.\.(?:\/[\w-]+)?)'/g)) {
      const name = spec === ".." ? "index" : (spec?.slice(3) ?? "index");
      const stub = join(srcDir, `${name}.ts`);
      if (!(await exists(stub))) await writeFile(stub, `export * from "@solana/${pkg}";\n`);
    }
  }
}

/** @solana/kit (anza-xyz/kit): the method-by-method RPC tests of the given packages, on jest. */
export async function stageKitSuite(
  checkout: string,
  workDir: string,
  repoDir: string,
  packages: readonly string[],
): Promise<StagedSuite> {
  const root = join(workDir, "kit");
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  await cp(join(checkout, "scripts", "fixtures"), join(root, "scripts", "fixtures"), {
    recursive: true,
  });
  const testFiles: string[] = [];
  for (const pkg of packages) {
    const tests = join("packages", pkg, "src", "__tests__");
    await cp(join(checkout, tests), join(root, tests), { recursive: true });
    const files = (await listFiles(join(root, tests), /\.ts$/)).filter(
      (f) => !f.endsWith("__setup__.ts"),
    );
    await writePackageStubs(join(root, "packages", pkg, "src"), files, pkg);
    testFiles.push(...files.map((file) => relative(root, file)));
  }
  await linkNodeModules(root, join(repoDir, "node_modules"));
  await writeConfig(root, {
    root,
    test: {
      include: testFiles,
      globals: true,
      setupFiles: [join(SHIMS, "jest-globals.ts")],
      restoreMocks: true,
      testTimeout: 60_000,
      hookTimeout: 60_000,
      fileParallelism: false,
    },
  });
  return {
    name: "kit",
    root,
    configPath: join(root, "vitest.config.mjs"),
    fixtureDirs: [join(root, "scripts", "fixtures")],
    ledgerDir: join(root, "test-ledger"),
    testFiles,
  };
}

/** web3.js files that import the cluster url but never reach it: left out, for this reason. */
export const WEB3JS_NOT_LIVE: Readonly<Record<string, string>> = {
  "test/connection-subscriptions.test.ts":
    "stubs the websocket client with sinon; no request reaches the cluster",
};

/**
 * Tests that cannot pass or fail on the sandbox's account: counted apart, not in the rate.
 * A test that calls sinon (not installed) fails with the shim's message.
 */
export const NOT_APPLICABLE: readonly { readonly match: RegExp; readonly reason: string }[] = [
  { match: /sinon is not available/, reason: "needs sinon's spies (not installed)" },
  { match: /^Connection https request$/, reason: "calls api.mainnet-beta.solana.com" },
  // web3.js v1's CI pins a v1.18 test validator; Agave 2.0 removed these methods (the sandbox
  // follows Agave 2.x, whose test validator answers "Method not found" too).
  {
    match: /failed to get (confirmed signatures for address|fee calculator|Stake Activation)/,
    reason: "RPC method removed in Agave 2.0",
  },
];

/** Files of the web3.js suite that talk to the cluster (they import its url module). */
async function isLiveTest(root: string, file: string): Promise<boolean> {
  if (WEB3JS_NOT_LIVE[relative(root, file)]) return false;
  return /from '(\.\.?\/)+url'/.test(await readFile(file, "utf8"));
}

/**
 * @solana/web3.js v1 (solana-labs/solana-web3.js, maintenance/v1.x): its mocha tests in live mode
 * (TEST_LIVE), against the installed package's own sources (the npm package ships src/).
 */
export async function stageWeb3jsSuite(
  checkout: string,
  workDir: string,
  repoDir: string,
  allFiles: boolean,
): Promise<StagedSuite> {
  const root = join(workDir, "web3js");
  const installed = join(repoDir, "node_modules", "@solana", "web3.js");
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  await cp(join(checkout, "test"), join(root, "test"), { recursive: true });
  await cp(join(checkout, "scripts", "fixtures"), join(root, "scripts", "fixtures"), {
    recursive: true,
  });
  await cp(join(installed, "src"), join(root, "src"), { recursive: true });
  // The package's own nested dependencies first, then the repository's.
  if (await exists(join(installed, "node_modules"))) {
    await linkNodeModules(root, join(installed, "node_modules"));
  }
  await rm(join(workDir, "node_modules"), { force: true });
  await linkNodeModules(workDir, join(repoDir, "node_modules"));
  const candidates = await listFiles(join(root, "test"), /\.test\.ts$/);
  const testFiles: string[] = [];
  for (const file of candidates) {
    if (allFiles || (await isLiveTest(root, file))) testFiles.push(relative(root, file));
  }
  const shim = (name: string) => ({ find: name, replacement: join(SHIMS, `${name}.ts`) });
  await writeConfig(root, {
    root,
    resolve: {
      alias: ["chai-as-promised", "sinon-chai", "sinon", "mockttp", "node-abort-controller"].map(
        shim,
      ),
    },
    test: {
      include: testFiles,
      setupFiles: [join(SHIMS, "mocha-globals.ts")],
      env: { TEST_LIVE: "1" },
      testTimeout: 60_000,
      hookTimeout: 60_000,
      fileParallelism: false,
    },
  });
  return {
    name: "web3js",
    root,
    configPath: join(root, "vitest.config.mjs"),
    fixtureDirs: [join(root, "scripts", "fixtures")],
    testFiles,
  };
}
