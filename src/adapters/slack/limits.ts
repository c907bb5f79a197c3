// Slack's size limits for messages and Block Kit blocks, from its API documentation, in one table.

export const SLACK_LIMITS = {
  /** @see https://docs.slack.dev/reference/block-kit/blocks (up to 50 blocks in each message) */
  blocksPerMessage: 50,
  /** @see https://docs.slack.dev/reference/block-kit/blocks/section-block */
  sectionText: 3000,
  /** @see https://docs.slack.dev/reference/block-kit/blocks/header-block */
  headerText: 150,
  /** @see https://docs.slack.dev/reference/block-kit/blocks/context-block */
  contextElements: 10,
  /**
   * Each context element is a text object.
   * @see https://docs.slack.dev/reference/block-kit/composition-objects/text-object
   */
  contextText: 3000,
  /** @see https://docs.slack.dev/reference/block-kit/blocks/actions-block */
  buttonsPerActionsBlock: 25,
  /** @see https://docs.slack.dev/reference/block-kit/block-elements/button-element */
  buttonText: 75,
  /** @see https://docs.slack.dev/reference/block-kit/block-elements/button-element */
  buttonValue: 2000,
  /**
   * Our own bound on a message's blocks, as sent: characters of JSON.stringify(blocks), brackets and commas included.
   * Undocumented: Slack has refused messages near 13,000 characters of blocks with msg_blocks_too_long, below any
   * limit its pages state. A budget of 12,000 counted block by block let a /who card reach 12,001 as sent, too close;
   * 11,000 keeps about 15% below the refusals.
   * @see https://docs.slack.dev/reference/methods/chat.postMessage
   * @see https://github.com/slackapi/bolt-js/issues/2509 (the refusals, measured)
   */
  messageBlockChars: 11_000,
  /**
   * Our own bound: the top-level text only shows in notifications and where blocks cannot, so its start is all that
   * is read; chat.postMessage itself truncates text at 40,000 characters.
   * @see https://docs.slack.dev/reference/methods/chat.postMessage
   */
  fallbackText: 3000,
} as const;
