// How the Slack app authenticates, one object per mode: one workspace's bot token, or each workspace's own from OAuth installs.
import {
  HTTPReceiver,
  type App,
  type AppOptions,
  type Context,
  type EnvelopedEvent,
  type Logger as BoltLogger,
  type LogLevel,
} from "@slack/bolt";
import { errorMessage } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import type { Store } from "../../store/store.js";
import type { SlackPosterAuth } from "./digest-poster.js";
import { slackErrorCode } from "./errors.js";
import { SlackInstallations, type EventScope } from "./installations.js";
import { SlackManagers, type UsersInfoClient } from "./permissions.js";
import { SecretBox } from "./secret-box.js";
import type { SlackOAuthSettings, SlackSettings, SlackTokenSettings } from "./settings.js";

/** The bot scopes config/slack-app-manifest.yaml asks for, requested at each install (a test keeps the two equal). */
export const SLACK_BOT_SCOPES: readonly string[] = [
  "commands",
  "chat:write",
  "users:read",
  "channels:history",
  "groups:history",
];

/** OAuth mode's install link and Slack's redirect back (register https://<host>/slack/oauth_redirect in the app). */
export const SLACK_INSTALL_PATH = "/slack/install";
export const SLACK_REDIRECT_PATH = "/slack/oauth_redirect";

export interface SlackAuth {
  /** What this mode adds to Bolt's App options: the bot token, or a receiver whose installer authorizes each request. */
  readonly appOptions: Partial<AppOptions>;
  /** Called once the App exists: listens to what this mode needs (OAuth: uninstalls), builds the role checks. */
  bind(app: App, track: <T>(work: Promise<T>) => Promise<T>): void;
  /** At start: the single token is checked with an error an operator can act on; OAuth checks each workspace at install. */
  verify(app: App): Promise<{ team?: string }>;
  /** The token for Web API calls made while answering a request in `context`'s workspace (none: the client has it). */
  tokenArgument(context: Context): { token?: string };
  /** Who may manage digests in that workspace (users.info with that workspace's token). */
  managersFor(teamId: string, context: Context): SlackManagers;
  /** How the digest poster gets its token. */
  postingAuth(): SlackPosterAuth;
}

export interface SlackAuthOptions {
  logger: Logger;
  boltLogger: BoltLogger;
  logLevel: LogLevel;
  /** Web API options (SLACK_API_URL, retries) for the installer's own calls. */
  clientOptions: AppOptions["clientOptions"];
  /** User ids who may change digests besides workspace admins and owners (config digest.slackManagers). */
  digestManagers: readonly string[];
  /** OAuth mode: the store that keeps each workspace's installation, sealed with SLACK_INSTALLATION_KEY. */
  store?: Store;
  /** OAuth mode: Slack's authorize page (tests point it at a fake); Slack's own when unset. */
  authorizationUrl?: string;
}

export function slackAuthFor(settings: SlackSettings, options: SlackAuthOptions): SlackAuth {
  return settings.mode === "oauth" ? new OAuthAuth(settings, options) : new TokenAuth(settings, options);
}

/** One workspace: the bot token from the environment signs every call. */
class TokenAuth implements SlackAuth {
  readonly appOptions: Partial<AppOptions>;
  private managers: SlackManagers | undefined;

  constructor(
    private readonly settings: SlackTokenSettings,
    private readonly options: SlackAuthOptions,
  ) {
    this.appOptions = {
      token: settings.botToken,
      ...(settings.mode === "http" && { signingSecret: settings.signingSecret, endpoints: "/slack/events" }),
    };
  }

  bind(app: App): void {
    this.managers = new SlackManagers(app.client, this.options.digestManagers, this.options.logger);
  }

  async verify(app: App): Promise<{ team?: string }> {
    try {
      const identity = await app.client.auth.test();
      return identity.team_id === undefined ? {} : { team: identity.team_id };
    } catch (error) {
      throw new Error(
        `Slack refused the bot token (${slackErrorCode(error) ?? "no answer"}); check SLACK_BOT_TOKEN and that the app is installed.`,
        {
          cause: error,
        },
      );
    }
  }

  tokenArgument(): { token?: string } {
    return {};
  }

  managersFor(): SlackManagers {
    if (this.managers === undefined) throw new Error("Slack auth used before its app was bound");
    return this.managers;
  }

  postingAuth(): SlackPosterAuth {
    return { token: this.settings.botToken };
  }
}

/** Which installation an app_uninstalled or tokens_revoked envelope is about. */
function scopeOf(body: EnvelopedEvent): EventScope {
  const orgWide = body.authorizations?.[0]?.is_enterprise_install === true;
  return {
    teamId: body.team_id,
    orgWide,
    ...(body.enterprise_id !== undefined && { enterpriseId: body.enterprise_id }),
  };
}

