/** A target that cannot be opened as asked (unreachable, no credentials, an image that does not start): bad input, one line, exit 2. */
export class TargetOpenError extends Error {}
