// The Dockerfile, checked and then performed without Docker: build steps in a clean copy of the context, the runtime stage assembled and started.
import { spawn, type ChildProcess } from "node:child_process";
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LogReader } from "../bot-process.js";
import { projectRoot } from "../helpers.js";
import {
  execForm,
  parseDockerfile,
  parseDockerignore,
  parseEnv,
  parseHealthcheck,
  parseImage,
  splitFlags,
  wildcardRegExp,
  type Instruction,
  type Stage,
} from "./dockerfile.js";

/** The official node image's unprivileged `node` user; the bot runs as this uid when the test can switch to it. */
const NODE_UID = 1000;
const NODE_GID = 1000;
/** The stage directory stands for this container path, the WORKDIR of both stages. */
const APP = "/app";
const NPM_TIMEOUT_MS = 5 * 60_000;

const dockerfile = parseDockerfile(readFileSync(path.join(projectRoot, "Dockerfile"), "utf8"));
const dockerignore = parseDockerignore(readFileSync(path.join(projectRoot, ".dockerignore"), "utf8"));
const packageJson = JSON.parse(readFileSync(path.join(projectRoot, "package.json"), "utf8")) as {
  main: string;
  engines: { node: string };
  dependencies: Record<string, string>;
};

function stage(index: number): Stage {
  const found = dockerfile[index];
  if (found === undefined) throw new Error(`the Dockerfile has no stage ${index + 1}`);
  return found;
}
const buildStage = stage(0);
const runtimeStage = stage(dockerfile.length - 1);

const all = (s: Stage, keyword: string): Instruction[] => s.instructions.filter((i) => i.keyword === keyword);
const indexOf = (s: Stage, keyword: string, test: (args: string) => boolean): number =>
  s.instructions.findIndex((i) => i.keyword === keyword && test(i.args));
const stageEnv = (s: Stage): Record<string, string> =>
  Object.assign({}, ...all(s, "ENV").map((i) => parseEnv(i.args))) as Record<string, string>;

function only(s: Stage, keyword: string): Instruction {
  const found = all(s, keyword);
  if (found.length !== 1)
    throw new Error(`expected one ${keyword} in the stage FROM ${s.image}, found ${found.length}`);
  return found[0] as Instruction;
}

function cmdOf(s: Stage): string[] {
  const command = execForm(only(s, "CMD").args);
  if (command === undefined) throw new Error("CMD is not a JSON array (exec form)");
  return command;
}

function healthcheckOf(s: Stage): { options: Record<string, string>; command: string[] } {
  const parsed = parseHealthcheck(only(s, "HEALTHCHECK").args);
  if (parsed === "NONE" || parsed.command === undefined) throw new Error("HEALTHCHECK is not CMD in exec form");
  return { options: parsed.options, command: parsed.command };
}

/** Every file of the working tree that is a COPY source, as Docker would look for it in the build context. */
function contextMatches(source: string): string[] {
  const dir = path.posix.dirname(source);
  const base = path.posix.basename(source);
  if (!/[*?]/.test(base)) return existsSync(path.join(projectRoot, source)) ? [source] : [];
  const pattern = wildcardRegExp(base);
  return readdirSync(path.join(projectRoot, dir))
    .filter((name) => pattern.test(name))
    .map((name) => path.posix.join(dir, name));
}

