// The reference for the Discord answer path: a bare discord.js client that replies a constant to every command.
import { Client, Events, GatewayIntentBits } from "discord.js";

const client = new Client({
  intents: [GatewayIntentBits.Guilds],
  rest: { api: process.env["DISCORD_API_URL"] ?? "" },
  allowedMentions: { parse: [] },
});
client.on(Events.InteractionCreate, (interaction) => {
  if (!interaction.isChatInputCommand()) return;
  void interaction.reply({ content: "The hostages story: a constant answer.", allowedMentions: { parse: [] } });
});
const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
await client.login(process.env["DISCORD_TOKEN"] ?? "");
await ready;
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
