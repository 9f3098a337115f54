/**
 * Pure: text that XML 1.0 can carry. Removes the control characters it forbids and lone surrogates.
 */

/** Characters XML 1.0 forbids, and lone surrogates. */
const ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** The same control characters, without the surrogate look-arounds that make ILLEGAL slow on long text. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

export function cleanText(value: string): string {
  // Almost every string is already clean: two fast scans, and the slow pattern only when one of them fails.
  if (!CONTROL.test(value) && value.isWellFormed()) return value;
  return value.replace(ILLEGAL, '');
}
