/**
 * The longest string a `pattern` can match, when that is knowable simply:
 * every alternative anchored at both ends (`^…$`), built from literals,
 * classes, groups and bounded quantifiers. Anything else is Infinity. Used
 * to see that a maxLength added beside such a pattern rejects nothing.
 */
export function maxPatternLength(pattern: string): number {
  const parser = new LengthParser(pattern);
  try {
    const alternatives = parser.alternatives(true);
    return parser.done() ? longest(alternatives) : Infinity;
  } catch {
    return Infinity;
  }
}

/** Longest strings of the formats whose length is fixed or bounded. */
export const FORMAT_MAX_LENGTH: Readonly<Record<string, number>> = { uuid: 36, ipv4: 15, ipv6: 45, date: 10 };

class Unsupported extends Error {}

const QUANTIFIER = /\{(\d+)(,(\d*))?\}/y;

/** Math.max of a list of any length (spreading a long one would overflow the stack). */
function longest(lengths: readonly number[]): number {
  let max = -Infinity;
  for (const n of lengths) if (n > max) max = n;
  return max;
}

class LengthParser {
  private i = 0;
  constructor(private readonly text: string) {}

  done(): boolean {
    return this.i === this.text.length;
  }

  /** `a|b|c` up to a closing parenthesis or the end; at the top level each alternative must be anchored. */
  alternatives(top: boolean): number[] {
    const lengths: number[] = [];
    for (;;) {
      const start = this.i;
      const length = this.sequence();
      if (top && !(this.text[start] === "^" && this.text[this.i - 1] === "$" && this.text[this.i - 2] !== "\\")) throw new Unsupported();
      lengths.push(length);
      if (this.text[this.i] !== "|") return lengths;
      this.i++;
    }
  }

  private sequence(): number {
    let total = 0;
    while (this.i < this.text.length && this.text[this.i] !== "|" && this.text[this.i] !== ")") {
      total += this.quantified(this.atom());
    }
    return total;
  }

  private atom(): number {
    const c = this.text[this.i++];
    if (c === "^" || c === "$") return 0;
    if (c === "\\") {
      const next = this.text[this.i++];
      if (next === undefined || /[bBu0-9kpP]/.test(next)) throw new Unsupported();
      return 1;
    }
    if (c === "[") {
      while (this.i < this.text.length && this.text[this.i] !== "]") this.i += this.text[this.i] === "\\" ? 2 : 1;
      if (this.text[this.i++] !== "]") throw new Unsupported();
      return 1;
    }
    if (c === "(") {
      if (this.text[this.i] === "?") {
        if (this.text[this.i + 1] !== ":") throw new Unsupported();
        this.i += 2;
      }
      const inner = longest(this.alternatives(false));
      if (this.text[this.i++] !== ")") throw new Unsupported();
      return inner;
    }
    if (c === "*" || c === "+" || c === "?" || c === "{" || c === ")") throw new Unsupported();
    return 1;
  }

  private quantified(length: number): number {
    const c = this.text[this.i];
    let times = 1;
    if (c === "?") { this.i++; times = 1; }
    else if (c === "*" || c === "+") { this.i++; return Infinity; }
    else if (c === "{") {
      QUANTIFIER.lastIndex = this.i; // sticky: no copy of the rest of the pattern per quantifier
      const m = QUANTIFIER.exec(this.text);
      if (m === null) throw new Unsupported();
      this.i += m[0].length;
      if (m[2] !== undefined && m[3] === "") return Infinity;
      times = Number(m[3] ?? m[1]);
    } else return length;
    if (this.text[this.i] === "?") this.i++;
    return length * times;
  }
}
