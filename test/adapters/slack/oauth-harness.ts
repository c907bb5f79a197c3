// The Slack adapter in OAuth mode on a fake Slack, for the OAuth tests: the app's secrets, starting it, installing it.
import type { SlackOAuthSettings } from "../../../src/adapters/platform-settings.js";
import { SlackAdapter } from "../../../src/adapters/slack/slack-adapter.js";
import type { ContentIndex } from "../../../src/core/content/model.js";
import type { Logger } from "../../../src/core/logger.js";
import type { DigestSettings } from "../../../src/core/digest/types.js";
import { StoreDigestBook } from "../../../src/scheduler/digest-book.js";
import type { Store } from "../../../src/store/store.js";
import type { FakeSlack } from "../../fakes/slack.js";
import { adapterDeps } from "../../helpers.js";

export const CLIENT_ID = "1234567890123.9876543210987";
export const CLIENT_SECRET = "c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6";
export const SIGNING_SECRET = "5e8ff9bf55ba3508199d22e984129be6";
export const STATE_SECRET = "state-secret-6f1ed002ab5595859014ebf0951522d9";
export const INSTALLATION_KEY = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=";
export const DIGESTS: DigestSettings = {
  defaultTime: "08:00",
  defaultTimeZone: "UTC",
  catchUpMinutes: 180,
  quietDays: "post",
  catchUpItems: 3,
};

/**
 * Registers the app with `fake` and starts the adapter in OAuth mode on a free port, its redirect URL told to the fake.
 * `answerInAckWithinMs: 0` sends every answer through the response URL.
 */
export async function startOAuthAdapter(options: {
  fake: FakeSlack;
  store: Store;
  logger: Logger;
  content: ContentIndex;
  answerInAckWithinMs?: number;
}): Promise<SlackAdapter> {
  const { fake, store, logger, content } = options;
  fake.registerApp(CLIENT_ID, CLIENT_SECRET);
  const settings: SlackOAuthSettings = {
    mode: "oauth",
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    signingSecret: SIGNING_SECRET,
    stateSecret: STATE_SECRET,
    installationKey: INSTALLATION_KEY,
    apiUrl: fake.apiUrl,
    port: 0,
  };
  const adapter = new SlackAdapter(
    settings,
    adapterDeps({
      content: () => content,
      settings: { timeZone: "UTC", defaultVisibility: "private", maxInputLength: 200 },
      logger: logger.child({ adapter: "slack" }),
      digests: { book: new StoreDigestBook(store), settings: DIGESTS },
    }),
    {
      host: "127.0.0.1",
      logLevel: "debug",
      retryConfig: { retries: 0 },
      store,
      authorizationUrl: fake.authorizeUrl,
      ...(options.answerInAckWithinMs !== undefined && { answerInAckWithinMs: options.answerInAckWithinMs }),
    },
  );
  await adapter.start();
  fake.redirectUrl = `http://127.0.0.1:${adapter.port ?? 0}/slack/oauth_redirect`;
  return adapter;
}

/**
 * The OAuth install flow as a browser runs it, approved as `teamId`: the install link, the consent page and the
 * redirect back with the state cookie. Returns the redirect's answer, the consent page's URL and the cookie.
 */
export async function installThroughOAuth(
  fake: FakeSlack,
  adapter: SlackAdapter,
  teamId: string,
): Promise<{ response: Response; start: Response; approved: Response; authorizeUrl: URL; cookie: string }> {
  fake.approveAs(teamId);
  const start = await fetch(`http://127.0.0.1:${adapter.port ?? 0}/slack/install`, { redirect: "manual" });
  const cookie = (start.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const authorizeUrl = new URL(start.headers.get("location") ?? "");
  const approved = await fetch(authorizeUrl, { redirect: "manual" });
  const response = await fetch(approved.headers.get("location") ?? "", { headers: { cookie }, redirect: "manual" });
  return { response, start, approved, authorizeUrl, cookie };
}
