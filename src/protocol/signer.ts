/**
 * Message signing as the connection file asks: HMAC over header, parent header,
 * metadata and content, hex-encoded. An empty key means messages are not signed.
 */
import { createHmac, getHashes, timingSafeEqual } from "node:crypto";
import { ProtocolError } from "./errors";

/** Signs and verifies the four JSON frames of a message. */
export interface Signer {
  /** False when the key is empty: signatures are empty and not checked. */
  readonly enabled: boolean;
  /** The hex signature of the frames (empty string when signing is off). */
  sign(frames: readonly Buffer[]): string;
  /** Checks `signature` against the frames in constant time. */
  verify(signature: string, frames: readonly Buffer[]): boolean;
}

class HmacSigner implements Signer {
  readonly enabled = true;
  constructor(
    private readonly algorithm: string,
    private readonly key: Buffer,
  ) {}

  sign(frames: readonly Buffer[]): string {
    const hmac = createHmac(this.algorithm, this.key);
    for (const frame of frames) hmac.update(frame);
    return hmac.digest("hex");
  }

  verify(signature: string, frames: readonly Buffer[]): boolean {
    const expected = Buffer.from(this.sign(frames), "latin1");
    const given = Buffer.from(signature, "latin1");
    // Length is not secret (it is fixed per algorithm); only compare equal lengths.
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

const nullSigner: Signer = {
  enabled: false,
  sign: () => "",
  verify: () => true,
};

/** The signer for `scheme` (e.g. "hmac-sha256") and `key`; an empty key disables signing. */
export function createSigner(scheme: string, key: string): Signer {
  if (key === "") return nullSigner;
  const match = /^hmac-([a-z0-9-]+)$/i.exec(scheme);
  const algorithm = match?.[1]?.toLowerCase();
  if (!algorithm || !getHashes().includes(algorithm)) {
    throw new ProtocolError(
      `Unsupported signature_scheme ${JSON.stringify(scheme)}; use "hmac-sha256" (any "hmac-<hash>" Node knows works).`,
      "ERR_SPINDLE_PROTOCOL_UNSUPPORTED_SCHEME",
    );
  }
  return new HmacSigner(algorithm, Buffer.from(key, "utf8"));
}