/** Many workspaces: each installs through Slack's OAuth flow, and each request carries its workspace's token. */
class OAuthAuth implements SlackAuth {
  readonly appOptions: Partial<AppOptions>;
  private readonly installations: SlackInstallations;
  private readonly receiver: HTTPReceiver;
  private app: App | undefined;
  /** Each workspace's managers check, asking users.info with that workspace's latest token. */
  private readonly workspaceManagers = new Map<string, { token: string; managers: SlackManagers }>();
  /** A request Bolt authorized without a bot token (should not happen) still gets a check, with the app's client. */
  private fallbackManagers: SlackManagers | undefined;

  constructor(
    settings: SlackOAuthSettings,
    private readonly options: SlackAuthOptions,
  ) {
    if (options.store === undefined)
      throw new Error("Slack OAuth mode needs the store that keeps each workspace's installation");
    this.installations = new SlackInstallations(
      options.store,
      SecretBox.fromKeyText(settings.installationKey),
      options.logger.child({ component: "slack-installations" }),
    );
    // Our own receiver, so its InstallProvider's authorize can hand tokens to the digest poster too.
    this.receiver = new HTTPReceiver({
      signingSecret: settings.signingSecret,
      endpoints: "/slack/events",
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      stateSecret: settings.stateSecret,
      scopes: [...SLACK_BOT_SCOPES],
      installationStore: this.installations,
      logger: options.boltLogger,
      logLevel: options.logLevel,
      installerOptions: {
        installPath: SLACK_INSTALL_PATH,
        redirectUriPath: SLACK_REDIRECT_PATH,
        // The install link goes straight to Slack's consent page: this bot has no landing page to show first.
        directInstall: true,
        // The OAuth exchange and token refreshes go to SLACK_API_URL like every other call.
        ...(options.clientOptions !== undefined && { clientOptions: options.clientOptions }),
        ...(options.authorizationUrl !== undefined && { authorizationUrl: options.authorizationUrl }),
      },
    });
    // Without a token Bolt authorizes each request with its workspace's installation, through the receiver's installer.
    this.appOptions = { receiver: this.receiver };
  }

  bind(app: App, track: <T>(work: Promise<T>) => Promise<T>): void {
    this.app = app;
    const installations = this.installations;
    // Bolt acknowledges these before the listener runs and skips authorizing them: the installation may be gone.
    app.event("app_uninstalled", ({ body }) =>
      track(this.onInstallEvent("app_uninstalled", () => installations.appUninstalled(scopeOf(body)))),
    );
    app.event("tokens_revoked", ({ body, event }) =>
      track(this.onInstallEvent("tokens_revoked", () => installations.tokensRevoked(scopeOf(body), event.tokens))),
    );
  }

  /** Uninstall and revocation events are already acknowledged; a failure is logged for an operator to act on. */
  private async onInstallEvent(event: string, handle: () => Promise<void>): Promise<void> {
    try {
      await handle();
    } catch (error) {
      this.options.logger.error(
        { event, err: { message: errorMessage(error) } },
        "slack installation event not handled",
      );
    }
  }

  verify(): Promise<{ team?: string }> {
    return Promise.resolve({});
  }

  tokenArgument(context: Context): { token?: string } {
    return context.botToken !== undefined ? { token: context.botToken } : {};
  }

  /** One check per workspace: its users.info calls carry that workspace's token, its cache its own users. */
  managersFor(teamId: string, context: Context): SlackManagers {
    const app = this.app;
    if (app === undefined) throw new Error("Slack OAuth auth used before its app was bound");
    const token = context.botToken;
    if (token === undefined) {
      this.fallbackManagers ??= new SlackManagers(app.client, this.options.digestManagers, this.options.logger);
      return this.fallbackManagers;
    }
    let workspace = this.workspaceManagers.get(teamId);
    if (workspace === undefined) {
      // app.client with a per-call token, not the listener's pooled client: its rate-limit events are the ones we count.
      const client: UsersInfoClient = {
        users: {
          info: (args) => app.client.users.info({ ...args, token: this.workspaceManagers.get(teamId)?.token ?? token }),
        },
      };
      workspace = { token, managers: new SlackManagers(client, this.options.digestManagers, this.options.logger) };
      this.workspaceManagers.set(teamId, workspace);
    }
    // A rotated token replaces the old one for later calls.
    workspace.token = token;
    return workspace.managers;
  }

  /** Each workspace's token through Bolt's authorize, which refreshes an expiring token and saves it before use. */
  postingAuth(): SlackPosterAuth {
    const installer = this.receiver.installer;
    if (installer === undefined) throw new Error("Slack OAuth mode without its installer");
    return { tokenFor: this.installations.tokenSource((source) => installer.authorize(source)) };
  }
}
