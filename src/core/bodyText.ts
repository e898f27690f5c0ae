// Whether a body is text, for the auth gateway that passes bodies on both ways: text (JSON, XML, text/*, a form, or
// no type at all) that is valid UTF-8 is read and rewritten as text; anything else travels as the bytes it is.

/** A Content-Type whose body is text: JSON, XML, text/*, JavaScript, a URL-encoded form (any `+json` / `+xml`). */
export function isTextType(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return /^text\/|[/+](json|xml)$|^application\/(javascript|x-www-form-urlencoded|x-ndjson)$/.test(type);
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The bytes as UTF-8 text (a byte-order mark kept, so the text encodes back to the same bytes), or null when not UTF-8. */
export function utf8OrNull(bytes: Uint8Array): string | null {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * The body as text when it is text: a text Content-Type (or none) and valid UTF-8, so that decoding and encoding it
 * again gives the same bytes. null: a binary body (an image, gzip, octet-stream) or text in another charset.
 */
export function textOfBody(contentType: string | undefined, bytes: Uint8Array): string | null {
  if (contentType?.trim() && !isTextType(contentType)) return null;
  return utf8OrNull(bytes);
}
