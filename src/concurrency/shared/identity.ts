/**
 * Keeps one local object per shared primitive on each thread: a lock shipped
 * to a worker twice is the same object there (`a === b` holds, as in Python).
 */
const objects = new Map<string, WeakRef<object>>();
const cleanup = new FinalizationRegistry<string>((key) => {
  if (objects.get(key)?.deref() === undefined) objects.delete(key);
});

/** Returns the local object for (`kind`, `id`), making it with `make` the first time. */
export function localObject<T extends object>(kind: string, id: number, make: () => T): T {
  const key = `${kind}:${id}`;
  const existing = objects.get(key)?.deref();
  if (existing) return existing as T;
  const made = make();
  objects.set(key, new WeakRef(made));
  cleanup.register(made, key);
  return made;
}

/** Registers an object made locally (the creating thread) under its id. */
export function rememberLocal(kind: string, id: number, obj: object): void {
  const key = `${kind}:${id}`;
  objects.set(key, new WeakRef(obj));
  cleanup.register(obj, key);
}
