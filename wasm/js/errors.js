// Errors of the callsight package (shared by the engine and the worker client).

/** Some input file was rejected. `report` is the report of the other files (the
 * CLI's stdout); `messages` are the problems found, one line each (the CLI's
 * stderr), e.g. "bad.json: line 1: invalid JSON: ...". */
export class CallsightInputError extends Error {
  constructor(messages, report) {
    const rejected = report.inputs.filter((i) => i.status === 'rejected').map((i) => i.name);
    super(`callsight: ${rejected.length} input file${rejected.length === 1 ? '' : 's'} rejected ` +
      `(${rejected.join(', ')})${messages.length ? `: ${messages[0]}` : ''}`);
    this.name = 'CallsightInputError';
    this.messages = messages;
    this.report = report;
  }
}

/** The analysis configuration is invalid (the message names the field). */
export class CallsightConfigError extends Error {
  constructor(message) {
    super(message);
    this.name = 'CallsightConfigError';
  }
}

/** A fleet table could not be read, or the summary's option is wrong: the
 * message names the table file and line of the bad row (e.g. "issues.ndjson:
 * line 3: ..."), or the bad `since`. */
export class CallsightTableError extends Error {
  constructor(message) {
    super(message);
    this.name = 'CallsightTableError';
  }
}
