// The reference for the Slack answer path: a bare Bolt HTTP app whose /hostages handler acknowledges a constant.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, LogLevel } from "@slack/bolt";

const CONSTANT_ANSWER = { response_type: "ephemeral" as const, text: "The hostages story: a constant answer." };

const app = new App({
  token: process.env["SLACK_BOT_TOKEN"] ?? "",
  signingSecret: process.env["SLACK_SIGNING_SECRET"] ?? "",
  endpoints: "/slack/events",
  logLevel: LogLevel.ERROR,
  tokenVerificationEnabled: false,
  // Bolt looks up the bot's own id once (auth.test); the fake Slack answers it, as it does for our bot.
  clientOptions: { slackApiUrl: process.env["SLACK_API_URL"] ?? "" },
});
app.command("/hostages", async ({ ack }) => {
  await ack(CONSTANT_ANSWER);
});
const server = (await app.start({ port: 0, host: "127.0.0.1" })) as Server;
process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
