/** Characters of reply text shown on a heartbeat line; a reply may be up to 1024 bytes. */
export const maxReplyChars = 100;

const strictUtf8 = new TextDecoder('utf-8', {fatal: true});

// Control, format (bidi overrides, zero-width) and line/paragraph separators could move the
// cursor or reorder the line in a terminal: they are shown escaped instead.
const unsafe = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/v;

function escapeCharacter(character: string): string {
  switch (character) {
    case '\t': {
      return String.raw`\t`;
    }

    case '\n': {
      return String.raw`\n`;
    }

    case '\r': {
      return String.raw`\r`;
    }

    default: {
      const code = character.codePointAt(0) ?? 0;
      const hex = code.toString(16);
      return code <= 0xff
        ? String.raw`\x${hex.padStart(2, '0')}`
        : String.raw`\u{${hex}}`;
    }
  }
}

function escapeByte(byte: number): string {
  return byte >= 0x20 && byte < 0x7f
    ? String.fromCodePoint(byte)
    : String.raw`\x${byte.toString(16).padStart(2, '0')}`;
}

/**
 * A reply as one safe, short line: UTF-8 text with anything that could disturb the terminal
 * escaped, or, when the reply is not UTF-8, printable ASCII with every other byte as `\xNN`.
 * Longer replies end with `…`.
 */
export function printableReply(
  payload: Uint8Array,
  maxChars = maxReplyChars,
): string {
  let pieces: string[];
  try {
    pieces = [...strictUtf8.decode(payload)].map((character) =>
      unsafe.test(character) ? escapeCharacter(character) : character,
    );
  } catch {
    pieces = Array.from(payload, (byte) => escapeByte(byte));
  }

  let text = '';
  for (const piece of pieces) {
    // Whole escapes only: half of `\x1b` would read as something else.
    if (text.length + piece.length > maxChars) {
      return `${text}…`;
    }

    text += piece;
  }

  return text;
}

const integerToken = /^\d{1,16}$/v;

/**
 * The sequence number a reply names, when it names one: an echo (`PING 5 …`, `5\t2026-…`) or a
 * JSON reply (`{"seq":5,…}`). Seed replies carry none, and then this is undefined.
 */
export function sequenceInReply(payload: Uint8Array): number | undefined {
  // The number is near the start; a long reply need not be decoded whole.
  const text = Buffer.from(payload.subarray(0, 128)).toString('utf8').trim();
  if (text.startsWith('{')) {
    try {
      const reply: unknown = JSON.parse(Buffer.from(payload).toString('utf8'));
      return typeof reply === 'object' &&
        reply !== null &&
        'seq' in reply &&
        typeof reply.seq === 'number' &&
        Number.isSafeInteger(reply.seq)
        ? reply.seq
        : undefined;
    } catch {
      return undefined;
    }
  }

  const [first, second] = text.split(/[\t ]+/v, 2);
  if (first !== undefined && integerToken.test(first)) {
    return Number(first);
  }

  return second !== undefined && integerToken.test(second)
    ? Number(second)
    : undefined;
}
