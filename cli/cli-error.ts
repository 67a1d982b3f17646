/** A problem the person at the terminal can fix (sign in, start the server, fix a flag): printed as one line. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}
