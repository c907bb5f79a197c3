// `npm run discord:deploy`: registers the slash commands generated from content/ with Discord, skipping an unchanged upload.
import { pathToFileURL } from "node:url";
import { REST } from "discord.js";
import { commandDefinitions } from "../adapters/discord/commands.js";
import { deployCommands, describeDeploy } from "../adapters/discord/deploy.js";
import { errorMessage } from "../core/errors.js";
import { configBaseDir } from "../ops/project-dir.js";
import { readPlatformSettings } from "../adapters/platform-settings.js";
import { loadContent, readConfig, report, runCli, type CliOutput } from "./bootstrap.js";

export type DeployOutput = CliOutput;

/** Reads configuration, content and DISCORD_* from `env`, deploys, reports through `out`; returns the exit code. */
export async function discordDeploy(env: NodeJS.ProcessEnv, baseDir: string, out: DeployOutput): Promise<number> {
  const config = readConfig(env, { baseDir });
  if (!config.ok) return report(out, config);
  const platforms = readPlatformSettings(env);
  if (!platforms.ok) {
    out.error(`The Discord settings are invalid:\n${platforms.errors.map((e) => `  ${e}`).join("\n")}`);
    return 1;
  }
  const discord = platforms.platforms.discord;
  const applicationId = discord?.applicationId;
  if (discord === undefined || applicationId === undefined) {
    const missing = [
      ...(discord === undefined ? ["DISCORD_TOKEN (the bot token, from the Bot page)"] : []),
      ...(env["DISCORD_APPLICATION_ID"]?.trim()
        ? []
        : ["DISCORD_APPLICATION_ID (the application id, from the General Information page)"]),
    ];
    out.error(
      `Cannot register commands: set ${missing.join(" and ")} of the application in Discord's developer portal.`,
    );
    return 1;
  }

  const loaded = loadContent(config.value.contentDir);
  if (!loaded.ok)
    return report(out, { message: `${loaded.message}\nFix the content first: the commands are generated from it.` });

  const scope = discord.guildId === undefined ? "global" : "guild";
  const commands = commandDefinitions(loaded.value, scope);
  const rest = new REST(discord.apiUrl === undefined ? {} : { api: discord.apiUrl }).setToken(discord.token);
  try {
    const result = await deployCommands(
      rest,
      { applicationId, ...(discord.guildId !== undefined && { guildId: discord.guildId }) },
      commands,
    );
    out.info(`${describeDeploy(result)} Commands: ${commands.map((c) => `/${c.name}`).join(", ")}.`);
    return 0;
  } catch (error) {
    // discord.js errors carry Discord's message and status, never the token.
    const reason = errorMessage(error);
    const status =
      typeof error === "object" && error !== null && "status" in error ? ` (HTTP ${String(error.status)})` : "";
    out.error(
      `Discord refused the command upload${status}: ${reason}${status.includes("401") ? "\nCheck DISCORD_TOKEN." : ""}`,
    );
    return 1;
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}

// Run only as a program, so the test can import discordDeploy without deploying anything.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runCli("discord:deploy stopped unexpectedly", (out) =>
    discordDeploy(process.env, configBaseDir(process.env), out),
  );
}
