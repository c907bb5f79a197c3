// Discord's size limits for messages, components and commands, from its API documentation, in one table.

export const DISCORD_LIMITS = {
  /** @see https://discord.com/developers/docs/resources/message#embed-object-embed-limits */
  embedTitle: 256,
  /** @see https://discord.com/developers/docs/resources/message#embed-object-embed-limits */
  embedDescription: 4096,
  /**
   * Not rendered today; the render tests hold any field to it.
   * @see https://discord.com/developers/docs/resources/message#embed-object-embed-limits
   */
  embedFieldName: 256,
  /**
   * Not rendered today; the render tests hold any field to it.
   * @see https://discord.com/developers/docs/resources/message#embed-object-embed-limits
   */
  embedFieldValue: 1024,
  /**
   * Not rendered today; the render tests hold any field to it.
   * @see https://discord.com/developers/docs/resources/message#embed-object-embed-limits
   */
  embedFields: 25,
  /** @see https://discord.com/developers/docs/resources/message#embed-object-embed-limits */
  embedFooter: 2048,
  /**
   * Title, description, field names and values, footer and author name, added up over every embed of a message.
   * @see https://discord.com/developers/docs/resources/message#embed-object-embed-limits
   */
  embedsTotal: 6000,
  /** @see https://discord.com/developers/docs/resources/message#create-message (embeds: up to 10) */
  embedsPerMessage: 10,
  /** @see https://discord.com/developers/docs/components/reference#button */
  customId: 100,
  /** @see https://discord.com/developers/docs/components/reference#button */
  buttonLabel: 80,
  /** @see https://discord.com/developers/docs/components/reference#action-row */
  buttonsPerRow: 5,
  /** @see https://discord.com/developers/docs/components/reference#action-row */
  rowsPerMessage: 5,
  /**
   * A story's `command` becomes a slash command name; COMMAND_PATTERN in the content schema holds it to this.
   * @see https://discord.com/developers/docs/interactions/application-commands#application-command-object
   */
  commandName: 32,
  /** @see https://discord.com/developers/docs/interactions/application-commands#application-command-object */
  commandDescription: 100,
  /** @see https://discord.com/developers/docs/interactions/application-commands#application-command-object */
  optionsPerCommand: 25,
  /** @see https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-option-choice-structure */
  choiceName: 100,
  /** @see https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-option-choice-structure */
  choiceValue: 100,
  /** @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object-autocomplete */
  autocompleteChoices: 25,
} as const;
