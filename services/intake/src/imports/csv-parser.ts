/** One CSV record: the physical line it starts on (1-based) and its fields. */
export interface CsvRecord {
  line: number;
  fields: string[];
  /** Set when the record is malformed; its fields are then unreliable. Never quotes the content. */
  error?: string;
}

/** A record broke a hard cap of the parser; the whole input is refused (a file this shape is not an RMS export). */
export class CsvLimitError extends Error {
  constructor(
    readonly cap: 'fields' | 'fieldChars',
    readonly limit: number,
    readonly line: number,
  ) {
    super(
      cap === 'fields'
        ? `the record on line ${line} has more than ${limit} fields`
        : `a field of the record on line ${line} is longer than ${limit} characters`,
    );
  }
}

/** Caps of one record: characters in all (reported per record), and fields and characters per field (CsvLimitError). */
export interface CsvParserLimits {
  maxRecordChars?: number;
  maxFields?: number;
  maxFieldChars?: number;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: either the first of "" or the closing quote. */
  QuoteInQuoted,
}

/**
 * Incremental RFC 4180 parser: text goes in chunk by chunk (a record, a quote pair or a CRLF
 * may straddle chunks), complete records come out. Quoted fields may hold commas, "" and
 * line breaks; records end at CRLF, LF or CR; blank lines are skipped. Memory is one record,
 * capped at maxRecordChars (a longer record is reported, not buffered); more than maxFields
 * fields or a field over maxFieldChars throws CsvLimitError.
 *
 * Kept rather than csv-parse on purpose: it is about 150 lines with a table-driven spec, it
 * already streams with bounded memory and line numbers, and its messages never quote input,
 * whereas csv-parse's error messages embed the offending characters and field (PHI here)
 * and would each need re-mapping; csv-parse would add a dependency for no new capability.
 */
export class CsvParser {
  private state = State.FieldStart;
  private field = '';
  private fields: string[] = [];
  private line = 1;
  private recordLine = 1;
  private recordChars = 0;
  private recordHasContent = false;
  private error: string | undefined;
  private afterCR = false;

  private readonly maxRecordChars: number;
  private readonly maxFields: number;
  private readonly maxFieldChars: number;

  constructor({ maxRecordChars = 1_000_000, maxFields = Infinity, maxFieldChars = Infinity }: CsvParserLimits = {}) {
    this.maxRecordChars = maxRecordChars;
    this.maxFields = maxFields;
    this.maxFieldChars = maxFieldChars;
  }

  /** Feeds the next chunk of text; returns the records it completed. */
  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    const n = chunk.length;
    // Start of a run of plain field characters in this chunk, copied out in one slice.
    let run = this.state === State.Unquoted || this.state === State.Quoted ? 0 : -1;
    const flushRun = (end: number): void => {
      if (run >= 0 && end > run) this.append(chunk.slice(run, end));
      run = -1;
    };
    for (let i = 0; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (this.afterCR) {
        this.afterCR = false;
        if (c === LF) continue; // the LF of a CRLF whose CR already ended the record
      }
      switch (this.state) {
        case State.FieldStart:
          if (c === QUOTE) {
            this.state = State.Quoted;
            this.recordHasContent = true;
            run = i + 1;
          } else if (c === COMMA) {
            this.recordHasContent = true;
            this.endField();
          } else if (c === CR || c === LF) {
            this.endRecord(out, c);
          } else {
            this.state = State.Unquoted;
            this.recordHasContent = true;
            run = i;
          }
          break;
        case State.Unquoted:
          if (c === COMMA) {
            flushRun(i);
            this.endField();
          } else if (c === CR || c === LF) {
            flushRun(i);
            this.endRecord(out, c);
          }
          break;
        case State.Quoted:
          if (c === QUOTE) {
            flushRun(i);
            this.state = State.QuoteInQuoted;
          } else if (c === LF) {
            this.line++;
          }
          break;
        case State.QuoteInQuoted:
          if (c === QUOTE) {
            this.append('"');
            this.state = State.Quoted;
            run = i + 1;
          } else if (c === COMMA) {
            this.endField();
          } else if (c === CR || c === LF) {
            this.endRecord(out, c);
          } else {
            this.error ??= 'malformed quoted field: text after the closing quote';
            this.state = State.Unquoted;
            run = i;
          }
          break;
      }
    }
    flushRun(n);
    return out;
  }

  /** Ends the input; returns the last record if the text did not end with a line break. */
  end(): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (this.state === State.Quoted) this.error ??= 'unterminated quoted field';
    if (this.recordHasContent || this.fields.length > 0) this.emit(out);
    return out;
  }

  private append(text: string): void {
    this.recordChars += text.length;
    if (this.field.length + text.length > this.maxFieldChars)
      throw new CsvLimitError('fieldChars', this.maxFieldChars, this.recordLine);
    if (this.recordChars > this.maxRecordChars) {
      this.error ??= `record longer than ${this.maxRecordChars} characters`;
      return;
    }
    this.field += text;
  }

  private endField(): void {
    this.fields.push(this.field);
    // A separator means one more field follows.
    if (this.fields.length >= this.maxFields) throw new CsvLimitError('fields', this.maxFields, this.recordLine);
    this.field = '';
    this.state = State.FieldStart;
  }

  private endRecord(out: CsvRecord[], terminator: number): void {
    if (this.recordHasContent || this.fields.length > 0) this.emit(out);
    else this.resetRecord();
    this.line++;
    this.recordLine = this.line;
    if (terminator === CR) this.afterCR = true;
  }

  private emit(out: CsvRecord[]): void {
    this.fields.push(this.field);
    out.push(
      this.error
        ? { line: this.recordLine, fields: this.fields, error: this.error }
        : { line: this.recordLine, fields: this.fields },
    );
    this.resetRecord();
  }

  private resetRecord(): void {
    this.fields = [];
    this.field = '';
    this.state = State.FieldStart;
    this.recordChars = 0;
    this.recordHasContent = false;
    this.error = undefined;
  }
}
