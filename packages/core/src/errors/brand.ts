// `instanceof` fails across realms and across duplicate copies of the package;
// a registered symbol is shared by all of them.
const KEY = Symbol.for('graphwire.error');

export function brand(target: object, name: string): void {
  Object.defineProperty(target, KEY, { value: name, enumerable: false });
}

export function hasBrand(value: unknown, name: string): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[KEY] === name;
}
