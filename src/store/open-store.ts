// Chooses the Store: Postgres when DATABASE_URL is set (several replicas share it), else the SQLite file at DATABASE_PATH.
import { openSqliteStore } from "./sqlite-store.js";
import type { Store } from "./store.js";

const POSTGRES_URL = /^postgres(?:ql)?:\/\//i;

export interface StoreLocation {
  /** DATABASE_URL: postgres:// or postgresql://. May hold a password, so it is never repeated in an error. */
  databaseUrl?: string;
  /** DATABASE_PATH: the SQLite file, used when databaseUrl is unset. */
  databasePath: string;
  /** Postgres: told when the server drops an idle connection (the error never holds the URL). */
  onIdleError?: (error: Error) => void;
}

export async function openStore(location: StoreLocation): Promise<Store> {
  if (location.databaseUrl === undefined) return openSqliteStore(location.databasePath);
  if (!POSTGRES_URL.test(location.databaseUrl)) {
    throw new Error(
      "DATABASE_URL must be a postgres:// or postgresql:// URL (unset it to use the SQLite file at DATABASE_PATH)",
    );
  }
  // Loaded only for Postgres: pg costs a SQLite bot 70 ms of start-up for nothing.
  const { openPostgresStore } = await import("./postgres-store.js");
  return openPostgresStore(location.databaseUrl, {
    ...(location.onIdleError && { onIdleError: location.onIdleError }),
  });
}