describe("the Dockerfile", () => {
  it("has a named build stage and a runtime stage on the same Node image, pinned to an exact version the project supports", () => {
    expect(dockerfile).toHaveLength(2);
    expect(buildStage.name).toBe("build");
    expect(runtimeStage.image).toBe(buildStage.image);
    const image = parseImage(runtimeStage.image);
    expect(image.repository).toBe("node");
    // An exact x.y.z tag plus a variant; "latest", "20" or "lts" would move under the image without a commit.
    const version = /^(\d+)\.(\d+)\.(\d+)-[a-z][a-z0-9-]*$/.exec(image.tag ?? "");
    expect(version, `tag ${image.tag ?? "(none)"}`).not.toBeNull();
    if (image.digest !== undefined) expect(image.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const [major, minor] = [Number(version?.[1]), Number(version?.[2])];
    const engines = /^>=(\d+)\.(\d+)$/.exec(packageJson.engines.node);
    expect(engines, "package.json engines.node should read >=x.y").not.toBeNull();
    expect(major > Number(engines?.[1]) || (major === Number(engines?.[1]) && minor >= Number(engines?.[2]))).toBe(
      true,
    );
    // The steps below run on the Node that runs this test; it says something about the image only on the same line.
    expect(process.versions.node.split(".")[0], "this test's Node major should match the image's").toBe(String(major));
  });

  it("installs the native build toolchain in the build stage only, without recommends, in one layer that cleans the apt lists", () => {
    const apt = all(buildStage, "RUN").filter((i) => /\bapt-get\b/.test(i.args));
    expect(apt).toHaveLength(1);
    const args = apt[0]?.args ?? "";
    expect(args).toMatch(/apt-get update\b/);
    expect(args).toMatch(/apt-get install -y --no-install-recommends\b/);
    for (const tool of ["python3", "make", "g\\+\\+"])
      expect(args).toMatch(new RegExp(`install[^&]*\\s${tool}(\\s|$)`));
    expect(args).toMatch(/rm -rf \/var\/lib\/apt\/lists\/\*/);
    expect(all(runtimeStage, "RUN").filter((i) => /\bapt-get\b/.test(i.args))).toEqual([]);
  });

  it("installs from the lock file before copying the source, builds, then prunes development dependencies", () => {
    const copyManifest = indexOf(buildStage, "COPY", (a) => a === "package.json package-lock.json ./");
    const ci = indexOf(buildStage, "RUN", (a) => /^npm ci\b/.test(a));
    const copySource = indexOf(buildStage, "COPY", (a) => /^src\s/.test(a));
    const build = indexOf(buildStage, "RUN", (a) => a === "npm run build");
    const prune = indexOf(buildStage, "RUN", (a) => /^npm prune --omit=dev\b/.test(a));
    expect([copyManifest, ci, copySource, build, prune].every((i) => i >= 0)).toBe(true);
    expect(copyManifest < ci && ci < copySource && copySource < build && build < prune).toBe(true);
  });

  it("runs in production mode as the unprivileged node user, with /app/data a volume that user owns", () => {
    expect(stageEnv(runtimeStage)["NODE_ENV"]).toBe("production");
    expect(all(runtimeStage, "WORKDIR").map((i) => i.args)).toEqual([APP]);
    expect(all(runtimeStage, "USER").at(-1)?.args).toBe("node");
    const volume = indexOf(runtimeStage, "VOLUME", (a) => (execForm(a) ?? a.split(/\s+/)).includes("/app/data"));
    const owned = indexOf(
      runtimeStage,
      "RUN",
      (a) => /\bmkdir -p \/app\/data\b/.test(a) && /\bchown node:node \/app\/data\b/.test(a),
    );
    // Docker discards changes made to a volume's directory after VOLUME, so the ownership must be set before it.
    expect(owned).toBeGreaterThanOrEqual(0);
    expect(volume).toBeGreaterThan(owned);
  });

  it("turns the ops endpoint on and exposes it and Slack's HTTP port", () => {
    expect(stageEnv(runtimeStage)["OPS_PORT"]).toBe("9090");
    expect(all(runtimeStage, "EXPOSE").flatMap((i) => i.args.split(/\s+/))).toEqual(
      expect.arrayContaining(["3000", "9090"]),
    );
  });

  it("starts node directly in exec form (no shell, no npm) so SIGTERM reaches the bot", () => {
    expect(all(runtimeStage, "ENTRYPOINT")).toEqual([]);
    expect(cmdOf(runtimeStage)).toEqual(["node", packageJson.main]);
  });

  it("checks liveness with node itself against /healthz on OPS_PORT, in exec form, with a timeout", () => {
    const { options, command } = healthcheckOf(runtimeStage);
    expect(command.slice(0, 2)).toEqual(["node", "-e"]);
    expect(command[2]).toMatch(/127\.0\.0\.1/);
    expect(command[2]).toMatch(/process\.env\.OPS_PORT/);
    expect(command[2]).toMatch(/\/healthz/);
    expect(Object.keys(options)).toEqual(expect.arrayContaining(["interval", "timeout", "start-period"]));
  });

  it("keeps every COPY source in the build context, and leaves secrets, host builds and local state out", () => {
    const sources = dockerfile.flatMap((s) =>
      all(s, "COPY")
        .map((i) => splitFlags(i.args))
        .filter(({ flags }) => flags["from"] === undefined)
        .flatMap(({ rest }) => rest.split(/\s+/).slice(0, -1)),
    );
    expect(sources.length).toBeGreaterThan(3);
    for (const source of sources) {
      const kept = contextMatches(source).filter((file) => !dockerignore.ignores(file));
      expect(kept, `COPY ${source}`).not.toEqual([]);
    }
    for (const left of [
      ".env",
      "node_modules",
      "node_modules/x/y.js",
      "src/node_modules",
      "dist/main.js",
      "data/bot.db",
      ".git/HEAD",
      "config/local.yaml",
      "npm-debug.log",
    ]) {
      expect(dockerignore.ignores(left), left).toBe(true);
    }
    for (const kept of ["src/main.ts", "content", "config/default.yaml", "package-lock.json", "tsconfig.build.json"]) {
      expect(dockerignore.ignores(kept), kept).toBe(false);
    }
  });
});

/** What performing one stage left behind. */
interface Performed {
  /** The host directory standing for the stage's /app. */
  dir: string;
  env: Record<string, string>;
  /** Every RUN part, with what the test did about it. */
  steps: string[];
}

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** Runs a command to its end (or kills it at the timeout) and collects its exit status and output. */
function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; uid?: number; gid?: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The image's node lives under /usr/local; here the host's node stands in for it, headers included. */
const IMAGE_NODE_PREFIX = "/usr/local";
const HOST_NODE_PREFIX = path.resolve(path.dirname(process.execPath), "..");

/** ENV values that name the image's node installation, pointed at the host's. */
function hostEnv(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([name, value]) => [
      name,
      name === "npm_config_nodedir" && value === IMAGE_NODE_PREFIX ? HOST_NODE_PREFIX : value,
    ]),
  );
}

