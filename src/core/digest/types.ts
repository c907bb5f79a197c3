// The digest's data model and ports: subscriptions, what a channel was already told, and what composition produces.
import type { ChannelRef } from "../channel-ref.js";
import type { Reply } from "../reply.js";

/** A channel's standing order for a daily digest. */
export interface Subscription {
  channel: ChannelRef;
  /** "discord", "slack" or "console": which poster delivers it. */
  platform: string;
  /** Local wall-clock time, "HH:MM" (24 h). */
  time: string;
  /** IANA zone the time is in, e.g. "America/New_York". */
  timeZone: string;
  /** Story ids followed; empty means every story, including stories added later. */
  stories: string[];
  /** ISO instant (UTC) the subscription was made or last changed; slots before it are never delivered. */
  createdAt: string;
  /** Display name of whoever subscribed, for /digest status. */
  createdBy: string;
  /** Set when a permanent platform error stopped deliveries (e.g. the bot lost access); cleared by subscribing again. */
  paused?: { reason: string; at: string };
}

export type NewSubscription = Omit<Subscription, "paused">;

/** Where a channel's most recent edition stands, for /digest status. */
export interface EditionSummary {
  editionKey: string;
  /** ISO instant the edition was due. */
  dueAt: string;
  state: DeliveryState;
  /** ISO instant it was delivered (state delivered). */
  deliveredAt?: string;
  error?: string;
  /** The content it was composed from: "release 12", or "files <fingerprint>" when no release was published. */
  composedFrom?: string;
}

/**
 * pending: planned, waiting to be sent (or to be retried); sending: claimed by a sender under a lease;
 * delivered: every part posted; skipped_stale: due longer ago than the catch-up window allows;
 * skipped_quiet: nothing new and quiet days are skipped; paused: a permanent error paused the subscription;
 * unknown: a Slack send whose outcome cannot be known (never resent blindly); failed: gave up after retries;
 * canceled: the channel unsubscribed before the edition went out.
 */
export const DELIVERY_STATES = [
  "pending",
  "sending",
  "delivered",
  "skipped_stale",
  "skipped_quiet",
  "paused",
  "unknown",
  "failed",
  "canceled",
] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** An item's key in the announced ledger: "update:<id>" or "correction:<id>"; the version is what was shown. */
export interface AnnouncedItem {
  key: string;
  version: number;
}

/** What a channel has already been told: item key -> version announced. */
export type AnnouncedVersions = ReadonlyMap<string, number>;

/** A digest ready to render: one neutral Reply (split per platform later) plus what delivering it announces. */
export interface ComposedDigest {
  /** catch-up: a first digest (story summary plus latest items); news: new, updated or corrected items; quiet: nothing new. */
  kind: "catch-up" | "news" | "quiet";
  reply: Reply;
  /** Recorded as announced once every part is delivered. */
  announce: AnnouncedItem[];
}

/** The subscription book the /digest command reads and writes; the scheduler implements it over the Store. */
export interface DigestBook {
  /** Creates or replaces the channel's subscription (and clears a pause). */
  subscribe(subscription: NewSubscription): Promise<Subscription>;
  /** false when the channel had no subscription. */
  unsubscribe(channel: ChannelRef): Promise<boolean>;
  subscription(channel: ChannelRef): Promise<Subscription | undefined>;
  /** The channel's most recent edition (any state), if any. */
  lastEdition(channel: ChannelRef): Promise<EditionSummary | undefined>;
  /** The most recent delivered edition, if any. */
  lastDelivered(channel: ChannelRef): Promise<EditionSummary | undefined>;
  announced(channel: ChannelRef): Promise<AnnouncedVersions>;
}

/** Digest settings the core needs (from config). */
export interface DigestSettings {
  /** "HH:MM" used when /digest subscribe names no time. */
  defaultTime: string;
  /** IANA zone used when /digest subscribe names none. */
  defaultTimeZone: string;
  /** Slots missed by at most this many minutes are still delivered late; older ones are recorded as skipped. */
  catchUpMinutes: number;
  /** post: a day with nothing new posts one short line; skip: nothing is posted that day. */
  quietDays: "post" | "skip";
  /** How many of the latest updates a first (catch-up) digest shows. */
  catchUpItems: number;
}
