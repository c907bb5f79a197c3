// Authenticated encryption of values kept at rest (Slack installations and their tokens): AES-256-GCM under an operator's key.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const FORMAT_VERSION = "v1";
const KEY_BYTES = 32;
/** GCM's recommended nonce size; a random one per value, so a key can seal billions of values before repeats matter. */
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HOW_TO_MAKE_ONE = "generate one with: openssl rand -base64 32";

/**
 * Reads a 32-byte key written as 64 hex characters or as base64 (standard or URL-safe, padded or not).
 * Errors describe the problem only: the value is a secret and the message may reach a log or a terminal.
 */
export function parseSecretKey(text: string): Buffer {
  const trimmed = text.trim();
  // Hex first: 64 hex characters are also valid base64, of the wrong length.
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, "hex");
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    if (bytes.length === KEY_BYTES) return bytes;
    throw new Error(`must be ${KEY_BYTES} bytes, but this base64 value holds ${bytes.length}; ${HOW_TO_MAKE_ONE}`);
  }
  throw new Error(
    `must be ${KEY_BYTES} random bytes written as base64 (44 characters) or hex (64 characters); ${HOW_TO_MAKE_ONE}`,
  );
}

function encode(bytes: Buffer): string {
  return bytes.toString("base64url");
}

/**
 * Seals text as "v1:<iv>:<tag>:<ciphertext>" (base64url parts). `context` (e.g. the row's key) is authenticated but not
 * stored: a sealed value copied under another key does not open, so rows cannot be swapped in the database.
 */
export class SecretBox {
  // A #private field stays out of JSON.stringify and util.inspect, so logging this object cannot print the key.
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== KEY_BYTES) throw new Error(`an AES-256 key is ${KEY_BYTES} bytes, not ${key.length}`);
    this.#key = Buffer.from(key);
  }

  /** From the key as configured (base64 or hex); see parseSecretKey. */
  static fromKeyText(text: string): SecretBox {
    return new SecretBox(parseSecretKey(text));
  }

  seal(plaintext: string, context = ""): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, "utf8"));
    const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return [FORMAT_VERSION, encode(iv), encode(cipher.getAuthTag()), encode(ciphertext)].join(":");
  }

  /** Throws when the value was altered, sealed under another key or context, or is not a sealed value at all. */
  open(sealed: string, context = ""): string {
    const parts = sealed.split(":");
    if (parts[0] !== FORMAT_VERSION) {
      throw new Error(parts.length === 4 ? "sealed value has an unknown format version" : "not a sealed value");
    }
    const [, ivText = "", tagText = "", ciphertextText = ""] = parts;
    const iv = Buffer.from(ivText, "base64url");
    const tag = Buffer.from(tagText, "base64url");
    if (parts.length !== 4 || iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error("not a sealed value");
    const decipher = createDecipheriv("aes-256-gcm", this.#key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(Buffer.from(ciphertextText, "base64url")), decipher.final()]).toString(
        "utf8",
      );
    } catch {
      throw new Error("sealed value does not open: it was altered, or sealed under another key or for another row");
    }
  }
}
