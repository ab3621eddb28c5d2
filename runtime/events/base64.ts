/**
 * URL-safe base64 without padding, of the UTF-8 bytes of `text` (as the Node
 * tracker sends). `scratch` saves allocating a buffer per call when the text fits.
 */
export function base64Url(text: string, scratch?: Buffer): string {
  if (scratch !== undefined && text.length * 3 <= scratch.length) {
    return scratch.toString("base64url", 0, scratch.write(text, 0, "utf8"));
  }
  return Buffer.from(text, "utf8").toString("base64url");
}