/** Proxy settings pass through, as they would be given to `docker build` as build arguments. */
function proxyEnv(): Record<string, string> {
  const names = ["HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy"];
  return Object.fromEntries(names.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])));
}

describe("the Dockerfile, performed without Docker", () => {
  const asRoot = process.getuid?.() === 0;
  // Running as root, the test can do what the image does: the bot runs as uid 1000 over files root owns.
  const runAs = asRoot ? { uid: NODE_UID, gid: NODE_GID } : {};
  let tmp = "";
  let contextDir = "";
  const contextFiles: string[] = [];
  const performed = new Map<string, Performed>();
  let bot: ChildProcess | undefined;
  let log: LogReader | undefined;
  let botEnv: NodeJS.ProcessEnv = {};
  let opsPort = 0;

  /** The host path for a container path of a stage; only /app is mapped, which is all the Dockerfile should touch. */
  function hostPath(dir: string, containerPath: string): string {
    const resolved = path.posix.resolve(APP, containerPath);
    if (resolved !== APP && !resolved.startsWith(`${APP}/`))
      throw new Error(`${containerPath}: only paths under ${APP} can be followed without Docker`);
    return path.join(dir, path.posix.relative(APP, resolved));
  }

  /** The build context: the working tree minus what .dockerignore leaves out, as `docker build .` would send it. */
  function copyContext(from: string, to: string, relative = ""): void {
    mkdirSync(to, { recursive: true });
    for (const entry of readdirSync(from, { withFileTypes: true })) {
      const rel = relative === "" ? entry.name : `${relative}/${entry.name}`;
      const source = path.join(from, entry.name);
      const target = path.join(to, entry.name);
      if (entry.isDirectory()) {
        if (dockerignore.ignores(rel) && !dockerignore.mayReinclude(rel)) continue;
        copyContext(source, target, rel);
      } else if (!dockerignore.ignores(rel)) {
        if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
        else cpSync(source, target);
        contextFiles.push(rel);
      }
    }
  }

  /** COPY [--from=stage] <src>... <dest>, with Docker's rules for wildcards, directories and a trailing slash. */
  function copy(instruction: Instruction, workdir: string, into: string): void {
    const { flags, rest } = splitFlags(instruction.args);
    const unknown = Object.keys(flags).filter((f) => f !== "from");
    if (unknown.length > 0 || rest.startsWith("["))
      throw new Error(
        `line ${instruction.line}: COPY ${instruction.args}: only --from and the plain form are followed here`,
      );
    const words = rest.split(/\s+/);
    const dest = words.pop() ?? "";
    const from = flags["from"];
    const fromStage = from === undefined ? undefined : performed.get(from);
    if (from !== undefined && fromStage === undefined)
      throw new Error(`line ${instruction.line}: no stage named ${from} before this COPY`);
    const sources = words.flatMap((source) => {
      const base = path.posix.basename(source);
      const hostOf = (p: string) =>
        fromStage === undefined ? path.join(contextDir, path.posix.normalize(p)) : hostPath(fromStage.dir, p);
      if (fromStage === undefined && (path.posix.isAbsolute(source) || path.posix.normalize(source).startsWith("..")))
        throw new Error(`COPY ${source}: outside the context`);
      if (!/[*?]/.test(base)) {
        const host = hostOf(source);
        if (!existsSync(host))
          throw new Error(
            `line ${instruction.line}: COPY ${source}: not found in ${from === undefined ? "the build context" : `stage ${from}`}`,
          );
        return [host];
      }
      const pattern = wildcardRegExp(base);
      const dir = hostOf(path.posix.dirname(source));
      return readdirSync(dir)
        .filter((name) => pattern.test(name))
        .map((name) => path.join(dir, name));
    });
    if (sources.length === 0) throw new Error(`line ${instruction.line}: COPY ${rest}: no source files were specified`);
    if (sources.length > 1 && !dest.endsWith("/"))
      throw new Error(`line ${instruction.line}: COPY with several sources needs a destination ending in /`);
    const target = hostPath(into, path.posix.resolve(workdir, dest));
    for (const source of sources) {
      // A directory's contents are copied, not the directory itself; symbolic links (node_modules/.bin) stay links.
      if (statSync(source).isDirectory()) cpSync(source, target, { recursive: true, verbatimSymlinks: true });
      else {
        const file = dest.endsWith("/") ? path.join(target, path.basename(source)) : target;
        mkdirSync(path.dirname(file), { recursive: true });
        cpSync(source, file);
      }
    }
  }

  /** RUN: npm commands run for real; apt-get is skipped (the host has its own toolchain); mkdir and chown are emulated. */
  async function runStep(
    instruction: Instruction,
    workdir: string,
    into: string,
    env: NodeJS.ProcessEnv,
    steps: string[],
  ): Promise<void> {
    for (const part of instruction.args.split("&&").map((p) => p.trim())) {
      if (/^apt-get\s/.test(part) || part === "rm -rf /var/lib/apt/lists/*") {
        steps.push(`skipped: ${part}`);
      } else if (/^npm\s/.test(part)) {
        if (/["'`$|;<>\\]/.test(part))
          throw new Error(
            `line ${instruction.line}: ${part}: keep npm steps free of shell syntax so they can be run without a shell`,
          );
        const [, ...args] = part.split(/\s+/);
        const result = await run("npm", args, { cwd: hostPath(into, workdir), env, timeoutMs: NPM_TIMEOUT_MS });
        if (result.code !== 0)
          throw new Error(
            `line ${instruction.line}: ${part} exited with ${String(result.code ?? result.signal)}:\n${result.output}`,
          );
        steps.push(`ran: ${part}`);
      } else if (/^mkdir -p\s/.test(part)) {
        for (const dir of part.split(/\s+/).slice(2))
          mkdirSync(hostPath(into, path.posix.resolve(workdir, dir)), { recursive: true });
        steps.push(`emulated: ${part}`);
      } else if (/^chown node:node\s/.test(part)) {
        for (const target of part.split(/\s+/).slice(2))
          if (asRoot) chownSync(hostPath(into, path.posix.resolve(workdir, target)), NODE_UID, NODE_GID);
        steps.push(`${asRoot ? "emulated" : "skipped (not root)"}: ${part}`);
      } else {
        throw new Error(
          `line ${instruction.line}: the test cannot perform "${part}" without Docker; teach test/dockerfile/dockerfile.test.ts how`,
        );
      }
    }
  }

  /** Follows one stage's instructions into a fresh directory standing for its /app. */
  async function perform(s: Stage, name: string, baseEnv: NodeJS.ProcessEnv): Promise<Performed> {
    const result: Performed = { dir: path.join(tmp, name), env: {}, steps: [] };
    mkdirSync(result.dir);
    let workdir = "/";
    for (const instruction of s.instructions) {
      switch (instruction.keyword) {
        case "WORKDIR":
          workdir = path.posix.resolve(workdir, instruction.args);
          mkdirSync(hostPath(result.dir, workdir), { recursive: true });
          break;
        case "ENV":
          Object.assign(result.env, hostEnv(parseEnv(instruction.args)));
          break;
        case "COPY":
          copy(instruction, workdir, result.dir);
          break;
        case "RUN":
          await runStep(instruction, workdir, result.dir, { ...baseEnv, ...result.env }, result.steps);
          break;
        case "USER":
        case "VOLUME":
        case "EXPOSE":
        case "HEALTHCHECK":
        case "CMD":
          // Metadata for `docker run`; checked above and used when the bot is started below.
          break;
        default:
          throw new Error(
            `line ${instruction.line}: ${instruction.keyword} is not followed by this test; teach it how`,
          );
      }
    }
    performed.set(name, result);
    return result;
  }

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), "newsbot-dockerfile-"));
    // mkdtemp makes the folder private to its owner; the bot, as uid 1000, has to reach /app inside it.
    chmodSync(tmp, 0o755);
    contextDir = path.join(tmp, "context");
    copyContext(projectRoot, contextDir);
    const emptyNpmrc = path.join(tmp, "npmrc");
    writeFileSync(emptyNpmrc, "");
    // Only what the build container would have: no user .npmrc, no npm_config_* from an outer `npm run`.
    // The host's npm cache is reused, as a BuildKit cache mount would be, to keep the download short.
    const buildEnv: NodeJS.ProcessEnv = {
      PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env["PATH"] ?? ""}`,
      HOME: os.homedir(),
      npm_config_userconfig: emptyNpmrc,
      npm_config_cache: process.env["npm_config_cache"] ?? path.join(os.homedir(), ".npm"),
      npm_config_update_notifier: "false",
      ...proxyEnv(),
    };
    await perform(buildStage, buildStage.name ?? "build", buildEnv);
    await perform(runtimeStage, "runtime", buildEnv);
  });

  afterAll(async () => {
    if (bot !== undefined && bot.exitCode === null && bot.signalCode === null) {
      const closed = new Promise((resolve) => bot?.once("close", resolve));
      bot.kill("SIGKILL");
      await closed;
    }
    if (tmp !== "") rmSync(tmp, { recursive: true, force: true });
  });

  const runtimeDir = () => performed.get("runtime")?.dir ?? "";

  it("builds in a clean copy of the build context: npm ci, npm run build and npm prune --omit=dev all succeed", () => {
    const steps = performed.get("build")?.steps ?? [];
    expect(steps.filter((s) => s.startsWith("ran: "))).toEqual([
      "ran: npm ci --no-audit --no-fund",
      "ran: npm run build",
      "ran: npm prune --omit=dev --no-audit --no-fund",
    ]);
    expect(steps.some((s) => s.startsWith("skipped: apt-get install"))).toBe(true);
    expect(contextFiles).toContain("src/main.ts");
    const leaked = contextFiles.filter(
      (f) => /^(node_modules|dist|data|\.git|test|coverage)\//.test(f) || /^\.env$/.test(f),
    );
    expect(leaked).toEqual([]);
  });

  it("assembles a runtime stage holding the compiled bot, production dependencies, content and config, and nothing else", () => {
    expect(readdirSync(runtimeDir()).sort()).toEqual([
      "config",
      "content",
      "data",
      "dist",
      "node_modules",
      "package.json",
    ]);
    expect(existsSync(path.join(runtimeDir(), packageJson.main))).toBe(true);
    expect(existsSync(path.join(runtimeDir(), "config/default.yaml"))).toBe(true);
    expect(existsSync(path.join(runtimeDir(), "config/local.yaml"))).toBe(false);
    expect(readdirSync(path.join(runtimeDir(), "content")).length).toBeGreaterThan(0);
    if (asRoot) expect(statSync(path.join(runtimeDir(), "data")).uid).toBe(NODE_UID);
  });

  it("has the production dependencies in node_modules and no development dependency", () => {
    const modules = path.join(runtimeDir(), "node_modules");
    for (const name of Object.keys(packageJson.dependencies))
      expect(existsSync(path.join(modules, name)), name).toBe(true);
    for (const name of ["typescript", "vitest", "eslint", "pino-pretty", "typescript-eslint"])
      expect(existsSync(path.join(modules, name)), name).toBe(false);
    // Every package the lock file marks dev-only, nested ones included. (ws and @types/node are devDependencies that production
    // dependencies need too; the lock file does not mark those dev, and they rightly stay.)
    const lock = JSON.parse(readFileSync(path.join(projectRoot, "package-lock.json"), "utf8")) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const devOnly = Object.entries(lock.packages).filter(([key, info]) => key !== "" && info.dev === true);
    expect(devOnly.length).toBeGreaterThan(10);
    expect(devOnly.map(([key]) => key).filter((key) => existsSync(path.join(runtimeDir(), key)))).toEqual([]);
  });

  it("starts with the image's CMD and ENV and answers GET /healthz with 200 and /readyz with 200", async () => {
    opsPort = await freePort();
    const home = path.join(tmp, "home-node");
    mkdirSync(home);
    if (asRoot) chownSync(home, NODE_UID, NODE_GID);
    // As `docker run` would: the image's ENV (NODE_ENV=production, OPS_PORT), with OPS_PORT moved to a free port for
    // this machine and OPS_HOST pinned to loopback so the test opens nothing to the network.
    const imageEnv = performed.get("runtime")?.env ?? {};
    expect(imageEnv).toMatchObject({ NODE_ENV: "production", OPS_PORT: "9090" });
    botEnv = {
      PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env["PATH"] ?? ""}`,
      HOME: home,
      ...imageEnv,
      OPS_PORT: String(opsPort),
      OPS_HOST: "127.0.0.1",
    };
    const [command = "", ...args] = cmdOf(runtimeStage);
    // No platform token is set, so the bot runs its console adapter, which stops at end of input. stdin stays an
    // open pipe that is never written or closed, as with `docker run -i` or compose `stdin_open: true`; operators
    // set platform tokens instead, and then stdin is not read at all. (With stdin at end of input and no token,
    // the bot logs "console closed" and exits 0 at once, which is what a container without -i would do.)
    bot = spawn(command, args, { cwd: runtimeDir(), env: botEnv, stdio: ["pipe", "pipe", "pipe"], ...runAs });
    log = new LogReader(bot);
    const exited = new Promise<never>((_, reject) =>
      bot?.once("exit", (code) =>
        reject(new Error(`the bot exited with ${String(code)}:\n${log?.lines.join("\n") ?? ""}`)),
      ),
    );
    const healthy = (async () => {
      // Like Docker's start period: keep asking until it answers, up to a deadline.
      const deadline = Date.now() + 30_000;
      for (;;) {
        try {
          const response = await fetch(`http://127.0.0.1:${opsPort}/healthz`);
          return { status: response.status, body: await response.json() };
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    })();
    expect(await Promise.race([healthy, exited])).toEqual({ status: 200, body: { status: "ok" } });
    const status = `/proc/${String(bot.pid)}/status`;
    if (asRoot && existsSync(status))
      expect(readFileSync(status, "utf8")).toMatch(new RegExp(`^Uid:\\s+${NODE_UID}\\s`, "m"));
    expect((await fetch(`http://127.0.0.1:${opsPort}/readyz`)).status).toBe(200);
  });

  it("passes its own HEALTHCHECK command, run as the container would run it", async () => {
    const { options, command } = healthcheckOf(runtimeStage);
    const [program = "", ...args] = command;
    const timeoutMs = Number.parseInt(options["timeout"] ?? "30", 10) * 1000;
    const result = await run(program, args, { cwd: runtimeDir(), env: botEnv, timeoutMs, ...runAs });
    expect(result, result.output).toMatchObject({ code: 0, signal: null });
  });

  it("stops on SIGTERM, in order, with exit code 0", async () => {
    const child = bot;
    if (child === undefined) throw new Error("the bot did not start");
    const closed = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.once("close", (code, signal) => resolve([code, signal])),
    );
    child.kill("SIGTERM");
    expect(await closed).toEqual([0, null]);
    expect(log?.entries().some((e) => e["msg"] === "stopped")).toBe(true);
  });

  it("fails its HEALTHCHECK with exit code 1 once nothing answers", async () => {
    const { command } = healthcheckOf(runtimeStage);
    const [program = "", ...args] = command;
    const result = await run(program, args, { cwd: runtimeDir(), env: botEnv, timeoutMs: 10_000, ...runAs });
    expect(result, result.output).toMatchObject({ code: 1, signal: null });
  });
});
