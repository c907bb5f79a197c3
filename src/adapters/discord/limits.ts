// Discord's size limits for messages, components and commands, from its API documentation, in one table.

export const DISCORD_LIMITS = {
  embedTitle: 256,
  embedDescription: 4096,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFields: 25,
  embedFooter: 2048,
  /** Title, description, field names and values, footer and author name, added up over every embed of a message. */
  embedsTotal: 6000,
  embedsPerMessage: 10,
  messageContent: 2000,
  customId: 100,
  buttonLabel: 80,
  buttonsPerRow: 5,
  rowsPerMessage: 5,
  commandName: 32,
  commandDescription: 100,
  optionsPerCommand: 25,
  optionChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  autocompleteChoices: 25,
} as const;
