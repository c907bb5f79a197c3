// Answers Discord interactions: slash commands, autocomplete (/who, /digest) and button clicks, within Discord's 3-second window.
import {
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  type MessageMentionOptions,
  type RepliableInteraction,
} from "discord.js";
import type { Reply, Visibility } from "../../core/reply.js";
import { truncateAtWord } from "../../core/text/truncate.js";
import type { AdapterDependencies } from "../adapter.js";
import { answerInWindow, DEFAULT_ANSWER_WINDOW_MS } from "../shared/answer-window.js";
import { parseCustomId } from "./custom-id.js";
import { askerOf, channelRefOf, DISCORD_TERMS, invocationOf } from "./invocation.js";
import { loggableError } from "./loggable-error.js";
import { DISCORD_LIMITS } from "./limits.js";
import { renderDiscord, type DiscordMessage } from "./render.js";

/** Sent with every message, besides being the client's default: content text must never ping anyone. */
export const NO_MENTIONS: MessageMentionOptions = { parse: [] };

/** Discord drops an interaction not acknowledged within 3 s; past this we acknowledge first and answer after. */
export const DEFAULT_DEFER_AFTER_MS = DEFAULT_ANSWER_WINDOW_MS;

export interface InteractionOptions {
  /** How long an answer may take before the interaction is deferred; 0 defers every answer straight away. */
  deferAfterMs?: number;
}

type Choice = { name: string; value: string };

export class InteractionHandler {
  private readonly deferAfterMs: number;

  constructor(
    private readonly deps: AdapterDependencies,
    options: InteractionOptions = {},
  ) {
    this.deferAfterMs = options.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS;
  }

  /** Never throws: whatever goes wrong is logged and, where Discord still lets us, apologised for. */
  async handle(interaction: Interaction): Promise<void> {
    const id = this.deps.answerer.newId();
    this.deps.logger.debug(
      { invocation: id, interaction: interaction.id, type: interaction.type, channel: channelRefOf(interaction) },
      "discord interaction",
    );
    try {
      if (interaction.isAutocomplete()) await this.autocomplete(interaction);
      else if (interaction.isChatInputCommand()) await this.command(interaction, id);
      else if (interaction.isButton()) await this.button(interaction, id);
      else if (interaction.isRepliable()) {
        await interaction.reply({
          content: "I only answer slash commands and my own buttons.",
          flags: MessageFlags.Ephemeral,
          allowedMentions: NO_MENTIONS,
        });
      }
    } catch (error) {
      await this.apologise(interaction, error, id);
    }
  }

  private render(reply: Reply): DiscordMessage {
    const first = this.deps.answerer.content().stories[0];
    const example = first ? `/${first.command} latest` : "/help";
    const rendered = renderDiscord(reply, {
      timeZone: this.deps.answerer.settings.timeZone,
      shortenedHint: `…answer shortened; ask a narrower question such as ${example}`,
    });
    // A button Discord cannot carry (its command line does not fit a custom id) is left out; the text still names it.
    if (rendered.dropped.length > 0)
      this.deps.logger.debug(
        { dropped: rendered.dropped.map((a) => a.commandLine), title: reply.title },
        "buttons left out",
      );
    return rendered.message;
  }

  private async command(interaction: ChatInputCommandInteraction, id: string): Promise<void> {
    const answerer = this.deps.answerer;
    await this.answer(interaction, answerer.answer(invocationOf(interaction, id)), answerer.settings.defaultVisibility);
  }

  private async button(interaction: ButtonInteraction, id: string): Promise<void> {
    const intent = parseCustomId(interaction.customId);
    if (!intent) {
      this.deps.logger.info({ invocation: id, customId: interaction.customId }, "unknown button");
      await interaction.reply({
        content:
          "Sorry, I don't recognise that button: it may be from an older version of me. Ask again with the slash command (/help lists them).",
        flags: MessageFlags.Ephemeral,
        allowedMentions: NO_MENTIONS,
      });
      return;
    }
    const asker = askerOf(interaction);
    if (intent.kind === "share") {
      await this.answer(
        interaction,
        this.deps.answerer.share(intent.commandLine, asker, { id, seen: intent.seen }),
        "shared",
      );
    } else {
      // A one-click follow-up is a private question, whatever the channel's default.
      await this.answer(
        interaction,
        this.deps.answerer.answerLine(intent.commandLine, asker, { id, visibility: "private" }),
        "private",
      );
    }
  }

