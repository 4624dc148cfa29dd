/**
 * Renders a decoded value with its runtime types, so that a number that became a string, a string that
 * became a number, or an array that lost its brackets shows as a diff (as smithy's contract snapshots).
 */
export function typedSnapshot(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '(array) []';
    return `(array, ${value.length})\n${value.map((v, i) => `${indent}  [${i}] ${typedSnapshot(v, `${indent}  `)}`).join('\n')}`;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) return '(object) {}';
    return `(object)\n${keys.map((k) => `${indent}  ${k}: ${typedSnapshot((value as Record<string, unknown>)[k], `${indent}  `)}`).join('\n')}`;
  }
  return `(${value === null ? 'null' : typeof value}) ${JSON.stringify(value)}`;
}
