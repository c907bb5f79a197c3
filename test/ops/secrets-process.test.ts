// The compiled bot at trace level with a password-bearing DATABASE_URL: no output line, /readyz or /metrics body holds the password, the URL or the token.
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, connect, type AddressInfo, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgresStore } from "../../src/store/postgres-store.js";
import { LogReader, spawnBot } from "../bot-process.js";
import { subscribeDueDiscordChannels } from "../digest-seed.js";
import { FakeDiscord, IDS, MANAGER_PERMISSIONS, commandInteraction } from "../fakes/discord.js";
import { postgresSuite, requireTestDatabaseUrl, uniqueSchemaName, withClient } from "../postgres.js";

/** A Postgres role of the test's own, with a password, and a schema it owns that its connections use by default. */
interface SecretRole {
  name: string;
  password: string;
  /** The random part of the password: found anywhere, even a cut-off or re-encoded password has leaked. */
  core: string;
  /** postgres://<name>:<password>@<host>:<port>/<database>, the password URL-encoded as a URL must carry it. */
  urlAt(port: number): string;
  drop(): Promise<void>;
}

async function createSecretRole(): Promise<SecretRole> {
  const admin = requireTestDatabaseUrl();
  // Lower case and unique per run, so it needs no quoting beyond the identifier quotes and no other run shares it.
  const name = uniqueSchemaName("secrets");
  const core = `s3cret-${randomBytes(8).toString("hex")}`;
  // Characters a URL must percent-encode, so the encoded and decoded forms differ and both are looked for.
  const password = `${core}:p@ss/w%rd#`;
  await withClient(admin, async (client) => {
    await client.query(`CREATE ROLE "${name}" LOGIN PASSWORD ${client.escapeLiteral(password)}`);
    await client.query(`CREATE SCHEMA "${name}" AUTHORIZATION "${name}"`);
    // The role's own search_path isolates the bot in its schema without an `options` parameter in the URL.
    await client.query(`ALTER ROLE "${name}" SET search_path = "${name}"`);
  });
  return {
    name,
    password,
    core,
    urlAt(port) {
      const url = new URL(admin);
      url.username = name;
      url.password = encodeURIComponent(password);
      url.port = String(port);
      url.search = "";
      return url.toString();
    },
    drop: () =>
      withClient(admin, async (client) => {
        // A role with sessions cannot always be dropped; the bots are gone by now, this ends any straggler.
        await client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1", [name]);
        await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
        await client.query(`DROP ROLE IF EXISTS "${name}"`);
      }),
  };
}

/** Every form in which the URL's secrets could show up in a line, by what it is. */
function secretForms(url: string, role: SecretRole, extra: Record<string, string> = {}): Record<string, string> {
  const encoded = encodeURIComponent(role.password);
  return {
    "the URL": url,
    "the URL without its scheme": url.replace(/^postgres(?:ql)?:\/\//, ""),
    "user:password": `${role.name}:${role.password}`,
    "user:password, URL-encoded": `${role.name}:${encoded}`,
    "the password": role.password,
    "the password, URL-encoded": encoded,
    "the password as the URL holds it": new URL(url).password,
    "the password, JSON-escaped": JSON.stringify(role.password).slice(1, -1),
    "the password's random part": role.core,
    ...extra,
  };
}

/** Each line of `texts` that holds a secret form, with where and which forms: empty when nothing leaked. */
function leaks(texts: Record<string, string>, forms: Record<string, string>): string[] {
  return Object.entries(texts).flatMap(([where, text]) =>
    text.split("\n").flatMap((line) => {
      const found = Object.entries(forms).flatMap(([what, form]) => (line.includes(form) ? [what] : []));
      return found.length > 0 ? [`${where} (${found.join(", ")}): ${line}`] : [];
    }),
  );
}

/** All a child wrote, stdout and stderr apart, including a last line without a newline. */
function captureOutput(child: ChildProcess): { stdout: () => string; stderr: () => string } {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  return { stdout: () => stdout, stderr: () => stderr };
}

function closed(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.once("close", (code: number | null) => resolve(code)));
}

