/** One line of an NDJSON body with its 1-based line number; `tooLong` lines carry no text. */
export interface NdjsonLine {
  line: number;
  text: string;
  tooLong?: boolean;
}

/**
 * Splits streamed text into lines (LF or CRLF), skipping blank ones. A line longer than
 * maxLineChars is reported as tooLong and its text dropped, so one runaway line cannot
 * exhaust memory.
 */
export class NdjsonLineSplitter {
  private partial = '';
  private partialTooLong = false;
  private line = 1;

  constructor(private readonly maxLineChars = 1_000_000) {}

  push(chunk: string): NdjsonLine[] {
    const out: NdjsonLine[] = [];
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', start)) {
      this.take(chunk.slice(start, nl));
      this.finishLine(out);
      start = nl + 1;
    }
    if (start < chunk.length) this.take(chunk.slice(start));
    return out;
  }

  end(): NdjsonLine[] {
    const out: NdjsonLine[] = [];
    if (this.partial || this.partialTooLong) this.finishLine(out);
    return out;
  }

  private take(text: string): void {
    if (this.partialTooLong) return;
    if (this.partial.length + text.length > this.maxLineChars) {
      this.partialTooLong = true;
      this.partial = '';
      return;
    }
    this.partial = this.partial ? this.partial + text : text;
  }

  private finishLine(out: NdjsonLine[]): void {
    const text = this.partial.endsWith('\r') ? this.partial.slice(0, -1) : this.partial;
    if (this.partialTooLong) out.push({ line: this.line, text: '', tooLong: true });
    else if (text.trim()) out.push({ line: this.line, text });
    this.partial = '';
    this.partialTooLong = false;
    this.line++;
  }
}
