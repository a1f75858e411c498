/**
 * A small OData $filter evaluator: comparisons (eq, ne, gt, ge, lt, le) of a
 * property path with a literal, combined with and/or/not and parentheses.
 * Enough for the anchor's mobileApps filter (HAR fetchManagedApplications):
 *
 *   (isAssigned eq true or microsoft.graph.managedApp/appAvailability eq 'lineOfBusiness'
 *    or microsoft.graph.managedApp/appAvailability eq null)
 *
 * A type-cast segment (`microsoft.graph.managedApp/`) yields null for items
 * that are not of that type, as OData defines casts; so the `eq null` branch
 * matches every app that is not a managedApp.
 */
import { GraphObject } from './tenant/model';

export type FilterPredicate = (item: GraphObject) => boolean;

export class FilterSyntaxError extends Error {}
export class FilterPropertyError extends Error {
  constructor(readonly property: string) {
    super(`Could not find a property named '${property}'`);
  }
}

type Literal = string | number | boolean | null;
type Operand = { literal: Literal } | { path: string[] };
type Node =
  | { op: 'and' | 'or'; left: Node; right: Node }
  | { op: 'not'; operand: Node }
  | {
      op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
      left: Operand;
      right: Operand;
    };

/** Derived types of the abstract types a cast may name (mobileApp hierarchy). */
const DERIVED_TYPES: Record<string, string[]> = {
  managedapp: [
    'managedandroidlobapp',
    'managedioslobapp',
    'managedandroidstoreapp',
    'managediosstoreapp',
    'managedmobilelobapp',
  ],
  managedmobilelobapp: ['managedandroidlobapp', 'managedioslobapp'],
  mobilelobapp: [
    'androidlobapp',
    'ioslobapp',
    'macoslobapp',
    'macosdmgapp',
    'macospkgapp',
    'win32lobapp',
    'windowsappx',
    'windowsmobilemsi',
    'windowsuniversalappx',
    'windowsphonexap',
    'windowsphone81appx',
    'windowsphone81appxbundle',
    'managedmobilelobapp',
    'managedandroidlobapp',
    'managedioslobapp',
  ],
};

/**
 * Compiles a filter. `isKnownProperty` guards plain (non-cast) property
 * names; unknown ones raise FilterPropertyError like Graph's 400.
 */
export function compileFilter(
  text: string,
  isKnownProperty: (name: string) => boolean,
): FilterPredicate {
  const tokens = tokenize(text);
  let position = 0;

  const peek = () => tokens[position];
  const next = () => tokens[position++];
  const expectWord = (word: string) => {
    const token = next();
    if (token?.toLowerCase() !== word)
      throw new FilterSyntaxError(`expected '${word}'`);
  };

  const parseOr = (): Node => {
    let left = parseAnd();
    while (peek()?.toLowerCase() === 'or') {
      next();
      left = { op: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): Node => {
    let left = parseUnary();
    while (peek()?.toLowerCase() === 'and') {
      next();
      left = { op: 'and', left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): Node => {
    if (peek()?.toLowerCase() === 'not') {
      next();
      return { op: 'not', operand: parseUnary() };
    }
    if (peek() === '(') {
      next();
      const inner = parseOr();
      expectWord(')');
      return inner;
    }
    const left = parseOperand();
    const op = next()?.toLowerCase();
    if (
      op !== 'eq' &&
      op !== 'ne' &&
      op !== 'gt' &&
      op !== 'ge' &&
      op !== 'lt' &&
      op !== 'le'
    ) {
      throw new FilterSyntaxError('expected a comparison operator');
    }
    return { op, left, right: parseOperand() };
  };
  const parseOperand = (): Operand => {
    const token = next();
    if (token === undefined)
      throw new FilterSyntaxError('unexpected end of filter');
    if (token.startsWith("'"))
      return { literal: token.slice(1, -1).replace(/''/g, "'") };
    const lower = token.toLowerCase();
    if (lower === 'true' || lower === 'false')
      return { literal: lower === 'true' };
    if (lower === 'null') return { literal: null };
    if (/^-?\d+(\.\d+)?$/.test(token)) return { literal: Number(token) };
    if (/^[A-Za-z_][\w.]*(\/[A-Za-z_][\w.]*)*$/.test(token)) {
      const path = token.split('/');
      const plain = path[0];
      if (!plain.includes('.') && !isKnownProperty(plain))
        throw new FilterPropertyError(plain);
      return { path };
    }
    throw new FilterSyntaxError(`unexpected '${token}'`);
  };

  const tree = parseOr();
  if (position !== tokens.length)
    throw new FilterSyntaxError('unexpected text after the filter');
  return (item) => evaluate(tree, item);
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /'(?:[^']|'')*'|\(|\)|[^\s()']+/y;
  let index = 0;
  while (index < text.length) {
    if (/\s/.test(text[index])) {
      index++;
      continue;
    }
    pattern.lastIndex = index;
    const match = pattern.exec(text);
    if (!match) throw new FilterSyntaxError(`unexpected character at ${index}`);
    tokens.push(match[0]);
    index = pattern.lastIndex;
  }
  if (tokens.length === 0) throw new FilterSyntaxError('empty filter');
  return tokens;
}

function evaluate(node: Node, item: GraphObject): boolean {
  switch (node.op) {
    case 'and':
      return evaluate(node.left, item) && evaluate(node.right, item);
    case 'or':
      return evaluate(node.left, item) || evaluate(node.right, item);
    case 'not':
      return !evaluate(node.operand, item);
    default: {
      const left = valueOf(node.left, item);
      const right = valueOf(node.right, item);
      switch (node.op) {
        case 'eq':
          return left === right;
        case 'ne':
          return left !== right;
        default:
          if (left === null || right === null) return false;
          if (node.op === 'gt') return left > right;
          if (node.op === 'ge') return left >= right;
          if (node.op === 'lt') return left < right;
          return left <= right;
      }
    }
  }
}

function valueOf(operand: Operand, item: GraphObject): Literal {
  if ('literal' in operand) return operand.literal;
  let current: unknown = item;
  for (const segment of operand.path) {
    if (current === null || typeof current !== 'object') return null;
    if (segment.includes('.')) {
      // A type cast: null unless the object is of that type or derives from it.
      if (!isOfType(current as GraphObject, segment)) return null;
      continue;
    }
    current = (current as GraphObject)[segment];
  }
  if (current === undefined) return null;
  return typeof current === 'object' ? null : (current as Literal);
}

function isOfType(object: GraphObject, qualifiedType: string): boolean {
  const wanted = qualifiedType
    .toLowerCase()
    .replace(/^#?microsoft\.graph\./, '');
  const actual = String(object['@odata.type'] ?? '')
    .toLowerCase()
    .replace(/^#?microsoft\.graph\./, '');
  return actual === wanted || (DERIVED_TYPES[wanted] ?? []).includes(actual);
}