async function body(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url);
  return { status: response.status, text: await response.text() };
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP relay to Postgres that can vanish: close() stops listening and cuts every connection, as a dead server would. */
class PostgresRelay {
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(host: string, port: number): Promise<PostgresRelay> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const relay = new PostgresRelay(server, (server.address() as AddressInfo).port);
    server.on("connection", (client) => {
      const upstream = connect(port, host);
      for (const socket of [client, upstream]) {
        relay.sockets.add(socket);
        socket.on("close", () => relay.sockets.delete(socket));
        socket.on("error", () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    return relay;
  }

  async close(): Promise<void> {
    const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await stopped;
  }
}

const TRACE = { LOG_LEVEL: "trace", OPS_PORT: "0", OPS_HOST: "127.0.0.1", SHUTDOWN_GRACE_SECONDS: "2" };

postgresSuite("secrets in a password-bearing DATABASE_URL", () => {
  let role: SecretRole;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    role = await createSecretRole();
  });

  afterAll(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await closed(child);
    }
    await role?.drop();
  });

  const postgresPort = () => Number(new URL(requireTestDatabaseUrl()).port || "5432");
  const postgresHost = () => new URL(requireTestDatabaseUrl()).hostname;

  describe("with Postgres reachable, on Discord, from start to SIGTERM", () => {
    const tokenSecret = `secrets-${randomBytes(8).toString("hex")}`;
    const token = `MTMwMDAwMDAwMDAwMDAwMDAwMA.Gx1234.${tokenSecret}`;
    let discord: FakeDiscord;
    let url = "";

    beforeAll(async () => {
      discord = await FakeDiscord.start();
      url = role.urlAt(postgresPort());
      // A digest due now, so the bot reads and writes the ledger through this URL while the test watches.
      const seed = await openPostgresStore(url);
      try {
        await subscribeDueDiscordChannels(seed, [IDS.channel]);
      } finally {
        await seed.close();
      }
    });

    afterAll(async () => {
      await discord?.close();
    });

    it("logs, answers and reports readiness and metrics without the URL, its password or the token", async () => {
      const child = spawnBot({
        ...TRACE,
        DATABASE_URL: url,
        DISCORD_TOKEN: token,
        DISCORD_API_URL: discord.apiUrl,
        DISCORD_APPLICATION_ID: IDS.application,
      });
      children.push(child);
      const output = captureOutput(child);
      const log = new LogReader(child);
      const listening = await log.waitFor((e) => e["msg"] === "ops endpoint listening");
      const base = `http://127.0.0.1:${String(listening["port"])}`;
      await log.waitFor((e) => e["msg"] === "bot ready");
      await log.waitFor((e) => e["msg"] === "digest delivered");

      const who = commandInteraction("who", { options: { name: "boehler" } });
      discord.interact(who);
      await discord.waitForCall("POST", new RegExp(`/interactions/${String(who["id"])}/`));
      const subscribe = commandInteraction("digest", {
        subcommand: "subscribe",
        options: { time: "09:00", timezone: "Europe/London" },
        permissions: MANAGER_PERMISSIONS,
      });
      discord.interact(subscribe);
      await discord.waitForCall("POST", new RegExp(`/interactions/${String(subscribe["id"])}/`));
      await log.waitFor(
        (e) => e["msg"] === "command answered" && e["command"] === "digest" && e["subcommand"] === "subscribe",
      );

      const ready = await body(`${base}/readyz`);
      const metrics = await body(`${base}/metrics`);
      const exit = closed(child);
      child.kill("SIGTERM");
      expect(await exit).toBe(0);

      // Positive controls: the bot ran on this Postgres at its most verbose, so an empty or quiet log cannot pass.
      expect(ready.status).toBe(200);
      expect(JSON.parse(ready.text)).toMatchObject({ status: "ready", checks: { store: "ok", discord: "ok" } });
      expect(metrics.text).toMatch(
        /newsbot_commands_total\{command="digest",platform="discord",outcome="answered"\} 1/,
      );
      const entries = log.entries();
      expect(entries.find((e) => e["msg"] === "store opened")).toMatchObject({ store: "postgres" });
      expect(entries.some((e) => e["msg"] === "stopped")).toBe(true);
      expect(entries.some((e) => typeof e["level"] === "number" && e["level"] <= 20)).toBe(true);
      expect(discord.messagesIn(IDS.channel).length).toBeGreaterThan(0);
      expect(discord.identified.length).toBeGreaterThan(0);

      const forms = secretForms(url, role, {
        "the Discord token": token,
        "the Discord token's secret part": tokenSecret,
      });
      expect(
        leaks(
          { stdout: output.stdout(), stderr: output.stderr(), "/readyz": ready.text, "/metrics": metrics.text },
          forms,
        ),
      ).toEqual([]);
    }, 60_000);
  });

