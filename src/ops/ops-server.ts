// The operations endpoint: /healthz (the process answers), /readyz (ready to serve, with the reasons when not), /metrics.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Logger } from "../core/logger.js";
import type { BotMetrics } from "./metrics.js";

export interface ReadinessCheck {
  name: string;
  /** undefined when fine, else a short reason shown by /readyz; may ask a dependency (the store) first. */
  problem(): string | undefined | Promise<string | undefined>;
}

export interface OpsServerOptions {
  port: number;
  host?: string;
  metrics: BotMetrics;
  checks: () => readonly ReadinessCheck[];
  /** What /readyz reports beside its checks, e.g. which content is served. */
  details?: () => Record<string, unknown>;
  logger: Logger;
}

export class OpsServer {
  private server: Server | undefined;

  constructor(private readonly options: OpsServerOptions) {}

  get port(): number | undefined {
    const address = this.server?.address();
    return typeof address === "object" && address !== null ? address.port : undefined;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.options.logger.info(
      { port: this.port, host: this.options.host ?? "all interfaces" },
      "ops endpoint listening",
    );
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://ops").pathname;
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    if (req.method !== "GET" && req.method !== "HEAD") {
      send(405, "application/json", JSON.stringify({ error: "only GET" }));
      return;
    }
    try {
      switch (path) {
        case "/healthz":
          send(200, "application/json", JSON.stringify({ status: "ok" }));
          return;
        case "/readyz": {
          const checks = await Promise.all(
            this.options.checks().map(async (c) => ({
              name: c.name,
              problem: await Promise.resolve(c.problem()).catch((e: unknown) => `check failed: ${String(e)}`),
            })),
          );
          const ready = checks.every((c) => c.problem === undefined);
          const body = {
            status: ready ? "ready" : "not ready",
            checks: Object.fromEntries(checks.map((c) => [c.name, c.problem ?? "ok"])),
            ...this.options.details?.(),
          };
          send(ready ? 200 : 503, "application/json", JSON.stringify(body));
          return;
        }
        case "/metrics":
          send(200, this.options.metrics.registry.contentType, await this.options.metrics.render());
          return;
        default:
          send(
            404,
            "application/json",
            JSON.stringify({ error: "not found", endpoints: ["/healthz", "/readyz", "/metrics"] }),
          );
      }
    } catch (error) {
      this.options.logger.error({ err: error, path }, "ops endpoint failed");
      if (!res.headersSent) send(500, "application/json", JSON.stringify({ error: "internal" }));
    }
  }
}
