// Uploads the slash-command definitions to Discord, and skips the upload when Discord already has exactly these.
import { Routes, type REST } from "discord.js";
import { sameCommands, type CommandDefinition } from "./commands.js";

export interface DeployTarget {
  applicationId: string;
  /** Set: the commands of this one server. Unset: the global commands. */
  guildId?: string;
}

export interface DeployResult {
  uploaded: boolean;
  count: number;
  guildId?: string;
}

/**
 * Bulk-overwrites the commands only when they differ: every upload counts against Discord's daily
 * command-create limit, and an unchanged upload would still bump each command's version.
 */
export async function deployCommands(
  rest: REST,
  target: DeployTarget,
  commands: readonly CommandDefinition[],
): Promise<DeployResult> {
  const route = target.guildId
    ? Routes.applicationGuildCommands(target.applicationId, target.guildId)
    : Routes.applicationCommands(target.applicationId);
  const scope = target.guildId ? { guildId: target.guildId } : {};
  const current: unknown = await rest.get(route);
  if (sameCommands(commands, current)) return { uploaded: false, count: commands.length, ...scope };
  await rest.put(route, { body: commands });
  return { uploaded: true, count: commands.length, ...scope };
}

/** One line for the operator saying what happened. */
export function describeDeploy(result: DeployResult): string {
  const where = result.guildId ? `in guild ${result.guildId}` : "globally";
  const commands = `${result.count} command${result.count === 1 ? "" : "s"}`;
  return result.uploaded
    ? `Registered ${commands} ${where}.`
    : `Commands unchanged; nothing uploaded (${commands} ${where}).`;
}
