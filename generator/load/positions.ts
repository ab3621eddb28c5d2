/**
 * Where values start in a JSON text. The parser records only start offsets,
 * in a tree that mirrors the containers; lines and columns are worked out on
 * demand from a table of line starts built once. Offsets index the text as
 * given (BOM included); lines and columns are 1-based, columns count UTF-16
 * code units, a tab counts as one column and the BOM does not count. CR, LF
 * and CRLF all end a line.
 */

export interface Position {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}


/** A leaf is the value's start offset; a container records its start and its children (by key for objects, by index for arrays). */
export type PositionNode = number | Container;

export class Container {
  constructor(
    readonly start: number,
    readonly children: Map<string, PositionNode> | PositionNode[],
  ) {}
}

export function startOf(node: PositionNode): number {
  return typeof node === "number" ? node : node.start;
}

export class LineTable {
  private readonly starts: number[];

  constructor(text: string, firstLineStart: number) {
    const starts = [firstLineStart];
    let i = text.indexOf("\n", firstLineStart);
    // Fast path for LF-only text; CR is rare in schema files.
    if (text.indexOf("\r", firstLineStart) === -1) {
      while (i !== -1) {
        starts.push(i + 1);
        i = text.indexOf("\n", i + 1);
      }
    } else {
      for (let j = firstLineStart; j < text.length; j++) {
        const c = text.charCodeAt(j);
        if (c === 0x0a || (c === 0x0d && text.charCodeAt(j + 1) !== 0x0a)) starts.push(j + 1);
      }
    }
    this.starts = starts;
  }

  position(offset: number): Position {
    const starts = this.starts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    const lineStart = starts[low] ?? 0;
    return { line: low + 1, column: Math.max(offset - lineStart, 0) + 1, offset };
  }
}

