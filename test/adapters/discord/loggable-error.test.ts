// Errors from discord.js are logged without the interaction token their request URL carries.
import { DiscordAPIError } from "discord.js";
import { describe, expect, it } from "vitest";
import { loggableError, scrubDiscordUrl } from "../../../src/adapters/discord/loggable-error.js";

describe("loggableError", () => {
  it("blanks the token in interaction callback and webhook URLs", () => {
    expect(
      scrubDiscordUrl(
        "https://discord.com/api/v10/interactions/1310000000000000001/aW50ZXJhY3Rpb24.tok/callback?with_response=false",
      ),
    ).toBe("https://discord.com/api/v10/interactions/1310000000000000001/[redacted]/callback?with_response=false");
    expect(
      scrubDiscordUrl(
        "https://discord.com/api/v10/webhooks/1187654321098765432/aW50ZXJhY3Rpb24.tok/messages/@original",
      ),
    ).toBe("https://discord.com/api/v10/webhooks/1187654321098765432/[redacted]/messages/@original");
  });

  it("keeps Discord's status, code and message, and drops the request body", () => {
    const error = new DiscordAPIError(
      { code: 50035, message: "Invalid Form Body" },
      50035,
      400,
      "POST",
      "https://discord.com/api/v10/webhooks/1187654321098765432/secret-token-value",
      { body: { embeds: [] } },
    );
    const logged = loggableError(error);
    expect(logged).toMatchObject({
      type: "DiscordAPIError[50035]",
      status: 400,
      code: 50035,
      method: "POST",
      message: "Invalid Form Body",
    });
    expect(JSON.stringify(logged)).not.toContain("secret-token-value");
    expect(logged).not.toHaveProperty("requestBody");
  });

  it("passes anything that is not an Error through unchanged", () => {
    expect(loggableError("plain text")).toBe("plain text");
  });
});
