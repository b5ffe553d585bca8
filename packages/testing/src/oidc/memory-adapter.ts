/**
 * oidc-provider's storage for sessions, grants, codes and refresh tokens, kept in memory and owned
 * by one provider (its built-in adapter is the "quick start" one it warns about). A test provider
 * loses its state when it closes, which is what tests want; a provider that must survive restarts
 * needs a database adapter instead.
 *
 * It implements oidc-provider's Adapter interface: one instance per model name ('Session',
 * 'Grant', 'DeviceCode', …), all sharing one `MemoryStore`.
 */
export type AdapterPayload = Record<string, unknown> & {
  uid?: string;
  userCode?: string;
  grantId?: string;
  consumed?: number;
};

interface Entry { payload: AdapterPayload; expiresAt: number }

/** Models that belong to a grant and go when it is revoked (as in oidc-provider's own adapter). */
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

/** Everything one provider stores, with the secondary indexes oidc-provider looks things up by. */
export class MemoryStore {
  readonly entries = new Map<string, Entry>();
  /** Session uid → Session key. */
  readonly byUid = new Map<string, string>();
  /** Device user code → DeviceCode key. */
  readonly byUserCode = new Map<string, string>();
  /** Grant id → keys of everything issued under that grant (codes, refresh tokens, …). */
  readonly byGrant = new Map<string, Set<string>>();
  private writes = 0;

  get(key: string): AdapterPayload | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  set(key: string, payload: AdapterPayload, expiresInSeconds: number | undefined): void {
    this.delete(key); // drops the indexes of a previous version
    const expiresAt = expiresInSeconds === undefined ? Infinity : Date.now() + expiresInSeconds * 1000;
    this.entries.set(key, { payload, expiresAt });
    if (key.startsWith('Session:') && payload.uid) this.byUid.set(payload.uid, key);
    if (payload.userCode) this.byUserCode.set(payload.userCode, key);
    if (payload.grantId && GRANTABLE.has(key.slice(0, key.indexOf(':')))) {
      const members = this.byGrant.get(payload.grantId) ?? new Set<string>();
      members.add(key);
      this.byGrant.set(payload.grantId, members);
    }
    // A long-running provider (a dev server) would otherwise keep every expired code forever.
    if (++this.writes % 256 === 0) this.sweep();
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    const { uid, userCode, grantId } = entry.payload;
    if (uid && this.byUid.get(uid) === key) this.byUid.delete(uid);
    if (userCode && this.byUserCode.get(userCode) === key) this.byUserCode.delete(userCode);
    if (grantId) this.byGrant.get(grantId)?.delete(key);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.delete(key);
  }
}

export class MemoryAdapter {
  constructor(private readonly model: string, private readonly store: MemoryStore) {}

  private key(id: string): string {
    return `${this.model}:${id}`;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    this.store.set(this.key(id), payload, expiresIn);
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.store.get(this.key(id));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const key = this.store.byUid.get(uid);
    return key === undefined ? undefined : this.store.get(key);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const key = this.store.byUserCode.get(userCode);
    return key === undefined ? undefined : this.store.get(key);
  }

  /** Marks a one-time artifact (authorization code, device code, rotated refresh token) as used. */
  async consume(id: string): Promise<void> {
    const payload = this.store.get(this.key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    this.store.delete(this.key(id));
  }

  /** Revocation and logout: everything issued under the grant goes. */
  async revokeByGrantId(grantId: string): Promise<void> {
    for (const key of [...(this.store.byGrant.get(grantId) ?? [])]) this.store.delete(key);
    this.store.byGrant.delete(grantId);
  }
}

/** oidc-provider's `adapter` option: a factory called once per model name. */
export function memoryAdapterFactory(): (model: string) => MemoryAdapter {
  const store = new MemoryStore();
  return (model) => new MemoryAdapter(model, store);
}
