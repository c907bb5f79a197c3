// Reading Block Kit blocks back out of what Bolt sent the fake Slack, for the Slack adapter tests.

export interface Block {
  type: string;
  text?: { text: string };
  elements?: { type: string; text?: string | { text: string }; value?: string; action_id?: string }[];
}

/** A message's blocks, whether sent as JSON (a response URL) or as a form field holding JSON (chat.postMessage). */
export function blocksOf(message: Record<string, unknown>): Block[] {
  const blocks = message["blocks"];
  return (typeof blocks === "string" ? JSON.parse(blocks) : blocks) as Block[];
}
