// Opens the store the environment asks for (placeholder until the Postgres store lands: SQLite only).
import { openSqliteStore } from "./sqlite-store.js";
import type { Store } from "./store.js";

export async function openStore(options: { databaseUrl?: string; databasePath: string }): Promise<Store> {
  if (options.databaseUrl !== undefined) throw new Error("DATABASE_URL: the Postgres store is not built yet");
  return openSqliteStore(options.databasePath);
}
