// Slack installations (one per workspace or org that installed the app) sealed in our Store for Bolt's OAuth, and uninstalls.
import type { AuthorizeResult, Installation, InstallationQuery, InstallationStore } from "@slack/oauth";
import type { Logger } from "../../core/logger.js";
import { slackWorkspacePrefix } from "./channel-ref.js";
import type { SecretBox } from "./secret-box.js";
import type { Store, StoredInstallation } from "../../store/store.js";

/** Pause reasons /digest status shows; a (re)install lifts exactly these, and no pause an editor or another cause set. */
export const UNINSTALLED_REASON = "the app was uninstalled from this workspace; reinstall it to resume";
export const REVOKED_REASON = "the app's access to this workspace was revoked; reinstall it to resume";
export const NOT_INSTALLED_REASON = "the app is not installed in this workspace; install it to resume";
export const TOKEN_REFUSED_REASON =
  "Slack refused this workspace's token (the app was removed or its access revoked); reinstall it to resume";
const LIFTED_BY_INSTALL = [UNINSTALLED_REASON, REVOKED_REASON, NOT_INSTALLED_REASON, TOKEN_REFUSED_REASON];

/** Bolt's authorize (InstallProvider#authorize): fetches the installation and refreshes a token that expires soon. */
export type Authorize = (source: InstallationQuery<boolean>) => Promise<AuthorizeResult>;

/** A workspace's bot token, current and refreshed when rotation is on; undefined when the app is not installed there. */
export type TokenSource = (teamId: string) => Promise<string | undefined>;

/** Where an uninstall or revocation event came from: the envelope's team, and the org for an org-wide install. */
export interface EventScope {
  teamId: string;
  enterpriseId?: string;
  orgWide: boolean;
}

/**
 * Marks installations this store handed out with the installedAt of their row. InstallProvider#authorize saves a
 * refreshed token by spreading the fetched object into storeInstallation, and a spread copies enumerable symbol keys:
 * so a save carrying the mark is a token refresh, never a new install. It must not recreate a row an uninstall deleted
 * meanwhile, overwrite a reinstall that happened meanwhile (a newer installedAt), nor lift pauses.
 */
const FETCHED_FROM = Symbol("installedAt of the row this installation was fetched from");

function fetchedFrom(installation: object): string | undefined {
  const mark = (installation as Record<symbol, unknown>)[FETCHED_FROM];
  return typeof mark === "string" ? mark : undefined;
}

/** "slack:E…" for an org-wide (Enterprise Grid) install, else "slack:T…": one row per installing workspace or org. */
function keyOf(scope: { teamId?: string | undefined; enterpriseId?: string | undefined; orgWide: boolean }): string {
  const id = scope.orgWide ? scope.enterpriseId : scope.teamId;
  if (id === undefined || id === "")
    throw new Error(
      scope.orgWide
        ? "an org-wide Slack installation without an enterprise id"
        : "a Slack installation without a team id",
    );
  return `slack:${id}`;
}

function keyOfInstallation(installation: Installation): string {
  return keyOf({
    teamId: installation.team?.id,
    enterpriseId: installation.enterprise?.id,
    orgWide: installation.isEnterpriseInstall === true,
  });
}

function keyOfQuery(query: InstallationQuery<boolean>): string {
  return keyOf({ teamId: query.teamId, enterpriseId: query.enterpriseId, orgWide: query.isEnterpriseInstall });
}

/**
 * Bolt's InstallationStore over our Store. Installations are sealed (AES-256-GCM, bound to their row's key) before they
 * reach the database, so no token or refresh token is ever stored or logged in plain text.
 */
export class SlackInstallations implements InstallationStore {
  private readonly pendingTokens = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async storeInstallation(installation: Installation): Promise<void> {
    const key = keyOfInstallation(installation);
    const at = this.now().toISOString();
    const existing = await this.store.getInstallation(key);
    const refreshOf = fetchedFrom(installation);
    if (refreshOf !== undefined) {
      if (existing?.installedAt !== refreshOf) {
        this.logger.warn(
          { installation: key },
          "slack installation removed or reinstalled while its token was being refreshed; kept what is stored",
        );
        return;
      }
      // Refresh against refresh (two processes) is last-writer-wins: either token works, and the later is the newer.
      await this.store.putInstallation({
        ...existing,
        sealed: this.box.seal(JSON.stringify(installation), key),
        updatedAt: at,
      });
      this.logger.info({ installation: key }, "slack token refreshed");
      return;
    }
    await this.store.putInstallation({
      key,
      sealed: this.box.seal(JSON.stringify(installation), key),
      installedAt: at,
      updatedAt: at,
    });
    const teamId = installation.team?.id;
    let resumed = 0;
    if (teamId !== undefined) {
      for (const reason of LIFTED_BY_INSTALL)
        resumed += await this.store.resumeChannels(slackWorkspacePrefix(teamId), reason);
    }
    this.logger.info(
      {
        installation: key,
        reinstall: existing !== undefined,
        tokenRotation: installation.bot?.expiresAt !== undefined,
        resumedDigests: resumed,
      },
      "slack app installed",
    );
  }

