// Digest process tests: Discord channels subscribed to a digest due two minutes ago, what they received, and the ledger after.
import type { DeliveryRow, Store } from "../src/store/store.js";
import { IDS, type FakeDiscord } from "./fakes/discord.js";

/** Subscribes each channel id (in the fake's guild) to today's digest, due two minutes ago; subscribed since yesterday. */
export async function subscribeDueDiscordChannels(store: Store, channelIds: readonly string[]): Promise<void> {
  const due = new Date(Date.now() - 2 * 60_000);
  const time = `${String(due.getUTCHours()).padStart(2, "0")}:${String(due.getUTCMinutes()).padStart(2, "0")}`;
  const createdAt = new Date(Date.now() - 86_400_000).toISOString();
  for (const channelId of channelIds) {
    await store.putSubscription({
      channel: `discord:${IDS.guild}:${channelId}`,
      platform: "discord",
      time,
      timeZone: "UTC",
      stories: [],
      createdAt,
      createdBy: "Dana",
    });
  }
}

/** Messages the fake Discord created in these channels, all told. */
export function messagesPosted(fake: FakeDiscord, channelIds: readonly string[]): number {
  return channelIds.reduce((total, channelId) => total + fake.messagesIn(channelId).length, 0);
}

/** The whole delivery ledger as a process left it, read through a store opened for the purpose and closed after. */
export async function ledgerOf(open: () => Promise<Store>): Promise<DeliveryRow[]> {
  const store = await open();
  try {
    return await store.listDeliveries();
  } finally {
    await store.close();
  }
}