  /** Answers within Discord's window: straight away when the answer is quick, else acknowledged first and edited in. */
  private answer(interaction: RepliableInteraction, pending: Promise<Reply>, expected: Visibility): Promise<void> {
    return answerInWindow(pending, this.deferAfterMs, {
      inTime: async (reply) => {
        await interaction.reply(this.replyOptions(reply));
      },
      acknowledge: async () => {
        await interaction.deferReply(expected === "private" ? { flags: MessageFlags.Ephemeral } : {});
      },
      late: (reply) => this.editIn(interaction, reply),
    });
  }

  private async editIn(interaction: RepliableInteraction, reply: Reply): Promise<void> {
    const wantsPrivate = reply.visibility === "private";
    if (wantsPrivate === (interaction.ephemeral === true)) {
      await interaction.editReply(this.editOptions(reply));
      return;
    }
    if (!wantsPrivate) {
      // Discord cannot make an ephemeral message public; the asker still gets the answer, privately.
      this.deps.logger.warn(
        { title: reply.title },
        "a shared answer arrived after a private deferral; answered privately",
      );
      await interaction.editReply(this.editOptions(reply));
      return;
    }
    // Deferred in public, but the answer is for the asker only (an error): close the public placeholder,
    // then answer privately. A follow-up straight after a deferral would edit the placeholder instead.
    await interaction.editReply({
      content: "Answered privately.",
      embeds: [],
      components: [],
      allowedMentions: NO_MENTIONS,
    });
    await interaction.followUp({ ...this.replyOptions(reply), flags: MessageFlags.Ephemeral });
    await interaction
      .deleteReply()
      .catch((error: unknown) =>
        this.deps.logger.warn({ err: loggableError(error) }, "could not remove the placeholder"),
      );
  }

  private replyOptions(reply: Reply): InteractionReplyOptions {
    const message = this.render(reply);
    return {
      embeds: message.embeds,
      components: message.components,
      allowedMentions: NO_MENTIONS,
      ...(reply.visibility === "private" && { flags: MessageFlags.Ephemeral }),
    };
  }

  private editOptions(reply: Reply): InteractionEditReplyOptions {
    const message = this.render(reply);
    return { embeds: message.embeds, components: message.components, allowedMentions: NO_MENTIONS };
  }

  /** Autocomplete cannot be deferred and must answer within 3 s; any failure answers with no choices. */
  private async autocomplete(interaction: AutocompleteInteraction): Promise<void> {
    let choices: Choice[] = [];
    try {
      choices = this.choicesFor(interaction);
    } catch (error) {
      this.deps.logger.error({ err: loggableError(error), command: interaction.commandName }, "autocomplete failed");
    }
    await interaction.respond(choices);
  }

  private choicesFor(interaction: AutocompleteInteraction): Choice[] {
    const focused = interaction.options.getFocused(true);
    const partial = typeof focused.value === "string" ? focused.value : String(focused.value);
    const request = {
      command: interaction.commandName,
      subcommand: interaction.options.getSubcommand(false) ?? undefined,
      option: focused.name,
      partial,
      terms: DISCORD_TERMS,
    };
    return this.deps.answerer
      .complete(request, DISCORD_LIMITS.autocompleteChoices)
      .map((c) => ({ name: truncateAtWord(c.name.trim(), DISCORD_LIMITS.choiceName) || c.value, value: c.value }))
      .filter(
        (c) =>
          c.value !== "" && c.value.length <= DISCORD_LIMITS.choiceValue && c.name.length <= DISCORD_LIMITS.choiceName,
      );
  }

  private async apologise(interaction: Interaction, error: unknown, id: string): Promise<void> {
    this.deps.logger.error(
      { err: loggableError(error), invocation: id, interaction: interaction.id, type: interaction.type },
      "discord interaction failed",
    );
    try {
      if (interaction.isAutocomplete()) {
        if (!interaction.responded) await interaction.respond([]);
        return;
      }
      if (!interaction.isRepliable()) return;
      const apology = this.deps.answerer.apology(id);
      if (interaction.deferred && !interaction.replied) await interaction.editReply(this.editOptions(apology));
      else if (interaction.replied)
        await interaction.followUp({ ...this.replyOptions(apology), flags: MessageFlags.Ephemeral });
      else await interaction.reply(this.replyOptions(apology));
    } catch (second) {
      // The interaction token may have expired or Discord may be unreachable: nothing left to tell the asker.
      this.deps.logger.warn({ err: loggableError(second), invocation: id }, "could not apologise on discord");
    }
  }
}
