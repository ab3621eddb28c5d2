/**
 * The string formats igluc's validators check (JSON Schema draft-04's, and
 * those Iglu schemas use beyond it), small and dependent on nothing: ajv's
 * standalone code calls `formats[name].validate(value)`. They agree with
 * ajv-formats' "full" mode on the cases test/runtime/validation.test.ts
 * lists. A format not named here is not checked (as ajv does with
 * `strict: false`).
 */

export interface FormatCheck {
  readonly type: "string";
  validate(value: string): boolean;
}

const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DATE = /^(\d\d\d\d)-(\d\d)-(\d\d)$/;
const TIME = /^(\d\d):(\d\d):(\d\d(?:\.\d+)?)(z|([+-])(\d\d)(?::?(\d\d))?)?$/i;

function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function isDate(value: string): boolean {
  const m = DATE.exec(value);
  if (m === null) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && isLeap(year) ? 29 : DAYS[month]!);
}

/** `hh:mm:ss[.fff]` and a zone (`Z`, `+hh:mm`); the zone is required when `zone` is. */
function isTime(value: string, zone: boolean): boolean {
  const m = TIME.exec(value);
  if (m === null || (zone && m[4] === undefined)) return false;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  const second = Number(m[3]);
  const zoneHour = Number(m[6] ?? 0);
  const zoneMinute = Number(m[7] ?? 0);
  if (zoneHour > 23 || zoneMinute > 59) return false;
  if (hour <= 23 && minute <= 59 && second < 60) return true;
  // A leap second: 23:59:60 in UTC.
  const sign = m[5] === "-" ? -1 : 1;
  const utcMinute = minute - sign * zoneMinute;
  const utcHour = hour - sign * zoneHour - (utcMinute < 0 ? 1 : 0);
  return (utcHour === 23 || utcHour === -1) && (utcMinute === 59 || utcMinute === -1) && second < 61;
}

function isDateTime(value: string): boolean {
  const at = value.search(/[tT ]/);
  return at > 0 && isDate(value.slice(0, at)) && isTime(value.slice(at + 1), true);
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

function isHostname(value: string): boolean {
  return value.length <= 253 && value.split(".").every((label) => LABEL.test(label));
}

const LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/i;

function isEmail(value: string): boolean {
  const at = value.lastIndexOf("@");
  if (at <= 0) return false;
  const domain = value.slice(at + 1);
  // At least two labels, as ajv-formats asks.
  return LOCAL.test(value.slice(0, at)) && domain.includes(".") && domain.split(".").every((label) => LABEL.test(label));
}

const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);
const HEXTET = /^[0-9a-f]{1,4}$/i;

function isIpv6(value: string): boolean {
  let text = value;
  let groups = 8;
  // An IPv4 address may end it, counting for two groups.
  const lastColon = text.lastIndexOf(":");
  if (lastColon >= 0 && text.slice(lastColon + 1).includes(".")) {
    if (!IPV4.test(text.slice(lastColon + 1))) return false;
    text = `${text.slice(0, lastColon + 1)}0`;
    groups = 7;
  }
  const halves = text.split("::");
  if (halves.length > 2) return false;
  const parts = (half: string): string[] | undefined => (half === "" ? [] : half.split(":"));
  const head = parts(halves[0]!);
  const tail = halves.length === 2 ? parts(halves[1]!) : [];
  if (head === undefined || tail === undefined) return false;
  if (![...head, ...tail].every((g) => HEXTET.test(g))) return false;
  const count = head.length + tail.length;
  return halves.length === 2 ? count < groups : count === groups;
}

/** RFC 3986, loosely: a scheme, then characters a URI may hold (percent escapes well-formed). */
const URI = /^[a-z][a-z0-9+.-]*:(?:[a-z0-9\-._~!$&'()*+,;=:@/?#[\]]|%[0-9a-f]{2})*$/i;
const URI_REFERENCE = /^(?:[a-z0-9\-._~!$&'()*+,;=:@/?#[\]]|%[0-9a-f]{2})*$/i;
const UUID = /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

function isRegex(value: string): boolean {
  try {
    new RegExp(value, "u");
    return true;
  } catch {
    return false;
  }
}

const check = (validate: (value: string) => boolean): FormatCheck => ({ type: "string", validate });

/** Format name → its check. Frozen, without a prototype: a format's name is never looked up in Object.prototype. */
export const formats: Readonly<Record<string, FormatCheck>> = Object.freeze(Object.assign(Object.create(null) as Record<string, FormatCheck>, {
  "date-time": check(isDateTime),
  date: check(isDate),
  time: check((value) => isTime(value, true)),
  email: check(isEmail),
  hostname: check(isHostname),
  ipv4: check((value) => IPV4.test(value)),
  ipv6: check(isIpv6),
  uri: check((value) => URI.test(value)),
  "uri-reference": check((value) => URI_REFERENCE.test(value)),
  uuid: check((value) => UUID.test(value)),
  regex: check(isRegex),
}));

/** The names of the formats checked, for the generator (a format it does not find here is left unchecked). */
export const FORMAT_NAMES: readonly string[] = Object.freeze(Object.keys(formats));