  /** Throws when there is none, as Bolt expects: its authorize turns that into "not authorized". */
  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const key = keyOfQuery(query);
    const stored = await this.store.getInstallation(key);
    if (stored === undefined) throw new Error(`no Slack installation for ${key}`);
    const installation = this.open(stored);
    Object.defineProperty(installation, FETCHED_FROM, { value: stored.installedAt, enumerable: true });
    return installation;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    await this.store.deleteInstallation(keyOfQuery(query));
  }

  /** app_uninstalled: the tokens are dead, so the installation goes and the workspace's digests pause until a reinstall. */
  async appUninstalled(scope: EventScope): Promise<void> {
    await this.remove(scope, UNINSTALLED_REASON, "slack app uninstalled; the workspace's digests are paused");
  }

  /**
   * tokens_revoked: a revoked bot token ends the installation like an uninstall. Revoked user tokens alone (a person
   * who authorised user scopes left) only drop the user token; the bot keeps working.
   */
  async tokensRevoked(scope: EventScope, tokens: { oauth?: string[]; bot?: string[] }): Promise<void> {
    if ((tokens.bot ?? []).length > 0) {
      await this.remove(scope, REVOKED_REASON, "slack bot token revoked; the workspace's digests are paused");
      return;
    }
    const revokedUsers = tokens.oauth ?? [];
    if (revokedUsers.length === 0) return;
    const key = keyOf(scope);
    const stored = await this.store.getInstallation(key);
    const installation = stored && this.open(stored);
    if (stored === undefined || installation?.user.token === undefined || !revokedUsers.includes(installation.user.id))
      return;
    const withoutUserToken: Installation = {
      ...installation,
      user: { id: installation.user.id, scopes: installation.user.scopes, token: undefined },
    };
    await this.store.putInstallation({
      ...stored,
      sealed: this.box.seal(JSON.stringify(withoutUserToken), key),
      updatedAt: this.now().toISOString(),
    });
    this.logger.info({ installation: key }, "slack user token revoked; dropped it, the bot token stays");
  }

  /**
   * Tokens for the digest poster, through Bolt's authorize so an expiring token is refreshed (and the refreshed
   * installation saved) before it is used. Concurrent posts to one workspace share one look-up, hence one refresh.
   */
  tokenSource(authorize: Authorize): TokenSource {
    return (teamId) => {
      const running = this.pendingTokens.get(teamId);
      if (running !== undefined) return running;
      const lookup = (async () => {
        // authorize() cannot tell "not installed" from a failure, and only the first is a permanent answer.
        if ((await this.store.getInstallation(keyOf({ teamId, orgWide: false }))) === undefined) return undefined;
        const result = await authorize({ teamId, enterpriseId: undefined, isEnterpriseInstall: false });
        return result.botToken;
      })().finally(() => this.pendingTokens.delete(teamId));
      this.pendingTokens.set(teamId, lookup);
      return lookup;
    };
  }

  private async remove(scope: EventScope, reason: string, message: string): Promise<void> {
    const key = keyOf(scope);
    const removed = await this.store.deleteInstallation(key);
    const paused = await this.store.pauseChannels(slackWorkspacePrefix(scope.teamId), reason, this.now().toISOString());
    this.logger.warn({ installation: key, removed, pausedDigests: paused }, message);
  }

  private open(stored: StoredInstallation): Installation {
    // Authenticated encryption: what opens was written by this code for this row, so its shape is ours.
    const installation: unknown = JSON.parse(this.box.open(stored.sealed, stored.key));
    if (typeof installation !== "object" || installation === null)
      throw new Error(`the Slack installation ${stored.key} is not an object`);
    return installation as Installation;
  }
}
