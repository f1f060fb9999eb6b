export interface CsvRecord {
  fields: string[];
  /** 1-based line on which the record starts. */
  line: number;
}

export class CsvSyntaxError extends Error {
  override readonly name = 'CsvSyntaxError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/**
 * An incremental RFC 4180 parser: quoted fields may hold commas, doubled quotes and line breaks;
 * `\r\n` and `\n` both end records. Feed it chunks with `push`, then call `end`.
 */
export class CsvParser {
  private field = '';
  private fields: string[] = [];
  private inQuotes = false;
  /** Just read a quote inside a quoted field: either its end or the first of a doubled pair. */
  private quotePending = false;
  private afterQuoted = false;
  private line = 1;
  private recordLine = 1;
  /** The line the current field began on: where errors about it point. */
  private fieldLine = 1;
  private pendingCarriageReturn = false;

  constructor(private readonly delimiter = ',') {}

  /** Parses `chunk`, calling `emit` for each complete record. */
  push(chunk: string, emit: (record: CsvRecord) => void): void {
    const delimiter = this.delimiter;
    let runStart = 0;
    let i = 0;
    const flushRun = () => {
      if (i > runStart) this.field += chunk.slice(runStart, i);
    };
    // Where the next line break at or after `i` is (-1: none in the chunk), found once per break, so
    // counting the lines inside quoted fields stays linear however the fields are laid out.
    let nextBreak = -2;
    for (; i < chunk.length; i++) {
      if (this.inQuotes && !this.quotePending) {
        // Inside a quoted field only a quote matters: jump to it (a native scan, not a loop in JS),
        // counting the line breaks passed.
        const quote = chunk.indexOf('"', i);
        const stop = quote < 0 ? chunk.length : quote;
        for (;;) {
          if (nextBreak !== -1 && nextBreak < i) nextBreak = chunk.indexOf('\n', i);
          if (nextBreak === -1 || nextBreak >= stop) break;
          this.line++;
          i = nextBreak + 1;
        }
        if (quote < 0) {
          i = chunk.length;
          break;
        }
        i = quote;
      }
      const c = chunk[i];
      if (this.pendingCarriageReturn) {
        this.pendingCarriageReturn = false;
        if (c === '\n') {
          runStart = i + 1;
          continue;
        }
      }
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (c === '"') {
            this.field += '"';
            runStart = i + 1;
            continue;
          }
          this.inQuotes = false;
          this.afterQuoted = true;
          runStart = i;
        } else if (c === '"') {
          flushRun();
          this.quotePending = true;
          runStart = i + 1;
          continue;
        } else {
          if (c === '\n') this.line++;
          continue;
        }
      }
      if (c === delimiter) {
        flushRun();
        this.endField();
        this.fieldLine = this.line;
        runStart = i + 1;
      } else if (c === '\n' || c === '\r') {
        flushRun();
        this.endField();
        emit({ fields: this.fields, line: this.recordLine });
        this.fields = [];
        this.line++;
        this.recordLine = this.line;
        this.fieldLine = this.line;
        this.pendingCarriageReturn = c === '\r';
        runStart = i + 1;
      } else if (c === '"') {
        if (this.field !== '' || i > runStart || this.afterQuoted) {
          throw new CsvSyntaxError('a quote inside an unquoted field', this.fieldLine);
        }
        this.inQuotes = true;
        runStart = i + 1;
      } else if (this.afterQuoted) {
        throw new CsvSyntaxError('characters after a closing quote', this.fieldLine);
      }
    }
    if (!this.quotePending) flushRun();
  }

  /** Ends the input: emits the last record if it had no line break. */
  end(emit: (record: CsvRecord) => void): void {
    if (this.inQuotes && !this.quotePending) {
      throw new CsvSyntaxError('a quoted field is never closed', this.fieldLine);
    }
    this.inQuotes = false;
    this.quotePending = false;
    if (this.field !== '' || this.fields.length > 0 || this.afterQuoted) {
      this.endField();
      emit({ fields: this.fields, line: this.recordLine });
      this.fields = [];
    }
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.afterQuoted = false;
  }
}
