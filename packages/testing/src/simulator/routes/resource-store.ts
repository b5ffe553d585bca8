export type Resource = Record<string, unknown>;

/**
 * Created resources by collection path (`me/messages`, `groups/g1/members`), shared by /v1.0 and
 * /beta as Graph's data is. Insertion order is list order.
 */
export class ResourceStore {
  readonly #collections = new Map<string, Map<string, Resource>>();

  collection(path: string): Map<string, Resource> | undefined {
    return this.#collections.get(path);
  }

  item(path: string, id: string): Resource | undefined {
    return this.#collections.get(path)?.get(id);
  }

  put(path: string, id: string, resource: Resource): void {
    let collection = this.#collections.get(path);
    if (!collection) {
      collection = new Map();
      this.#collections.set(path, collection);
    }
    collection.set(id, resource);
  }

  delete(path: string, id: string): boolean {
    return this.#collections.get(path)?.delete(id) ?? false;
  }

  clear(): void {
    this.#collections.clear();
  }
}
