// SecretBox: sealed values round-trip, and altered values, wrong keys, other rows' values and malformed keys are refused.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SecretBox, parseSecretKey } from "../../../src/adapters/slack/secret-box.js";

const KEY = randomBytes(32);
const PLAINTEXT = JSON.stringify({ bot: { token: "xoxb-1-secret-token-value" } });

/** Flips one bit of the base64url part `index` (1: iv, 2: tag, 3: ciphertext) of a sealed value. */
function tampered(sealed: string, index: number): string {
  const parts = sealed.split(":");
  const bytes = Buffer.from(parts[index] ?? "", "base64url");
  bytes[0] = (bytes[0] ?? 0) ^ 1;
  parts[index] = bytes.toString("base64url");
  return parts.join(":");
}

describe("SecretBox", () => {
  it("round-trips, with a fresh IV each time, and never shows the plaintext", () => {
    const box = new SecretBox(KEY);
    const first = box.seal(PLAINTEXT, "slack:T1");
    const second = box.seal(PLAINTEXT, "slack:T1");
    expect(first).toMatch(/^v1:[\w-]{16}:[\w-]{22}:[\w-]+$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain("xoxb");
    expect(box.open(first, "slack:T1")).toBe(PLAINTEXT);
    expect(box.open(second, "slack:T1")).toBe(PLAINTEXT);
  });

  it.each([
    ["the IV", 1],
    ["the tag", 2],
    ["the ciphertext", 3],
  ])("refuses a value whose %s was altered", (_part, index) => {
    const box = new SecretBox(KEY);
    expect(() => box.open(tampered(box.seal(PLAINTEXT), index))).toThrow(
      /does not open: it was altered, or sealed under another key/,
    );
  });

  it("refuses a value sealed under another key, or for another row", () => {
    const sealed = new SecretBox(KEY).seal(PLAINTEXT, "slack:T1");
    expect(() => new SecretBox(randomBytes(32)).open(sealed, "slack:T1")).toThrow(/does not open/);
    expect(() => new SecretBox(KEY).open(sealed, "slack:T2")).toThrow(/does not open/);
  });

  it("refuses what is not a sealed value, and an unknown version, without echoing it", () => {
    const box = new SecretBox(KEY);
    expect(() => box.open("xoxb-plain-token-value")).toThrow(/^not a sealed value$/);
    expect(() => box.open("v1:abc:def")).toThrow(/^not a sealed value$/);
    expect(() => box.open(box.seal(PLAINTEXT).replace(/^v1/, "v9"))).toThrow(
      /^sealed value has an unknown format version$/,
    );
  });

  it("reads the key as base64, URL-safe base64 or hex, and explains a bad one without echoing it", () => {
    expect(parseSecretKey(KEY.toString("base64"))).toEqual(KEY);
    expect(parseSecretKey(KEY.toString("base64url"))).toEqual(KEY);
    expect(parseSecretKey(` ${KEY.toString("hex")}\n`)).toEqual(KEY);
    expect(() => parseSecretKey("secret-key-value-too-short")).toThrow(
      /^must be 32 bytes, but this base64 value holds \d+; generate one with/,
    );
    expect(() => parseSecretKey("my secret key value!")).toThrow(/^must be 32 random bytes written as base64/);
    for (const bad of ["secret-key-value-too-short", "my secret key value!"]) {
      const message = ((): string => {
        try {
          parseSecretKey(bad);
          return "accepted";
        } catch (error) {
          return error instanceof Error ? error.message : String(error);
        }
      })();
      expect(message).not.toContain("key value");
      expect(message).not.toContain("key-value");
    }
    expect(() => new SecretBox(randomBytes(16))).toThrow(/32 bytes/);
  });

  it("keeps the key out of JSON and inspection", async () => {
    const box = SecretBox.fromKeyText(KEY.toString("base64"));
    const { inspect } = await import("node:util");
    expect(JSON.stringify(box)).not.toContain(KEY.toString("base64"));
    expect(inspect(box, { showHidden: true })).not.toContain("Buffer");
  });
});
