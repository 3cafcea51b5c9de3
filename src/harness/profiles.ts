// The profiles: what a run may send to the target, from the least to the most
// permissive (README "Validating a real cluster, safely").
export type Profile = "read-only" | "non-disruptive" | "destructive";
export const PROFILES: Profile[] = ["read-only", "non-disruptive", "destructive"];

export function profileAllows(active: Profile, needed: Profile): boolean {
  return PROFILES.indexOf(active) >= PROFILES.indexOf(needed);
}
