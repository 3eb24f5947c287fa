import type { ImageInput } from "../contracts/messages.ts";
import { UserInputError } from "../contracts/errors.ts";

/** Images one message may carry, and the size of each as base64 (Claude's limit per image is 5 MB, counted so). */
export const maxImagesPerMessage = 4;
export const maxImageBytes = 5 * 1024 * 1024;

export const imageMediaTypes = ["image/png", "image/jpeg", "image/gif", "image/webp"] as const;

/** What each format's first bytes are: a file whose bytes say otherwise is refused, not sent on. */
const signatures: Record<ImageInput["mediaType"], (bytes: Buffer) => boolean> = {
  "image/png": (bytes) => bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  "image/jpeg": (bytes) => bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff,
  "image/gif": (bytes) =>
    bytes.subarray(0, 6).toString("latin1") === "GIF87a" || bytes.subarray(0, 6).toString("latin1") === "GIF89a",
  "image/webp": (bytes) =>
    bytes.subarray(0, 4).toString("latin1") === "RIFF" && bytes.subarray(8, 12).toString("latin1") === "WEBP",
};

/**
 * Checks a message's images before any model sees them: at most four, a known format whose bytes are
 * that format, valid base64, at most 5 MB of base64 each. Throws INPUT_MALFORMED or INPUT_TOO_LARGE.
 */
export function checkImages(images: readonly ImageInput[]): ImageInput[] {
  if (images.length > maxImagesPerMessage)
    throw new UserInputError(
      "INPUT_TOO_LARGE",
      `A message may carry ${maxImagesPerMessage} images; this one has ${images.length}.`,
    );
  return images.map((image, index) => {
    const where = `Image ${index + 1}`;
    if (!imageMediaTypes.includes(image.mediaType))
      throw new UserInputError(
        "INPUT_MALFORMED",
        `${where}: ${JSON.stringify(image.mediaType)} is not an image type this server passes on (${imageMediaTypes.join(", ")}).`,
      );
    const data = image.data.replace(/\s+/g, "");
    if (data.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(data) || data.length % 4 !== 0)
      throw new UserInputError("INPUT_MALFORMED", `${where}: its data is not base64.`);
    if (data.length > maxImageBytes)
      throw new UserInputError(
        "INPUT_TOO_LARGE",
        `${where} has ${data.length} bytes of base64; the limit is ${maxImageBytes}.`,
      );
    if (!signatures[image.mediaType](Buffer.from(data.slice(0, 16), "base64")))
      throw new UserInputError("INPUT_MALFORMED", `${where}: its bytes are not ${image.mediaType}.`);
    return { mediaType: image.mediaType, data };
  });
}
