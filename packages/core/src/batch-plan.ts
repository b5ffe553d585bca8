// Pure planning for `con.batch`: checks the requests before anything is sent, assigns ids, and
// splits them into `$batch` calls so that every dependsOn chain travels whole, in a valid order.
import { configError } from './errors/config-error.js';
import { type OptionRules, rules, validateOptions } from './option-rules.js';

/** One request of `con.batch`. */
export interface BatchRequest {
  /** Unique within the call; assigned ('1', '2', …) when omitted. */
  id?: string;
  /** GET, POST, PUT, PATCH or DELETE (any case): what `$batch` runs. */
  method: string;
  /** What `con.get` takes: 'users/1', '/users/1', or an absolute URL under the connection's base URL. */
  url: string | URL;
  /** The sub-request's own headers (string values; never Authorization: the `$batch` call carries the token). */
  headers?: Record<string, string>;
  /** A JSON value, or Uint8Array / ArrayBuffer / Blob bytes (sent base64 with their content type). */
  body?: unknown;
  /** Ids of requests that must succeed first; they go in the same `$batch` call. */
  dependsOn?: string[];
}

/** A checked request: Graph's relative URL, a final id, dependencies by index. */
export interface PlannedItem {
  index: number;
  id: string;
  method: string;
  /** Absolute, for GraphError messages. */
  absoluteUrl: string;
  /** Graph's form: '/users/1?$select=id' (no version). */
  url: string;
  headers: Record<string, string>;
  body: unknown;
  dependsOn: number[];
}

// What Graph's JSON batching runs.
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const ITEM_RULES: OptionRules = {
  id: rules.string, method: rules.string, url: { expected: 'a string or URL', test: (v) => typeof v === 'string' || v instanceof URL },
  headers: rules.object, body: { expected: 'anything', test: () => true }, dependsOn: rules.stringArray,
};

/** Validates every request and gives each its final id. `toRelative` throws for URLs outside the base URL. */
export function planItems(requests: readonly BatchRequest[], toRelative: (url: string | URL) => { url: string; absolute: string }): PlannedItem[] {
  const list: unknown = requests; // Array.isArray would narrow a readonly array to any[]
  if (!Array.isArray(list)) throw configError('batch: requests must be an array of { id?, method, url, headers?, body?, dependsOn? }');
  const given = new Set<string>();
  requests.forEach((request, i) => {
    if (typeof request !== 'object' || request === null) throw configError(`batch: request ${i} must be an object`);
    const { id } = request;
    if (id === undefined) return;
    if (typeof id !== 'string' || id === '') throw configError(`batch: request ${i} has an invalid id: give a non-empty string or none`);
    if (given.has(id)) throw configError(`batch: duplicate id ${JSON.stringify(id)} (requests must have unique ids)`);
    given.add(id);
  });
  let next = 1;
  const ids = requests.map((request) => {
    if (request.id !== undefined) return request.id;
    while (given.has(String(next))) next++;
    given.add(String(next));
    return String(next++);
  });
  const byId = new Map(ids.map((id, i) => [id, i]));
  const items = requests.map((request, index): PlannedItem => {
    const label = `batch: request ${JSON.stringify(ids[index])}`;
    const { method, url, headers = {}, body, dependsOn = [] } = request;
    validateOptions('@graphwire/core', label, request, ITEM_RULES);
    if (typeof method !== 'string' || !METHODS.has(method.toUpperCase())) {
      throw configError(`${label} needs a method that $batch runs: ${[...METHODS].join(', ')} (got ${typeof method === 'string' ? JSON.stringify(method.slice(0, 20)) : typeof method})`);
    }
    if (typeof url !== 'string' && !(url instanceof URL)) throw configError(`${label} needs a url such as 'users/1'`);
    if (typeof headers !== 'object' || headers === null || Object.values(headers).some((v) => typeof v !== 'string')) {
      throw configError(`${label}: headers must be an object of header names to string values`);
    }
    if (Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) {
      throw configError(`${label}: sub-requests never carry Authorization; the $batch call carries the session's token`);
    }
    if (!Array.isArray(dependsOn)) throw configError(`${label}: dependsOn must be an array of request ids`);
    const deps = dependsOn.map((dep) => {
      const target = byId.get(dep);
      if (target === undefined) throw configError(`${label} dependsOn ${JSON.stringify(dep)}, which names no request in this batch`);
      if (target === index) throw configError(`${label} depends on itself`);
      return target;
    });
    const resolved = toRelative(url);
    const lower: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = String(value);
    return { index, id: ids[index]!, method: method.toUpperCase(), absoluteUrl: resolved.absolute, url: resolved.url, headers: lower, body, dependsOn: deps };
  });
  topologicalOrder(items, items.map((item) => item.index)); // throws on a cycle
  return items;
}

/**
 * Groups `subset` (indexes into `items`) into chains: requests linked by dependsOn (in either
 * direction, within the subset) form one group, ordered so dependencies come first.
 */
export function chains(items: readonly PlannedItem[], subset: readonly number[], maxPerBatch: number): number[][] {
  const inSubset = new Set(subset);
  const parent = new Map(subset.map((i) => [i, i]));
  const find = (i: number): number => {
    let root = i;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(i, root);
    return root;
  };
  for (const i of subset) {
    for (const dep of items[i]!.dependsOn) if (inSubset.has(dep)) parent.set(find(i), find(dep));
  }
  const groups = new Map<number, number[]>();
  for (const i of subset) {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(i);
    else groups.set(root, [i]);
  }
  return [...groups.values()].map((group) => {
    if (group.length > maxPerBatch) {
      throw configError(`batch: requests ${group.map((i) => JSON.stringify(items[i]!.id)).join(', ')} are linked by dependsOn (${group.length} requests) and must travel in one $batch call, but maxPerBatch is ${maxPerBatch}`);
    }
    return topologicalOrder(items, group);
  });
}

/** Packs whole groups into calls of at most `maxPerBatch`, first fit, in the groups' order. */
export function pack(groups: readonly number[][], maxPerBatch: number): number[][] {
  const calls: number[][] = [];
  for (const group of groups) {
    const call = calls.find((c) => c.length + group.length <= maxPerBatch);
    if (call) call.push(...group);
    else calls.push([...group]);
  }
  return calls;
}

/** Dependencies first, otherwise input order; a cycle is a TypeError naming its members. */
function topologicalOrder(items: readonly PlannedItem[], group: readonly number[]): number[] {
  const members = new Set(group);
  const state = new Map<number, 'visiting' | 'done'>();
  const order: number[] = [];
  const visit = (i: number, path: number[]): void => {
    const seen = state.get(i);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      const cycle = path.slice(path.indexOf(i)).map((j) => JSON.stringify(items[j]!.id));
      throw configError(`batch: dependsOn forms a cycle: ${[...cycle, JSON.stringify(items[i]!.id)].join(' → ')}`);
    }
    state.set(i, 'visiting');
    for (const dep of items[i]!.dependsOn) if (members.has(dep)) visit(dep, [...path, i]);
    state.set(i, 'done');
    order.push(i);
  };
  for (const i of [...group].sort((a, b) => a - b)) visit(i, []);
  return order;
}
