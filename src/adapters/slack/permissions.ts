// Who may change a channel's digest on Slack: workspace admins and owners (users.info), plus user ids listed in config.
import type { Logger } from "../../core/logger.js";
import { errorMessage } from "../../core/errors.js";

/** The part of the Web API client this needs: users.info (scope users:read). */
export interface UsersInfoClient {
  users: {
    info(args: {
      user: string;
    }): Promise<{ user?: { is_admin?: boolean; is_owner?: boolean; is_primary_owner?: boolean } }>;
  };
}

const CACHE_MS = 5 * 60_000;

export class SlackManagers {
  private readonly cache = new Map<string, { may: boolean; until: number }>();

  constructor(
    private readonly client: UsersInfoClient,
    private readonly listed: readonly string[],
    private readonly logger: Logger,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Never throws: when Slack cannot say, the answer is no, and the person is told who may. */
  async mayManage(userId: string): Promise<boolean> {
    if (this.listed.includes(userId)) return true;
    const cached = this.cache.get(userId);
    if (cached && cached.until > this.now()) return cached.may;
    try {
      const { user } = await this.client.users.info({ user: userId });
      const may = user?.is_admin === true || user?.is_owner === true || user?.is_primary_owner === true;
      // Roles change rarely; a few minutes of cache spares a Web API call per /digest command.
      this.cache.set(userId, { may, until: this.now() + CACHE_MS });
      return may;
    } catch (error) {
      this.logger.warn(
        { user: userId, reason: errorMessage(error) },
        "could not check a Slack user's role for /digest; treating them as a member",
      );
      return false;
    }
  }
}
