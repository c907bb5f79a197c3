// The DigestBook the /digest command uses, over the Store: the core never sees the database.
import type { ChannelRef } from "../core/commands/types.js";
import type {
  AnnouncedVersions,
  DigestBook,
  EditionSummary,
  NewSubscription,
  Subscription,
} from "../core/digest/types.js";
import type { Store } from "../store/store.js";

export class StoreDigestBook implements DigestBook {
  constructor(private readonly store: Store) {}

  subscribe(subscription: NewSubscription): Promise<Subscription> {
    return this.store.putSubscription(subscription);
  }

  unsubscribe(channel: ChannelRef): Promise<boolean> {
    return this.store.deleteSubscription(channel);
  }

  subscription(channel: ChannelRef): Promise<Subscription | undefined> {
    return this.store.getSubscription(channel);
  }

  lastEdition(channel: ChannelRef): Promise<EditionSummary | undefined> {
    return this.store.lastEdition(channel);
  }

  lastDelivered(channel: ChannelRef): Promise<EditionSummary | undefined> {
    return this.store.lastDelivered(channel);
  }

  announced(channel: ChannelRef): Promise<AnnouncedVersions> {
    return this.store.announced(channel);
  }
}