  describe("with nothing listening on the URL's port", () => {
    it("refuses to start, says why, and never repeats the URL or its password", async () => {
      const url = role.urlAt(await closedPort());
      const child = spawnBot({ ...TRACE, DATABASE_URL: url });
      children.push(child);
      const output = captureOutput(child);
      expect(await closed(child)).toBe(1);

      // Positive control: the connection error itself is reported, worded for the operator.
      expect(output.stderr()).toContain("The Postgres database in DATABASE_URL could not be opened");
      expect(output.stderr()).toMatch(/ECONNREFUSED/);
      expect(output.stderr()).toContain('"msg":"store could not be opened; not starting"');
      expect(leaks({ stdout: output.stdout(), stderr: output.stderr() }, secretForms(url, role))).toEqual([]);
    });
  });

  describe("when Postgres goes away under a running bot", () => {
    let relay: PostgresRelay;

    beforeAll(async () => {
      relay = await PostgresRelay.start(postgresHost(), postgresPort());
    });

    afterAll(async () => {
      await relay?.close();
    });

    it("reports not ready and logs the connection errors, without the URL or its password", async () => {
      const url = role.urlAt(relay.port);
      const child = spawnBot({ ...TRACE, DATABASE_URL: url }, "pipe");
      children.push(child);
      const output = captureOutput(child);
      const log = new LogReader(child);
      const listening = await log.waitFor((e) => e["msg"] === "ops endpoint listening");
      const base = `http://127.0.0.1:${String(listening["port"])}`;
      child.stdin?.write("/digest status\n");
      await log.waitFor((e) => e["msg"] === "command answered" && e["command"] === "digest");
      const before = await body(`${base}/readyz`);
      expect(before.status).toBe(200);

      // Straight after a ping the pool holds an idle connection, which the relay's cut turns into an idle error.
      await relay.close();
      const dropped = await log.waitFor(
        (e) => e["msg"] === "Postgres dropped an idle connection; the next query opens a new one",
      );
      let after = await body(`${base}/readyz`);
      // A ping under way at the cut fails with "Connection terminated"; the state after it is a refused connection.
      for (let i = 0; i < 100 && (after.status !== 503 || !after.text.includes("ECONNREFUSED")); i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        after = await body(`${base}/readyz`);
      }
      child.stdin?.write("/digest subscribe 09:00 UTC\n");
      const failed = await log.waitFor((e) => e["msg"] === "command failed");
      child.stdin?.end();
      expect(await closed(child)).toBe(0);

      // Positive controls: every kind of connection error was there to leak, and said what it was.
      expect(after.status).toBe(503);
      expect(JSON.parse(after.text)).toMatchObject({
        status: "not ready",
        checks: { store: expect.stringMatching(/^store unreachable: .*ECONNREFUSED/) as string },
      });
      expect(JSON.stringify(dropped["err"])).toMatch(/Connection terminated|ECONNRESET/);
      expect(JSON.stringify(failed["err"])).toMatch(/ECONNREFUSED/);
      expect(output.stdout()).toMatch(/error id/i);
      expect(
        leaks(
          {
            stdout: output.stdout(),
            stderr: output.stderr(),
            "/readyz before": before.text,
            "/readyz after": after.text,
          },
          secretForms(url, role),
        ),
      ).toEqual([]);
    }, 60_000);
  });
});
