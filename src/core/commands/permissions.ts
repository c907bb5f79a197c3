// Declared permissions: a subcommand says what it requires, the asker's platform says who holds it, checked before it runs.
import { UserError } from "../errors.js";
import type { Asker, Permission, Requirement } from "./types.js";

const GENERIC_HOLDERS: Record<Permission, string> = { "manage-channel": "people who manage this channel" };

/** Who holds `permission` where `asker` is, in their platform's words. */
export function holdersOf(asker: Pick<Asker, "terms">, permission: Permission): string {
  return asker.terms?.holders?.[permission] ?? GENERIC_HOLDERS[permission];
}

/** Throws the refusal when the asker lacks what `requirement` names; the authority is asked only here. */
export async function checkRequirement(requirement: Requirement, asker: Asker): Promise<void> {
  if ((await asker.authority?.has(requirement.permission)) === true) return;
  throw new UserError("not-allowed", `Only ${holdersOf(asker, requirement.permission)} can ${requirement.action}.`, {
    ...(requirement.hint !== undefined && { hint: requirement.hint }),
  });
}
