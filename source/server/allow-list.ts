import ipaddr from 'ipaddr.js';
import {FlagError} from '../config/flag-error.js';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Which source addresses may talk to the server (`--allow`). */
export type AllowList = {
  allows(address: string): boolean;
  /** The blocks as given, for the start event and the summary. */
  readonly text: string;
};

const allowed =
  'comma-separated CIDR blocks such as 127.0.0.0/8,192.168.1.0/24,::1/128';

function parseBlock(raw: string, whole: string): Range {
  const block = raw.trim();
  const [address = '', prefix, extra] = block.split('/');
  if (extra !== undefined) {
    throw new FlagError('allow', whole, allowed);
  }

  const isV4 = ipaddr.IPv4.isValidFourPartDecimal(address);
  const isV6 = !isV4 && ipaddr.IPv6.isValid(address);
  if (!isV4 && !isV6) {
    throw new FlagError('allow', whole, allowed);
  }

  const maxBits = isV4 ? 32 : 128;
  // A bare address is a block of one, as a user would mean it.
  const bits = prefix === undefined ? maxBits : Number(prefix);
  if (
    prefix !== undefined &&
    (!/^\d{1,3}$/v.test(prefix) || !Number.isInteger(bits) || bits > maxBits)
  ) {
    throw new FlagError('allow', whole, allowed);
  }

  return [ipaddr.parse(address), bits];
}

/** Parses `--allow`; throws FlagError on anything that is not a list of CIDR blocks. */
export function parseAllowList(text: string): AllowList {
  const blocks = text.split(',').filter((block) => block.trim() !== '');
  if (blocks.length === 0) {
    throw new FlagError('allow', text, allowed);
  }

  const ranges = blocks.map((block) => parseBlock(block, text));
  return {
    text,
    allows(address) {
      let parsed: ipaddr.IPv4 | ipaddr.IPv6;
      try {
        // Process() turns IPv4-mapped IPv6 (::ffff:1.2.3.4) into plain IPv4.
        parsed = ipaddr.process(address.split('%')[0] ?? address);
      } catch {
        return false;
      }

      for (const range of ranges) {
        // An address match from ipaddr.js, not String#match.
        // eslint-disable-next-line unicorn/prefer-regexp-test
        if (range[0].kind() === parsed.kind() && parsed.match(range)) {
          return true;
        }
      }

      return false;
    },
  };
}
